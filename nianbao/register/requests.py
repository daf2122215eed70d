"""The request register (依申请公开台账) → table 3, the due date of every application and the
overdue list (spec §9, ``nianbao register table3``).

Counting for year Y (one application counts once in each of its rows):

- ``new_received``: received in Y;
- ``carried_over``: received before Y and not replied before 1 January of Y;
- the result rows: replied in Y, by outcome and applicant type;
- ``carried_forward``: received on or before 31 December of Y and not replied by then.

So every column balances (本年新收 + 上年结转 = 总计 + 结转下年度) by construction.

Due date (条例第三十条、第三十三条): the 20th working day after the day of receipt (that day not
counted), after ``correction_received`` when there is one; 40th with an approved extension;
``consultation_days`` more working days on top. Working days follow the official calendar
(:mod:`.calendar`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from .. import template as T
from . import calendar as C
from .io import REQUEST_COLUMNS, RowError, Sheet, date_cell, missing_columns, parse_date, read_rows, text_of

BASE_DAYS = 20  # 条例第三十三条
EXTENSION_DAYS = 20

_COLUMN = {c.key: c for c in REQUEST_COLUMNS}
_LABEL = {c.key: c.label for c in REQUEST_COLUMNS}
_APPLICANT = {T.REQUEST_COLUMN_LABEL[k]: k for k in T.REQUEST_PARTS}
_YES = {"是", "y", "yes", "true", "1", "延期", "√"}
_NO = {"", "否", "n", "no", "false", "0", "不延期"}


@dataclass
class Application:
    row: int
    id: str
    received: dt.date
    applicant: str  # a column key of table 3
    correction_sent: Optional[dt.date]
    correction_received: Optional[dt.date]
    extended: bool
    consultation_days: int
    replied: Optional[dt.date]
    outcome: Optional[str]  # a result row key of table 3


@dataclass
class Result:
    year: int
    template: str
    requests: dict
    deadlines: list[dict] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "year": self.year,
            "template": self.template,
            "tables": {"requests": self.requests},
            "deadlines": self.deadlines,
            "overdue": self.overdue,
            "errors": self.errors,
        }


# --------------------------------------------------------------------------- outcomes


def _norm(text: str) -> str:
    t = re.sub(r"[\s\u3000]+", "", text)
    t = t.replace("(", "（").replace(")", "）").replace("\"", "“").replace("．", ".")
    return t


def _strip_number(text: str) -> str:
    """``（三）1.属于国家秘密`` → ``属于国家秘密``; ``（一）予以公开`` → ``予以公开``."""
    return re.sub(r"^(?:[一二三四五六七八九十]+、)?(?:（[一二三四五六七八九十]+）)?(?:\d+[.、])?", "", text)


def outcome_table(version: str) -> dict[str, str]:
    """Every accepted spelling of an outcome → the result row key of table 3 in ``version``."""
    rows = [r for r in T.request_rows(version, version == "2021") if r.is_result]
    out: dict[str, str] = {}
    for r in rows:
        full = _norm(r.label)
        short = full.split("（区分")[0]
        for form in (r.key, full, short, _norm(r.number + r.label), _norm(r.number + short)):
            out[form] = r.key
        if r.group and r.group.startswith("（"):
            out[_norm(r.group + r.number + r.label)] = r.key
    if version == "2021":
        out.update({"其他": "other_other", "其他处理": "other_other", "other_handling": "other_other"})
    else:  # one （六）其他处理 row takes the three 2021 sub-items
        out["其他"] = "other_handling"
        for r in T.REQUEST_ROWS:
            if r.key in T.OTHER_SPLIT_KEYS:
                out[r.key] = "other_handling"
                out[_norm(r.label)] = "other_handling"
    return out


def match_outcome(text: str, table: dict[str, str]) -> Optional[str]:
    t = _norm(text)
    return table.get(t) or table.get(_strip_number(t)) or table.get(t.split("（区分")[0])


# --------------------------------------------------------------------------- rows


def _date(cells: dict, key: str, required: bool = False) -> Optional[dt.date]:
    d = date_cell(cells, _COLUMN[key], required)
    if d is not None and not C.covers(d):
        raise RowError(
            _LABEL[key], f"{d.isoformat()} 超出节假日数据覆盖的年份（{C.coverage()}年），无法计算工作日"
        )
    return d


def application(row: int, cells: dict[str, Any], outcomes: dict[str, str]) -> Application:
    """One row of the register, checked. Raises :class:`RowError` naming the column."""
    ident = text_of(cells.get("id"))
    if not ident:
        raise RowError(_LABEL["id"], "编号为空")
    received = _date(cells, "received", required=True)
    applicant_text = _norm(text_of(cells.get("applicant")))
    applicant = _APPLICANT.get(applicant_text) or (applicant_text if applicant_text in T.REQUEST_PARTS else None)
    if applicant is None:
        raise RowError(
            _LABEL["applicant"],
            f"申请人类型“{text_of(cells.get('applicant'))}”不是表三的六类之一（{'、'.join(_APPLICANT)}）",
        )
    correction_sent = _date(cells, "correction_sent")
    correction_received = _date(cells, "correction_received")
    ext = text_of(cells.get("extended")).lower()
    if ext in _YES:
        extended = True
    elif ext in _NO:
        extended = False
    else:
        raise RowError(_LABEL["extended"], f"延期应填“是”或“否”，不是“{ext}”")
    days_text = text_of(cells.get("consultation_days"))
    if days_text in ("", "0"):
        consultation = 0
    elif re.fullmatch(r"\d+", days_text):
        consultation = int(days_text)
    else:
        raise RowError(_LABEL["consultation_days"], f"征求意见工作日应为不小于0的整数，不是“{days_text}”")
    replied = _date(cells, "replied")
    outcome_text = text_of(cells.get("outcome"))
    outcome = None
    if outcome_text:
        outcome = match_outcome(outcome_text, outcomes)
        if outcome is None:
            raise RowError(_LABEL["outcome"], f"办理结果“{outcome_text}”不是表三的办理结果之一")
    if replied is not None and outcome is None:
        raise RowError(_LABEL["outcome"], "已填答复日期，但办理结果为空")
    if outcome is not None and replied is None:
        raise RowError(_LABEL["replied"], "已填办理结果，但答复日期为空")
    if replied is not None and replied < received:
        raise RowError(_LABEL["replied"], f"答复日期 {replied} 早于收到日期 {received}")
    if correction_sent is not None and correction_sent < received:
        raise RowError(_LABEL["correction_sent"], f"补正通知日期 {correction_sent} 早于收到日期 {received}")
    if correction_received is not None:
        if correction_received < (correction_sent or received):
            raise RowError(_LABEL["correction_received"], f"补正收到日期 {correction_received} 早于补正通知或收到日期")
        if replied is not None and replied < correction_received:
            raise RowError(_LABEL["replied"], f"答复日期 {replied} 早于补正收到日期 {correction_received}")
    return Application(row, ident, received, applicant, correction_sent, correction_received, extended,
                       consultation, replied, outcome)


def due_date(a: Application) -> dt.date:
    """条例第三十三条 with 第三十条 (补正 restarts the period); raises OutsideCalendar past the data."""
    start = a.correction_received or a.received
    days = BASE_DAYS + (EXTENSION_DAYS if a.extended else 0) + a.consultation_days
    return C.add_workdays(start, days)


# --------------------------------------------------------------------------- table 3


def empty_table(version: str) -> dict:
    return {r.key: {c: 0 for c in T.REQUEST_COLUMN_KEYS} for r in T.request_rows(version, version == "2021")}


def table3(sheet: Sheet, year: Optional[int], as_of: dt.date) -> Result:
    """Table 3 of ``year`` from a register already read; bad rows into ``errors``, left out."""
    errors = missing_columns(sheet, "，无法使用本台账")
    apps: list[Application] = []
    if not sheet.missing:
        if year is None:
            years = []
            for _, cells in sheet.rows:
                try:
                    d = parse_date(cells.get("received"))
                except ValueError:
                    continue
                if d is not None:
                    years.append(d.year)
            year = max(years) if years else as_of.year
        version = T.template_for_year(year)
        outcomes = outcome_table(version)
        seen: dict[str, int] = {}

        def unique(row: int, cells: dict[str, Any]) -> Application:
            a = application(row, cells, outcomes)
            if a.id in seen:
                raise RowError(_LABEL["id"], f"编号“{a.id}”与第 {seen[a.id]} 行重复")
            seen[a.id] = row
            return a

        apps, bad = read_rows(sheet, unique)
        errors += bad
    year = year if year is not None else as_of.year
    version = T.template_for_year(year)
    table = empty_table(version)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for a in apps:
        col = a.applicant
        cells = []
        if start <= a.received <= end:
            cells.append("new_received")
        if a.received < start and (a.replied is None or a.replied >= start):
            cells.append("carried_over")
        if a.replied is not None and start <= a.replied <= end:
            cells += [a.outcome, "processed_total"]
        if a.received <= end and (a.replied is None or a.replied > end):
            cells.append("carried_forward")
        for key in cells:
            table[key][col] += 1
            table[key]["total"] += 1
    result = Result(year, version, table, errors=errors)
    for a in apps:
        entry = {"id": a.id, "row": a.row, "received": a.received.isoformat(),
                 "replied": a.replied.isoformat() if a.replied else None}
        try:
            due = due_date(a)
            end_day = a.replied or as_of
            late = C.workdays_between(due, end_day) if end_day > due else 0
        except C.OutsideCalendar as e:
            entry.update(due=None, overdue_days=None)
            result.errors.append({"row": a.row, "column": _LABEL["received"],
                                  "message": f"答复期限无法计算（{e}）；本行仍计入表三"})
            result.deadlines.append(entry)
            continue
        entry.update(due=due.isoformat(), overdue_days=late)
        result.deadlines.append(entry)
        if late > 0:
            result.overdue.append(a.id)
    result.errors.sort(key=lambda e: e["row"])
    return result
