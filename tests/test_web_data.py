"""Data for the web tests (no tests here). Reports built by hand for the web tests, with values read from ``samples/seeds/001_…txt``
(a 2022 report on the 2021 template): table 2, the new/granted/total rows of table 3 and table 4."""

from __future__ import annotations

from nianbao import template as T
from nianbao.model import Finding, Meta, Provenance, Report, Sections, Source, Tables


def seed001_report(agency: str = "西安市高陵区人民政府", year: int = 2022, sha: str = "a" * 64) -> Report:
    zero = {c: 0 for c in T.REQUEST_COLUMN_KEYS}
    requests = {r.key: dict(zero) for r in T.request_rows("2021", other_split=True)}
    for row in ("new_received", "granted", "processed_total"):
        requests[row] = {**zero, "natural_person": 66, "total": 66}
    report = Report(
        source=Source(path="seed001.txt", sha256=sha, format="text"),
        meta=Meta(title=f"{agency}{year}年政府信息公开工作年度报告", agency=agency, year=year, template="2021", published=f"{year + 1}-01-20"),
        sections=Sections(overview="按照省、市政务公开办公室要求，持续推进政府信息公开工作。", problems="受条件限制，有些工作仍裹足不前。"),
        tables=Tables(
            active={
                "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
                "normative_documents": {"issued": 1, "repealed": 7, "in_force": 13},
                "licensing": {"decisions": 84598},
                "punishment": {"decisions": 19546},
                "coercion": {"decisions": 178},
                "fees": {"amount": 1627.79},
            },
            requests=requests,
            appeals={
                "reconsideration": {"upheld": 7, "corrected": 11, "other": 7, "pending": 4, "total": 29},
                "litigation_direct": {"upheld": 16, "corrected": 18, "other": 1, "pending": 10, "total": 45},
                "litigation_after_reconsideration": {"upheld": 5, "corrected": 2, "other": 0, "pending": 4, "total": 11},
            },
        ),
        provenance={
            "tables.requests.new_received.total": Provenance(raw="66", line=28),
            "tables.active.fees.amount": Provenance(raw="1627.79", line=19),
        },
    )
    return report


BALANCE = Finding(
    rule="requests.balance",
    severity="error",
    message="表三“总计”列：本年新收(66)+上年结转(0)=66，不等于办理结果总计(65)+结转下年度(0)=65",
    cells=["tables.requests.new_received.total", "tables.requests.processed_total.total"],
    expected=66,
    actual=65,
)
