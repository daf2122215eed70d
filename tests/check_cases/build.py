"""Hand-made, fully consistent reports for the checker's tests, and small ways to perturb them.

Every number here was chosen by hand so that each identity holds; the comments give the sums.
Tests copy a report (``consistent(...)``), change one thing, and assert which rule fires.
"""

from __future__ import annotations

from nianbao import template as T
from nianbao.model import Meta, Note, Report, Sections, Source, Tables

COLS = T.REQUEST_COLUMN_KEYS  # natural_person, commercial, research, social_welfare, legal_services, other, total

# Table 3 rows as (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计).
# new 13 + carried 1 = 14 = processed 13 + forward 1, per column:
#   自然人 10+1 = 10+1; 商业企业 2+0 = 2+0; 法律服务机构 1+0 = 1+0.
# results per column: 自然人 5+2+1+1+1 = 10; 商业企业 1+1 = 2; 法律服务机构 1 = 1; 总计 7+2+1+2+1 = 13.
REQUESTS_2021 = {
    "new_received": (10, 2, 0, 0, 1, 0, 13),
    "carried_over": (1, 0, 0, 0, 0, 0, 1),
    "granted": (5, 1, 0, 0, 1, 0, 7),
    "partially_granted": (2, 0, 0, 0, 0, 0, 2),
    "denied_third_party": (1, 0, 0, 0, 0, 0, 1),
    "unable_not_held": (1, 1, 0, 0, 0, 0, 2),
    "other_no_correction": (1, 0, 0, 0, 0, 0, 1),
    "processed_total": (10, 2, 0, 0, 1, 0, 13),
    "carried_forward": (1, 0, 0, 0, 0, 0, 1),
}
# The 2019 template prints （六） as one row: the same figures, 其他处理 = 1.
REQUESTS_2019 = {("other_handling" if k == "other_no_correction" else k): v for k, v in REQUESTS_2021.items()}

# Table 4: 复议 1+1+0+1 = 3; 直接起诉 1+0+0+0 = 1; 复议后起诉 all 0.
APPEALS = {
    "reconsideration": (1, 1, 0, 1, 3),
    "litigation_direct": (1, 0, 0, 0, 1),
    "litigation_after_reconsideration": (0, 0, 0, 0, 0),
}

ACTIVE_2021 = {
    "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
    "normative_documents": {"issued": 3, "repealed": 1, "in_force": 20},
    "licensing": {"decisions": 120},
    "punishment": {"decisions": 45},
    "coercion": {"decisions": 2},
    "fees": {"amount": 1.5},
}
ACTIVE_2019 = {
    "regulations": {"made": 0, "published": 0, "public_total": 0},
    "normative_documents": {"made": 3, "published": 3, "public_total": 20},
    "licensing": {"previous_items": 50, "change": -2, "decisions": 120},
    "other_services": {"previous_items": 10, "change": 0, "decisions": 30},
    "punishment": {"previous_items": 80, "change": 5, "decisions": 45},
    "coercion": {"previous_items": 6, "change": 0, "decisions": 2},
    "fees": {"previous_items": 3, "change": 0},
    "procurement": {"projects": 4, "amount": 12.5},
}


def _rows(spec: dict, version: str) -> dict:
    other_split = "other_handling" not in spec
    out = {}
    for row in T.request_rows(version, other_split):
        values = spec.get(row.key, (0,) * 7)
        out[row.key] = dict(zip(COLS, values))
    return out


def consistent(version: str = "2021", year: int | None = None) -> Report:
    """A report in which every rule stays quiet: identities hold, text agrees, dates in time."""
    year = year or (2022 if version == "2021" else 2020)
    agency = "某市教育局"
    docs = "本年制发行政规范性文件3件" if version == "2021" else "本年新公开规范性文件3件"
    return Report(
        source=Source(path=f"case/{version}.txt", sha256="0" * 64, format="text"),
        meta=Meta(
            title=f"{agency}{year}年政府信息公开工作年度报告",
            agency=agency,
            year=year,
            template=version,
            published=f"{year + 1}-01-20",
        ),
        sections=Sections(
            overview=(
                f"{year}年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。全年共收到政府信息公开申请13件，"
                f"予以公开7件，部分公开2件，公开占比69.2%；不予公开1件，无法提供2件，其他处理1件；"
                f"结转下年度继续办理1件。{docs}。"
            ),
            active="第二十条第（一）项",
            requests="本年度收到和处理政府信息公开申请情况见下表。",
            appeals="全年发生政府信息公开行政复议3件，行政诉讼1件。",
            problems="一是公开内容还不够全面。下一步将加强培训，完善制度。",
            other="本年度未收取信息处理费。",
        ),
        tables=Tables(
            active={k: dict(v) for k, v in (ACTIVE_2021 if version == "2021" else ACTIVE_2019).items()},
            requests=_rows(REQUESTS_2021 if version == "2021" else REQUESTS_2019, version),
            appeals={k: dict(zip(T.APPEAL_FIELD_KEYS, v)) for k, v in APPEALS.items()},
        ),
    )


def rule_ids(findings) -> list[str]:
    return sorted(f.rule for f in findings)


def note(code: str, message: str = "", cells: list[str] | None = None) -> Note:
    return Note(code=code, message=message or code, cells=cells or [])
