"""Sentence-level matching of figures in the text (nianbao.check.texts)."""

from __future__ import annotations

import pytest

from nianbao.check.texts import figures, percents
from tests.check_cases.build import consistent


def found(text: str, year: int = 2022) -> list[tuple[str, int]]:
    r = consistent()
    r.meta.year = year
    r.sections = r.sections.model_copy(update={k: None for k in ("overview", "active", "requests", "appeals", "problems", "other")})
    r.sections.overview = text
    return [(f.target, f.value) for f in figures(r)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # 受理 kept apart from 答复 (a past false match of a peer system)
        ("全年受理政府信息公开申请3259件，答复3278件。", [("accepted", 3259), ("processed", 3278)]),
        # the number before the verb is not the verb's
        ("全年政府信息公开申请11件办结，8件撤销。", []),
        # another year, a change, a sub-count: not compared
        ("2021年收到政府信息公开申请20件。", []),
        ("收到政府信息公开申请15件，较上年增加5件。", [("received", 15)]),
        ("收到政府信息公开申请15件，其中通过网络收到12件。", [("received", 15)]),
        ("收到政府信息公开申请15件，其中自然人申请13件。", [("received", 15)]),
        # not information-disclosure requests
        ("人民网“地方领导留言板”共收到批转信件71件，已办结71件。", []),
        ("全年共办理网民诉求事项37件。", []),
        ("办理“政民互动领导信箱”信件444件，比2021年481件有所下降。", []),
        # outcomes with 其中, and a qualified sub-count that is skipped
        ("其中予以公开103件、部分公开31件。", [("granted", 103), ("partially_granted", 31)]),
        ("自然人申请中予以公开75件。", []),
        # carried over and forward; 继续办理 is not 办理
        ("结转下年度继续办理1件。", [("carried_forward", 1)]),
        ("上年结转政府信息公开申请2件。", [("carried_over", 2)]),
        # appeals: totals only, not results
        ("政府信息公开行政复议案件9件、行政诉讼案件3件。", [("reconsideration", 9), ("litigation", 3)]),
        ("因政府信息公开被申请行政复议2件，其中维持1件。", [("reconsideration", 2)]),
        ("政府信息公开行政诉讼结果维持2件。", []),
        ("因政府信息公开被申请行政复议1件（结果维持）。", [("reconsideration", 1)]),
        ("政府信息公开工作做到行政复议零纠错，无行政诉讼败诉。", []),
        ("共收到政府信息公开申请15件（含上年结转2件）。", [("received", 15), ("carried_over", 2)]),
        ("上年结转的2件申请已全部办结。", [("carried_over", 2)]),
        ("现行有效行政规范性文件82件。", [("normative_documents", 82)]),
        ("全年主动公开政府信息1234条。", []),
        # other requests and other reviews are not those of the tables
        ("全年共受理行政许可申请5000件，办结4990件。", []),
        ("全年共办理行政复议案件156件，其中维持120件。", []),
        ("未发生行政复议和行政诉讼案件。", []),
        ("发生政府信息公开行政复议和行政诉讼案件共5件。", [("appeals_all", 5)]),
        # zero statements
        ("今年未收到依申请公开信息。", [("received", 0)]),
        ("未发生因政府信息公开引起的行政复议、行政诉讼。", [("appeals_all", 0)]),
        ("未发生政府信息公开行政败诉案件。", []),
        # full-width digits and spaces
        ("全年共收到政府信息公开申请 １２ 件。", [("received", 12)]),
    ],
)
def test_figures(text, expected):
    assert found(text) == expected


def test_percentages_follow_their_outcomes():
    r = consistent()
    r.sections.overview = "全市共受理依申请公开件166件，其中予以公开103件、部分公开31件，公开占比80.7%；不予公开3件，占比1.8%。"
    got = [(p.value, p.decimals, p.numerators[0]) for p in percents(r)]
    assert got == [(80.7, 1, ("granted", "partially_granted")), (1.8, 1, ("denied",))]


def test_rates_without_outcomes_are_not_percentages_to_check():
    r = consistent()
    r.sections.overview = "上报信息283条，采用率100%；办结率100%。"
    assert list(percents(r)) == []


def test_rates_after_outcomes_are_not_shares():
    r = consistent()
    r.sections.overview = "予以公开103件，办结率100%；部分公开31件，同比增长20%。"
    assert list(percents(r)) == []
