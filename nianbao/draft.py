"""A report being written (编写, issue 16 item 4): starting it, filling it from the registers,
the sentences its text may quote, and what stops it from leaving.

A draft is a plain :class:`~nianbao.model.Report` (the web editor keeps it in the database, see
:mod:`nianbao.store.drafts`) plus one explanation per error finding the clerk chose to explain
rather than fix. It is checked by the checker's own registry (:func:`findings`): every report rule,
and the cross-year rules against the report it was started from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Optional

from . import template as T
from .model import Finding, Meta, Report, Sections, Source, Tables
from .numbers import format_number


def draft_title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def _source(draft_id: Optional[int] = None) -> Source:
    return Source(path=f"编写稿{draft_id}" if draft_id else "编写稿", sha256="", format="draft")


def request_table(version: str, carried: Optional[dict] = None) -> dict:
    """Table 3 of a version with every cell 0; 上年结转 per column from ``carried`` (last year's
    结转下年度继续办理, a missing cell counting 0)."""
    rows = {r.key: {c: 0 for c in T.REQUEST_COLUMN_KEYS} for r in T.request_rows(version)}
    for col in T.REQUEST_COLUMN_KEYS:
        v = (carried or {}).get(col)
        rows["carried_over"][col] = v if isinstance(v, (int, float)) else 0
    return rows


def appeal_table() -> dict:
    return {b: {f: 0 for f in T.APPEAL_FIELD_KEYS} for b in T.APPEAL_BLOCK_KEYS}


def active_table(year: int, version: str, previous: Optional[Report]) -> tuple[dict, list[str]]:
    """Table 2 with nothing made this year, the stock (现行有效, 对外公开总数, 上一年项目数量) carried
    from ``previous`` exactly as ``register table2`` carries it (an empty records file)."""
    from .register.io import Sheet
    from .register.records import table2

    result = table2(Sheet("", {}, [], [], {}), year, version, previous)
    return result.active, list(result.carried)


def empty(agency: str, year: int) -> Report:
    """A blank draft in the template of ``year``: every cell 0, no chapter text."""
    version = T.template_for_year(year)
    active, _ = active_table(year, version, None)
    return Report(
        source=_source(),
        meta=Meta(title=draft_title(agency, year), agency=agency, year=year, template=version),
        tables=Tables(active=active, requests=request_table(version), appeals=appeal_table()),
    )


def from_last_year(previous: Report, year: Optional[int] = None, agency: Optional[str] = None) -> Report:
    """This year's draft started from last year's report: its agency, its chapters as draft text,
    上年结转 = last year's 结转下年度继续办理 per column, the stock of table 2 carried; every other
    cell 0."""
    year = year or ((previous.meta.year or dt.date.today().year - 1) + 1)
    agency = agency or previous.meta.agency or ""
    version = T.template_for_year(year)
    carried = ((previous.tables.requests or {}).get("carried_forward")) or {}
    active, _ = active_table(year, version, previous)
    return Report(
        source=_source(),
        meta=Meta(title=draft_title(agency, year), agency=agency, year=year, template=version),
        sections=Sections(**previous.sections.model_dump()),
        tables=Tables(active=active, requests=request_table(version, carried), appeals=appeal_table()),
    )


# --------------------------------------------------------------------------- checking


def findings(report: Report, previous: Optional[Report] = None) -> list[Finding]:
    """The checker's findings on the draft: every report rule, and the cross-year rules against
    the report it was started from (one registry, no rule of its own)."""
    from .check import check_pair, check_report

    out = check_report(report)
    if previous is not None:
        out += check_pair(previous, report)
    return out


def finding_key(f: Finding) -> str:
    """A finding's stable id within a draft (rule and cells): an explanation stays with it while
    the clerk edits other cells."""
    text = "\x1f".join([f.rule, *sorted(f.cells)])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def unexplained_errors(found: list[Finding], explanations: dict[str, str]) -> list[Finding]:
    """The error findings neither fixed nor explained: what stops the download."""
    return [f for f in found if f.severity == "error" and not (explanations.get(finding_key(f)) or "").strip()]


# --------------------------------------------------------------------------- sentences


def _n(report: Report, *paths: str) -> int | float:
    return sum(report.get(p) or 0 for p in paths)


def sentences(report: Report) -> dict[str, list[str]]:
    """Sentences for chapters 三 and 四 whose figures are the tables' (the text rules find them
    equal to the cells they quote), by chapter key."""
    from .check.cells import group_total_paths

    rq, ap = T.rq, T.ap

    def group(prefix: str) -> int | float:
        return _n(report, *group_total_paths(report, prefix))

    new = _n(report, rq("new_received"))
    carried = _n(report, rq("carried_over"))
    done = _n(report, rq("processed_total"))
    forward = _n(report, rq("carried_forward"))
    granted = _n(report, rq("granted"))
    partly = _n(report, rq("partially_granted"))

    f = format_number
    first = f"本年度共收到政府信息公开申请{f(new)}件，上年结转政府信息公开申请{f(carried)}件。"
    second = (
        f"本年度办结政府信息公开申请{f(done)}件，其中予以公开{f(granted)}件，部分公开{f(partly)}件，"
        f"不予公开{f(group('denied_'))}件，无法提供{f(group('unable_'))}件，不予处理{f(group('rejected_'))}件，"
        f"其他处理{f(group('other_'))}件；结转下年度继续办理{f(forward)}件。"
    )
    recon = _n(report, ap("reconsideration"))
    litig = _n(report, ap("litigation_direct"), ap("litigation_after_reconsideration"))
    appeals = f"本年度因政府信息公开工作被申请行政复议{f(recon)}件，被提起行政诉讼{f(litig)}件。"
    return {"requests": [first, second], "appeals": [appeals]}


def value_text(v) -> str:
    return format_number(v)
