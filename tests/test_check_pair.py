"""Cross-year rules (check_pair) and text_similarity, on hand-made consecutive reports."""

from __future__ import annotations

from nianbao.check import check_pair, text_similarity
from tests.check_cases.build import consistent, rule_ids


def pair(version: str = "2021"):
    """Two consecutive reports of one body that continue each other.

    The case's 结转下年度 (自然人 1, 总计 1) equals its 上年结转, so the carry-over continues; the
    stock of 行政规范性文件 is made to continue: 18 + 制发3 − 废止1 = 20.
    """
    year = 2022 if version == "2021" else 2020
    earlier, later = consistent(version, year - 1), consistent(version, year)
    if version == "2021":
        earlier.tables.active["normative_documents"]["in_force"] = 18
    else:
        # 上一年项目数量(N) = 上一年项目数量(N−1) + 本年增/减(N−1): 50−2 = 48, 80+5 = 85
        later.tables.active["licensing"]["previous_items"] = 48
        later.tables.active["punishment"]["previous_items"] = 85
    earlier.sections.overview = "上一年的总体情况：本局依法做好政府信息公开工作，完善制度，加强平台建设。"
    earlier.sections.problems = "一是队伍不够稳定；二是解读形式单一。"
    earlier.sections.other = "无。"
    return earlier, later


def test_continuing_reports_are_quiet():
    for version in ("2021", "2019"):
        assert check_pair(*pair(version)) == []


def test_carried_over_every_column_names_the_earlier_cells():
    earlier, later = pair()
    earlier.tables.requests["carried_forward"]["natural_person"] = 2
    earlier.tables.requests["carried_forward"]["total"] = 2
    found = check_pair(earlier, later)
    assert rule_ids(found) == ["pair.carried_over"]
    f = found[0]
    assert f.message == (
        "表三“上年结转”与2021年报告“结转下年度继续办理”不一致：“自然人”列本年上年结转(1)，上年结转下年度(2)；"
        "“总计”列本年上年结转(1)，上年结转下年度(2)"
    )
    assert f.cells == ["tables.requests.carried_over.natural_person", "tables.requests.carried_over.total"]
    assert f.other == {
        "cells": ["tables.requests.carried_forward.natural_person", "tables.requests.carried_forward.total"]
    }
    assert f.model_dump()["other"]["cells"][0] == "tables.requests.carried_forward.natural_person"


def test_carried_over_only_for_consecutive_years():
    earlier, later = pair()
    earlier.meta.year = 2020
    earlier.tables.requests["carried_forward"]["total"] = 5
    assert "pair.carried_over" not in rule_ids(check_pair(earlier, later))


def test_carried_over_across_the_template_change():
    earlier, later = consistent("2019", 2020), consistent("2021", 2021)
    later.tables.requests["carried_over"]["total"] = 3
    assert "pair.carried_over" in rule_ids(check_pair(earlier, later))


def test_in_force_continuity_2021():
    earlier, later = pair()
    earlier.tables.active["normative_documents"]["in_force"] = 25
    found = check_pair(earlier, later)
    assert rule_ids(found) == ["pair.in_force"]
    assert found[0].message == "表二“行政规范性文件”现行有效件数：2021年报告25+本年制发3−本年废止1=27，本年报告为20"
    assert found[0].other == {"cells": ["tables.active.normative_documents.in_force"]}


def test_previous_items_2019():
    earlier, later = pair("2019")
    later.tables.active["licensing"]["previous_items"] = 50
    found = check_pair(earlier, later)
    assert rule_ids(found) == ["pair.previous_items"]
    assert found[0].message == "表二“行政许可”上一年项目数量为50，而2019年报告的上一年项目数量50+本年增/减-2=48"


def test_public_total_2019_does_not_shrink():
    earlier, later = pair("2019")
    earlier.tables.active["normative_documents"]["public_total"] = 25
    found = check_pair(earlier, later)
    assert rule_ids(found) == ["pair.public_total"]
    assert found[0].message == "表二“规范性文件”对外公开总数量为20，少于2019年报告的25"


def test_jump_five_times_or_a_fifth():
    earlier, later = pair()
    later.tables.active["licensing"]["decisions"] = 600  # 120 → 600: ×5
    found = check_pair(earlier, later)
    assert rule_ids(found) == ["pair.jump"]
    assert found[0].message == "表二行政许可处理决定数由2021年的120变为600，增加到5.0倍，请核实"
    later.tables.active["licensing"]["decisions"] = 500  # ×4.2: quiet
    assert check_pair(earlier, later) == []
    later.tables.active["licensing"]["decisions"] = 24  # 120 → 24: a fifth
    assert "减少到20%" in check_pair(earlier, later)[0].message


