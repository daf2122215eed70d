"""Working days on the official calendar (国务院办公厅 notices on public holidays and adjusted
working weekends), from the ``chinesecalendar`` package: the data ship inside the package, nothing
is fetched. The years covered are those of the installed version (:data:`FIRST_YEAR` …
:data:`LAST_YEAR`); a date outside them cannot be counted and raises :class:`OutsideCalendar`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants as _data

FIRST_YEAR = min(_data.holidays).year
LAST_YEAR = max(_data.holidays).year


class OutsideCalendar(ValueError):
    """A date beyond the years the calendar data cover."""

    def __init__(self, day: dt.date) -> None:
        super().__init__(f"{day.isoformat()} 超出节假日数据覆盖的年份（{FIRST_YEAR}–{LAST_YEAR}年），无法计算工作日")
        self.day = day


def covers(day: dt.date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def coverage() -> str:
    return f"{FIRST_YEAR}–{LAST_YEAR}"


@lru_cache(maxsize=8192)
def is_workday(day: dt.date) -> bool:
    """A working day: Monday–Friday that is not a public holiday, or a weekend day that is an
    adjusted working day (调休上班)."""
    if not covers(day):
        raise OutsideCalendar(day)
    return chinese_calendar.is_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted)."""
    day = start
    left = n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days ``d`` with ``start < d <= end`` (0 when ``end <= start``)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
