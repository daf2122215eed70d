"""Query-string parameters shared by the pages, the JSON API, the bulk downloads and the lists: one
error for a bad value (``BadParameter``: 400, the app's Chinese page or the API's JSON error shape),
the agency and region filters, the report statuses, numbers read strictly (:func:`integer`), and
the refusal of unknown parameters (:func:`check_known` for the API, :func:`known_page_params` for
the pages)."""

from __future__ import annotations

import re
from typing import Literal

from fastapi import Query, Request

from ..errors import NianbaoError
from ..store.queries import REPORT_STATUSES


class BadParameter(NianbaoError):
    code = "bad_parameter"
    status = 400


AGENCY = Query(None, max_length=100, description="机关名称中包含的文字，如“龙港”")
REGION = Query(None, max_length=100, description="地区：省、市、县或乡镇的名称，或行政区划代码，如“温州市”")
ReportStatus = Literal[REPORT_STATUSES]  # the store's statuses (clean, errors, partial, unreadable)

MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL store
YEARS = (1900, 2100)  # a report year, as the API's ``year`` accepts it
_DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: str.isdigit() also takes "²", which int() refuses


def parse_int(text: str | None, low: int = 0, high: int = MAX_ID) -> int | None:
    """``text`` as an integer in ``[low, high]``, or None when it is not one (only ASCII digits,
    spaces around them allowed; never an exception)."""
    text = (text or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    n = int(text)
    return n if low <= n <= high else None


def too_large(value: str | None) -> bool:
    """A number typed in a form (a cell's value) that no database integer holds: refused on the
    form, before the store would fail on it."""
    digits = re.sub(r"[\s,，+-]", "", value or "")
    return bool(re.fullmatch(r"[0-9]+", digits)) and (len(digits) > 19 or int(digits) > MAX_ID)


def integer(text: str | None, name: str, low: int = 0, high: int = MAX_ID, default: int | None = None,
            what: str | None = None) -> int | None:
    """A numeric parameter: empty → ``default``; not a number in ``[low, high]`` → BadParameter
    naming it and saying what it should be (``what``; default: “low–high 之间的整数”)."""
    text = (text or "").strip()
    if not text:
        return default
    n = parse_int(text, low, high)
    if n is None:
        raise BadParameter(f"参数“{name}”应为{what or f' {low}–{high} 之间的整数'}，而不是“{text[:20]}”")
    return n


def year(text: str | None, name: str = "year", default: int | None = None) -> int | None:
    """A report year (four digits, 1900–2100); empty → ``default``."""
    return integer(text, name, *YEARS, default=default, what=f"四位年度（{YEARS[0]}–{YEARS[1]}）")


def check_known(request: Request, allowed: set[str]) -> None:
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise BadParameter(f"未知参数：{'、'.join(unknown)}（此接口可用：{'、'.join(sorted(allowed))}）")


def takes(*names: str):
    """Declare the query parameters a page reads from ``request.query_params`` itself (the ones of
    its signature are known anyway): ``@takes(*FILTERS, *LIST)`` above ``@router.get``."""
    def mark(endpoint):
        endpoint.query_names = frozenset(names) | getattr(endpoint, "query_names", frozenset())
        return endpoint

    return mark


def page_params(route) -> set[str]:
    """Every query parameter a page's route takes: its signature's and those declared with :func:`takes`."""
    declared: set[str] = set()
    todo = [route.dependant]
    while todo:
        d = todo.pop()
        declared |= {p.alias for p in d.query_params}
        todo.extend(d.dependencies)
    return declared | set(getattr(route.endpoint, "query_names", ()))


def known_page_params(request: Request) -> None:
    """A dependency of every page: a parameter the page does not take (``/reports?per=…``) is
    refused with 400, never silently ignored."""
    route = request.scope.get("route")
    if route is None:
        return
    allowed = page_params(route)
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        names = "、".join(f"“{k[:20]}”" for k in unknown[:5])
        offer = f"（此页可用：{'、'.join(sorted(allowed))}）" if allowed else "（此页不接受参数）"
        raise BadParameter(f"此页没有参数{names}{offer}")