def test_jump_ignores_small_numbers():
    earlier, later = pair()
    earlier.tables.active["coercion"]["decisions"] = 0
    later.tables.active["coercion"]["decisions"] = 19  # 0 → 19: below the minimum of 20
    assert check_pair(earlier, later) == []
    later.tables.active["coercion"]["decisions"] = 20
    assert "上年为0" in check_pair(earlier, later)[0].message


def test_text_copy_and_similarity():
    earlier, later = pair()
    assert text_similarity(earlier, later) < 0.3
    later.sections = earlier.sections.model_copy()
    later.sections.overview = later.sections.overview.replace("上一年", "本年")  # a word changed
    s = text_similarity(earlier, later)
    assert 0.8 <= s < 1.0
    found = check_pair(earlier, later)
    assert rule_ids(found) == ["pair.text_copy"]
    assert found[0].message.startswith("正文（总体情况、存在问题、其他事项）与2021年报告的相似度为")
    assert found[0].other == {"cells": []}


def test_similarity_masks_numbers_and_is_zero_without_prose():
    a, b = consistent(), consistent()
    b.sections.overview = a.sections.overview.replace("13件", "27件").replace("7件", "9件")
    assert text_similarity(a, b) == 1.0
    b.sections.overview = b.sections.problems = b.sections.other = None
    assert text_similarity(a, b) == 0.0


def test_tables_copy_only_with_real_figures():
    earlier, later = pair()
    later.tables = earlier.tables.model_copy(deep=True)
    later.tables.requests["carried_over"] = dict(earlier.tables.requests["carried_forward"])
    earlier.tables.requests["carried_over"] = dict(earlier.tables.requests["carried_forward"])
    found = check_pair(earlier, later)
    assert "pair.tables_copy" in rule_ids(found)
    zeros = {t: {r: {c: 0 for c in cols} for r, cols in getattr(earlier.tables, t).items()} for t in ("active", "requests", "appeals")}
    for t, v in zeros.items():
        setattr(earlier.tables, t, v)
        setattr(later.tables, t, {r: dict(c) for r, c in v.items()})
    assert "pair.tables_copy" not in rule_ids(check_pair(earlier, later))


def _pairs(corpus):
    for reports in corpus.by_agency().values():
        reports = sorted(reports, key=lambda r: r.meta.year)
        yield from zip(reports, reports[1:])


def test_synthetic_continuous_corpus_keeps_every_continuity_rule_quiet():
    from nianbao import synth

    continuity = {"pair.carried_over", "pair.in_force", "pair.previous_items", "pair.public_total"}
    corpus = synth.corpus(8, range(2019, 2025), seed=5)
    for earlier, later in _pairs(corpus):
        assert continuity.isdisjoint(rule_ids(check_pair(earlier, later))), (later.meta.agency, later.meta.year)


def test_synthetic_injections_are_found_where_they_were_put():
    from nianbao import synth

    corpus = synth.corpus(8, range(2019, 2025), seed=5, inject=["cross_year", "jump", "copy"])
    expected = {"cross_year": "pair.carried_over", "jump": "pair.jump", "copy": "pair.tables_copy"}
    found = {}
    for earlier, later in _pairs(corpus):
        found[(later.meta.agency, later.meta.year)] = set(rule_ids(check_pair(earlier, later)))
    for inj in corpus.injections:
        assert expected[inj.kind] in found[(inj.agency, inj.year)], inj


def test_tables_copy_compares_cells_not_rows():
    earlier, later = pair()
    later.tables = earlier.tables.model_copy(deep=True)
    n = len(list(later.cells()))
    later.tables.requests["extra_row"] = {}  # a row without a cell: the same cells all the same
    found = [f for f in check_pair(earlier, later) if f.rule == "pair.tables_copy"]
    assert [f.message for f in found] == [f"表二、表三、表四的全部{n}个数字与2021年报告完全相同，疑似照搬上年数据"]
    path, value = next((p, v) for p, v in later.cells() if p.startswith("tables.appeals."))
    later.set(path, (value or 0) + 1)  # one figure changed
    assert "pair.tables_copy" not in rule_ids(check_pair(earlier, later))
