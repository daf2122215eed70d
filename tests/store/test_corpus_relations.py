"""Cross-year and copied-text findings in a multi-year, multi-agency corpus."""

from __future__ import annotations

import copy

from nianbao import synth
from nianbao.model import Meta, Report, Sections, Source
from nianbao.pipeline import add_report
from nianbao.store import get_report, iter_findings, list_reports
from nianbao.store.relations import RULE_COPY_OTHER



def _by_key(store):
    return {(s.agency_raw, s.year): s.id for s in list_reports(store, limit=None)}


def test_cross_year_findings_belong_to_the_later_report(store, pair_check):
    corpus = synth.corpus(4, [2020, 2021, 2022], seed=7, inject=["cross_year"])
    (inj,) = corpus.injections
    for r in corpus:
        add_report(store, r)
    ids = _by_key(store)
    found = list(iter_findings(store, rule="test.carry"))
    # exactly the injected report: synth kept every other year continuous
    assert [(f["agency"], f["year"]) for f in found] == [(inj.agency, inj.year)]
    f = found[0]
    assert f["report_id"] == ids[(inj.agency, inj.year)]
    assert f["other"]["report_id"] == ids[(inj.agency, inj.year - 1)]
    assert f["other"]["year"] == inj.year - 1
    assert f["other"]["cells"] == ["tables.requests.carried_forward.total"]
    assert f["cells"] == ["tables.requests.carried_over.total"]
    assert f["expected"] + 0 != f["actual"]
    assert get_report(store, f["report_id"]).summary.status == "errors"


def test_cross_year_pairs_are_made_whatever_the_ingest_order(store, pair_check):
    corpus = synth.corpus(2, [2021, 2022, 2023], seed=3, inject=["cross_year"])
    (inj,) = corpus.injections
    for r in reversed(corpus.reports):  # later years first
        add_report(store, r)
    found = [(f["agency"], f["year"]) for f in iter_findings(store, rule="test.carry")]
    assert found == [(inj.agency, inj.year)]


def test_replacing_the_earlier_report_refreshes_the_pair(store, pair_check):
    corpus = synth.corpus(1, [2021, 2022], seed=5)
    r21, r22 = corpus.reports
    add_report(store, r21)
    add_report(store, r22)
    assert list(iter_findings(store, rule="test.carry")) == []
    # a corrected 2021 file arrives: its 结转下年度 no longer matches 2022's 上年结转
    fixed = copy.deepcopy(r21)
    fixed.tables.requests["carried_forward"]["total"] += 4
    fixed.source.sha256 = "0" * 64
    add_report(store, fixed)
    found = list(iter_findings(store, rule="test.carry"))
    assert len(found) == 1 and found[0]["year"] == 2022
    assert found[0]["expected"] == r21.tables.requests["carried_forward"]["total"] + 4


def test_real_checker_finds_the_injected_cross_year_error(store):
    corpus = synth.corpus(3, [2021, 2022], seed=11, inject=["cross_year"])
    (inj,) = corpus.injections
    for r in corpus:
        add_report(store, r)
    cross = [f for f in iter_findings(store) if f.get("origin") == "cross_year"]
    assert (inj.agency, inj.year) in {(f["agency"], f["year"]) for f in cross}


LONG = (
    "本机关坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党的二十大精神，认真执行《中华人民共和国政府信息公开条例》，"
    "围绕中心工作深化政务公开，加强政策解读和回应关切，推进决策、执行、管理、服务、结果公开，持续提升政府透明度。"
    "一是加强组织领导，调整政务公开工作领导小组，明确分管领导和工作人员，形成主要领导亲自抓、分管领导具体抓的工作格局。"
    "二是规范主动公开，严格落实公开属性源头认定，及时更新政府信息公开指南和目录，做好重点领域信息公开工作。"
    "三是规范依申请公开办理，完善受理、登记、审核、答复、归档等环节，依法按时答复，做到件件有回音。"
    "四是加强平台建设，优化政府网站栏目设置，加强政务新媒体管理，确保信息发布及时、准确、规范。"
    "五是强化监督保障，将政务公开纳入年度绩效考核，开展业务培训，提升工作人员业务能力和水平。"
)
LONG += (
    "六是做好政策解读，坚持政策性文件与解读方案、解读材料同步组织、同步审签、同步部署，运用图表图解、视频等方式多角度解读。"
    "七是积极回应关切，密切关注舆情动态，对涉及本机关的热点问题及时回应，增强回应的针对性和实效性。"
)
PROBLEMS = "存在的主要问题是公开内容不够全面，解读形式较为单一；下一步将加强培训，丰富解读形式，提高公开质量。"


def _text_report(agency: str, year: int, overview: str) -> Report:
    return Report(
        source=Source(path=f"{agency}{year}.txt", sha256="x", format="text"),
        meta=Meta(agency=agency, year=year, template="2021"),
        sections=Sections(overview=overview, problems=PROBLEMS),
    )


def test_near_identical_text_of_another_agency_is_found(store, pair_check):
    a = _text_report("安吉县教育局", 2021, f"2021年，安吉县教育局{LONG}")
    b = _text_report("德清县教育局", 2022, f"2022年，德清县教育局{LONG}全年共办理申请12件。")
    c = _text_report("长兴县教育局", 2022, "长兴县教育局" + "".join(reversed(LONG)))  # same characters, not the same text
    ida, idb, idc = (add_report(store, r) for r in (a, b, c))
    found = list(iter_findings(store, rule=RULE_COPY_OTHER))
    assert [(f["report_id"], f["other"]["report_id"]) for f in found] == [(idb, ida)]
    assert "安吉县教育局" in found[0]["message"] and found[0]["severity"] == "warning"
    assert idc not in {f["report_id"] for f in iter_findings(store)}


def test_same_agency_copy_is_left_to_the_pair_rule(store):
    a = _text_report("安吉县教育局", 2021, f"2021年，安吉县教育局{LONG}")
    b = _text_report("安吉县教育局", 2022, f"2022年，安吉县教育局{LONG}")
    ida, idb = add_report(store, a), add_report(store, b)
    assert list(iter_findings(store, rule=RULE_COPY_OTHER)) == []
    # the checker's pair.text_copy, stored as a cross-year finding of 2022
    found = [f for f in iter_findings(store) if f["origin"] == "cross_year" and f["rule"] == "pair.text_copy"]
    assert [(f["report_id"], f["other"]["report_id"]) for f in found] == [(idb, ida)]


def test_a_text_copied_by_many_gives_one_finding_per_copy(store, pair_check):
    names = ["安吉县教育局", "德清县教育局", "长兴县教育局", "淳安县教育局"]
    ids = [add_report(store, _text_report(n, 2022, f"2022年，{n}{LONG}")) for n in names]
    found = sorted((f["report_id"], f["other"]["report_id"]) for f in iter_findings(store, rule=RULE_COPY_OTHER))
    # same year: the one ingested later carries the finding, naming an earlier one
    assert [r for r, _ in found] == ids[1:]
    assert all(o < r for r, o in found)
