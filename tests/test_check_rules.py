"""Each rule made to fire on a hand-made consistent report with one change, and kept quiet.

The consistent reports are in ``tests/check_cases/build.py`` (every sum checked by hand there).
Expected messages below are worked out by hand from those numbers.
"""

from __future__ import annotations

import pytest

from nianbao.check import RULES, check_report, run
from tests.check_cases.build import consistent, note, rule_ids


def fired(report) -> list[str]:
    return rule_ids(check_report(report))


def by_rule(report, rule_id):
    return [f for f in check_report(report) if f.rule == rule_id]


@pytest.mark.parametrize("version", ["2021", "2019"])
def test_consistent_reports_are_quiet(version):
    assert check_report(consistent(version)) == []


def test_run_fills_findings_without_touching_the_input():
    r = consistent()
    r.tables.requests["granted"]["total"] = 9
    out = run(r)
    assert r.findings == []
    # the row and the 总计 column break, and the text's 予以公开7件 and 公开占比69.2% no longer agree
    assert {f.rule for f in out.findings} == {
        "requests.row_total", "requests.result_total", "text.requests_outcome", "text.percentage"
    }


# --------------------------------------------------------------------------- table 3


def test_balance_every_column_with_both_sides():
    r = consistent()
    r.tables.requests["carried_forward"]["natural_person"] = 2
    r.tables.requests["carried_forward"]["total"] = 2
    r.sections.overview = r.sections.overview.replace("结转下年度继续办理1件", "结转下年度继续办理2件")
    r.sections.overview = r.sections.overview.replace("公开占比69.2%", "公开占比69.2%")
    found = by_rule(r, "requests.balance")
    assert [f.message for f in found] == [
        "表三“自然人”列：本年新收(10)+上年结转(1)=11，不等于办理结果总计(10)+结转下年度(2)=12",
        "表三“总计”列：本年新收(13)+上年结转(1)=14，不等于办理结果总计(13)+结转下年度(2)=15",
    ]
    assert (found[1].expected, found[1].actual) == (14, 15)
    assert found[1].cells == [
        "tables.requests.new_received.total",
        "tables.requests.carried_over.total",
        "tables.requests.processed_total.total",
        "tables.requests.carried_forward.total",
    ]
    assert all(f.severity == "error" for f in found)
    assert fired(r) == ["requests.balance", "requests.balance"]


def test_result_total_per_column():
    r = consistent()
    r.tables.requests["granted"]["natural_person"] = 6
    r.tables.requests["granted"]["total"] = 8
    r.sections.overview = r.sections.overview.replace("予以公开7件", "予以公开8件").replace("69.2%", "76.9%")
    assert fired(r) == ["requests.result_total", "requests.result_total"]
    msgs = [f.message for f in by_rule(r, "requests.result_total")]
    # 自然人: 6+2+1+1+1 = 11; 总计: 8+2+1+2+1 = 14
    assert msgs[0].startswith("表三“自然人”列：各项办理结果之和")
    assert "=11，不等于（七）总计(10)" in msgs[0]
    assert "（一）予以公开(8)" in msgs[1] and "=14，不等于（七）总计(13)" in msgs[1]


def test_row_total_per_row():
    r = consistent()
    r.tables.requests["granted"]["natural_person"] = 6  # row 6+1+1 = 8 ≠ 7
    r.tables.requests["partially_granted"]["natural_person"] = 1  # row 1 ≠ 2; column 自然人 unchanged
    found = by_rule(r, "requests.row_total")
    assert fired(r) == ["requests.row_total", "requests.row_total"]
    assert found[0].message == (
        "表三“（一）予以公开”行：自然人(6)+商业企业(1)+科研机构(0)+社会公益组织(0)+法律服务机构(1)+其他(0)=8，"
        "不等于总计(7)"
    )
    assert (found[0].expected, found[0].actual) == (8, 7)


def test_split_number_named_as_such_instead_of_row_total():
    r = consistent()
    r.tables.requests["carried_over"]["total"] = 10  # cells 1 | 0 | 0 … : "10" split over 自然人 and 商业企业
    ids = fired(r)
    assert "requests.split_number" in ids and "requests.row_total" not in ids
    (f,) = by_rule(r, "requests.split_number")
    assert "“自然人”列(1)与“商业企业”列(0)相邻，若原为一个数10则本行相符" in f.message


def test_compensating_error_named_as_such():
    r = consistent()
    r.tables.requests["granted"]["natural_person"] = 4  # one applicant moved to the next column
    r.tables.requests["granted"]["commercial"] = 2
    assert fired(r) == ["requests.compensating"]
    (f,) = by_rule(r, "requests.compensating")
    assert "“自然人”列、“商业企业”列不相符，差额-1、+1正负相抵" in f.message
    assert "补偿性错误" in f.message
    assert "表三“自然人”列：各项办理结果之和" in f.message and "=9，不等于（七）总计(10)" in f.message


def test_non_negative_integer_in_table_3():
    r = consistent()
    r.tables.requests["granted"]["research"] = -1
    ids = fired(r)
    assert "requests.non_negative_integer" in ids
    (f,) = by_rule(r, "requests.non_negative_integer")
    assert f.message == "表三“（一）予以公开”行“科研机构”列为-1，申请件数应为非负整数"


def test_null_cells_give_not_assessable_info_never_a_pass_or_error():
    r = consistent()
    r.tables.requests["granted"]["research"] = None
    r.notes.append(note("blank_cells", cells=["tables.requests.granted.research"]))
    found = check_report(r)
    assert [(f.rule, f.severity) for f in found] == [
        ("template.blank_cells", "warning"),
        ("requests.result_total", "info"),
        ("requests.row_total", "info"),
    ]
    assert found[1].message.startswith("无法核对（表三办理结果合计）：“科研机构”列")
    assert found[2].message == "无法核对（表三行合计）：“（一）予以公开”行含空白或无法读取的单元格"
    assert found[2].cells == ["tables.requests.granted.research"]


# --------------------------------------------------------------------------- table 4


def test_appeals_total_and_the_text_that_quotes_it():
    r = consistent()
    r.tables.appeals["reconsideration"]["total"] = 4
    assert fired(r) == ["appeals.total", "text.appeals_count"]
    (f,) = by_rule(r, "appeals.total")
    assert f.message == "表四“行政复议”：结果维持(1)+结果纠正(1)+其他结果(0)+尚未审结(1)=3，不等于总计(4)"
    assert (f.expected, f.actual) == (3, 4)


def test_appeals_non_negative():
    r = consistent()
    r.tables.appeals["litigation_after_reconsideration"]["upheld"] = -1
    assert fired(r) == ["appeals.non_negative_integer", "appeals.total"]


def zero_requests(r):
    for row in r.tables.requests.values():
        for col in row:
            row[col] = 0
    r.sections.overview = "本年度未收到政府信息公开申请。"
    return r


def test_appeals_without_requests_is_info():
    r = zero_requests(consistent())
    assert [(f.rule, f.severity) for f in check_report(r)] == [("appeals.without_requests", "info")]
    r.tables.appeals = {k: {f: 0 for f in v} for k, v in r.tables.appeals.items()}
    r.sections.appeals = "未发生政府信息公开行政复议、行政诉讼。"
    assert fired(r) == []


def test_after_reconsideration_without_reconsideration_is_info():
    r = consistent()
    r.tables.appeals["reconsideration"] = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    r.tables.appeals["litigation_after_reconsideration"] = {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    r.sections.appeals = "全年发生政府信息公开行政诉讼2件。"  # 1 direct + 1 after reconsideration
    assert [(f.rule, f.severity) for f in check_report(r)] == [("appeals.after_reconsideration", "info")]


# --------------------------------------------------------------------------- table 2


def test_value_type_table_2():
    r = consistent()
    r.tables.active["punishment"]["decisions"] = -3
    assert fired(r) == ["active.value_type"]
    assert by_rule(r, "active.value_type")[0].message == "表二“行政处罚”本年处理决定数量为-3，应为非负整数"
    r = consistent("2019")  # 本年增/减 may be negative: licensing change is -2 in the case
    r.tables.active["licensing"]["change"] = -2.5
    assert by_rule(r, "active.value_type")[0].message == "表二“行政许可”本年增/减为-2.5，应为整数"


def test_published_within_total_2019():
    r = consistent("2019")
    r.tables.active["regulations"]["published"] = 2
    assert fired(r) == ["active.published_within_total"]
    assert by_rule(r, "active.published_within_total")[0].message == "表二“规章”：本年新公开数量(2)大于对外公开总数量(0)"


def test_regulations_without_rule_making_power():
    r = consistent()
    r.meta.agency = "某县教育局"
    r.meta.title = "某县教育局2022年政府信息公开工作年度报告"
    assert fired(r) == []  # zeros: nothing to say
    r.tables.active["regulations"]["in_force"] = 2
    assert fired(r) == ["active.regulations_without_power"]
    f = by_rule(r, "active.regulations_without_power")[0]
    assert "某县教育局不具有规章制定权" in f.message and "现行有效件数2" in f.message
    r.meta.agency = "某市教育局"  # a 市 may be 设区的市: undecided, so quiet
    assert fired(r) == []


@pytest.mark.parametrize(
    "agency, lacks",
    [
        ("乳山市乳山寨镇人民政府", True),
        ("潘庄镇", True),
        ("某市某区某街道办事处", True),
        ("西安市高陵区人民政府", True),
        ("某自治县民政局", True),
        ("某县市场监督管理局", True),
        ("某市住房和城乡建设局", None),
        ("某市乡村振兴局", None),
        ("某区城市管理局", True),
        ("龙港市人民政府", None),
        ("广西壮族自治区人民政府", None),
        ("浙江省人民政府", None),
        (None, None),
    ],
)
def test_rule_making_power_from_the_name(agency, lacks):
    from nianbao.check.agency import lacks_rule_making_power

    assert lacks_rule_making_power(agency) is lacks


# --------------------------------------------------------------------------- template


def test_version_year():
    r = consistent("2021", year=2020)
    assert fired(r) == ["template.version_year"]
    assert by_rule(r, "template.version_year")[0].message == (
        "本报告为2020年度报告，应使用2019年版格式（国办公开办函〔2019〕60号），实际使用的是2021年版格式"
    )


def test_title_missing():
    r = consistent()
    r.meta.title = None
    assert fired(r) == ["template.title"]


def test_chapter_missing():
    r = consistent()
    r.sections.problems = None
    assert fired(r) == ["template.chapter_missing"]
    assert "“五、存在的主要问题及改进情况”" in by_rule(r, "template.chapter_missing")[0].message
    r = consistent()
    r.sections.appeals = None  # the chapter is its table, which is there
    assert fired(r) == []


def test_table_missing_silences_the_rules_that_need_it():
    r = consistent()
    r.tables.appeals = None
    assert fired(r) == ["template.table_missing"]
    assert "表四（政府信息公开行政复议、行政诉讼情况）" in by_rule(r, "template.table_missing")[0].message


def test_tables_as_images():
    r = consistent()
    r.tables.active = r.tables.requests = r.tables.appeals = None
    r.notes.append(note("tables_as_images"))
    assert fired(r) == ["template.tables_as_images"]


@pytest.mark.parametrize(
    "code, rule_id",
    [
        ("label_variant", "template.label_altered"),
        ("subtotal_column", "template.label_altered"),
        ("heading_variant", "template.heading_variant"),
        ("row_missing", "template.row_missing"),
        ("too_many_values", "template.cells_unreadable"),
        ("cells_unplaced", "template.cells_unreadable"),
        ("cells_inferred", "template.cells_inferred"),
        ("digits_split", "template.cells_inferred"),
    ],
)
def test_rules_that_report_the_readers_notes(code, rule_id):
    r = consistent()
    r.notes.append(note(code, "表三“（一）予以公开”行有问题", ["tables.requests.granted.total"]))
    assert fired(r) == [rule_id]
    assert by_rule(r, rule_id)[0].message.startswith("表三“（一）予以公开”行有问题")


def test_unknown_notes_are_not_findings():
    r = consistent()
    r.notes.append(note("reader", "读取说明"))
    assert fired(r) == []


def test_other_single_row_in_a_2021_report():
    r = consistent("2021")
    r.tables.requests = consistent("2019").tables.requests
    assert fired(r) == ["template.other_single_row"]
    r = consistent("2019")
    assert fired(r) == []


def test_blank_cells_from_provenance_too():
    from nianbao.model import Provenance

    r = consistent()
    r.tables.appeals["litigation_after_reconsideration"]["other"] = None
    r.provenance["tables.appeals.litigation_after_reconsideration.other"] = Provenance(raw="", line=3)
    found = check_report(r)
    assert [(f.rule, f.severity) for f in found] == [("template.blank_cells", "warning"), ("appeals.total", "info")]
    assert found[0].message == "表四有1个单元格空白（没有发生的事项应填0）：表四“行政诉讼·复议后起诉”其他结果"


def test_superseded_notice_cited():
    r = consistent()
    r.preamble = "根据《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》(国办公开办函[2019] 60号)要求，编制本报告。"
    assert fired(r) == ["template.superseded_notice"]
    assert by_rule(r, "template.superseded_notice")[0].message == (
        "本报告为2022年度报告，却以国办公开办函〔2019〕60号为编制依据；自2021年度报告起，格式依据为国办公开办函〔2021〕30号"
    )
    r.preamble = "根据国办公开办函〔2021〕30号要求编制本报告。"
    assert fired(r) == []
    r = consistent("2019")
    r.preamble = "根据国办公开办函〔2019〕60号要求编制本报告。"
    assert fired(r) == []


# --------------------------------------------------------------------------- years and dates


def test_year_consistency_period_and_title():
    r = consistent()
    r.preamble = "本报告所列数据的统计期限从2021年1月1日起至2021年12月31日止。"
    assert fired(r) == ["year.consistency"]
    assert "统计期限写的是“2021年1月1日起至2021年12月31日”" in by_rule(r, "year.consistency")[0].message
    r = consistent()
    r.preamble = "本报告所列数据的统计期限从2022年1月1日起至2022年12月31日止。"
    r.meta.title = "某市教育局2021年政府信息公开工作年度报告"
    assert by_rule(r, "year.consistency")[0].message == (
        "报告年度为2022年，但标题写的是2021年（“某市教育局2021年政府信息公开工作年度报告”）"
    )


def test_future_plan_for_the_reported_year():
    r = consistent()
    r.sections.problems = "针对以上问题，2022年我局将进一步加强培训。"
    assert fired(r) == ["year.future_plan"]
    assert "2022年我局将进一步加强培训" in by_rule(r, "year.future_plan")[0].message
    for quiet in ("2023年我局将进一步加强培训。", "2022年，我局将政务公开工作纳入年度考核。", "下一步，我局将继续加强培训。"):
        r.sections.problems = quiet
        assert fired(r) == [], quiet


def test_deadline_department_and_government():
    r = consistent()
    r.meta.published = "2023-02-10"
    assert fired(r) == ["deadline.published"]
    assert by_rule(r, "deadline.published")[0].message == "发布日期为2023-02-10，晚于2023年1月31日的法定期限（人民政府部门年报）"
    r.meta.published = "2023-01-31"
    assert fired(r) == []
    r.meta.published = "2023-02-10"
    r.meta.agency = "某市人民政府"
    assert fired(r) == []  # 本级政府: 3月31日
    r.meta.published = "2023-04-01"
    assert "晚于2023年3月31日的法定期限（本级人民政府年报）" in by_rule(r, "deadline.published")[0].message


def test_deadline_unknown_agency_and_early_date():
    r = consistent()
    r.meta.agency = None
    r.meta.published = "2023-02-10"
    assert [(f.rule, f.severity) for f in check_report(r)] == [("deadline.published", "info")]
    r.meta.published = "2022-12-01"
    assert by_rule(r, "deadline.published")[0].message == (
        "发布日期为2022-12-01，早于统计期结束（2022年12月31日），请核实发布日期或报告年度"
    )
    r.meta.published = None
    assert fired(r) == []


# --------------------------------------------------------------------------- fees


def unpaid_fee(r):
    """Move the one （六）1 application to （六）2 (逾期未缴费): every identity still holds."""
    req = r.tables.requests
    req["other_no_fee"], req["other_no_correction"] = req["other_no_correction"], req["other_no_fee"]
    return r


def test_fees_unpaid_and_not_collected_agree():
    r = unpaid_fee(consistent())
    assert r.sections.other == "本年度未收取信息处理费。"
    assert fired(r) == []


def test_fees_chapter_six_contradicts_table_3():
    r = unpaid_fee(consistent())
    r.sections.other = "本年度没有产生信息处理费。"
    assert fired(r) == ["fees.chapter_six"]
    assert by_rule(r, "fees.chapter_six")[0].message == (
        "表三（六）2“申请人逾期未按收费通知要求缴纳费用”为1件，说明发出过收费通知，但第六部分写“没有产生信息处理费”"
    )
    r.sections.other = "无其他需要报告的事项。"
    assert fired(r) == ["fees.chapter_six"]  # and not fees.not_reported: one finding says it


def test_fee_collected_without_requests():
    r = zero_requests(consistent())
    r.tables.appeals = {k: {f: 0 for f in v} for k, v in r.tables.appeals.items()}
    r.sections.appeals = "未发生政府信息公开行政复议、行政诉讼。"
    r.sections.other = "本年度收取信息处理费200元。"
    assert fired(r) == ["fees.chapter_six"]


def test_fees_not_reported_2021_only():
    r = consistent()
    r.sections.other = "无其他需要报告的事项。"
    assert [(f.rule, f.severity) for f in check_report(r)] == [("fees.not_reported", "info")]
    r = consistent("2019")
    r.sections.other = "无其他需要报告的事项。"
    assert fired(r) == []
    for said in ("本机关未收费。", "本年度未收取任何费用。", "没有产生信息公开处理费。"):
        r = consistent()
        r.sections.other = said
        assert fired(r) == [], said


# --------------------------------------------------------------------------- text against tables


@pytest.mark.parametrize(
    "old, new, rule_id, message",
    [
        (
            "收到政府信息公开申请13件", "收到政府信息公开申请15件", "text.requests_received",
            "正文（第一部分）“全年共收到政府信息公开申请15件”与表格不符：表三“本年新收政府信息公开申请数量”总计为13",
        ),
        (
            "予以公开7件", "予以公开8件", "text.requests_outcome",
            "正文（第一部分）“予以公开8件”与表格不符：表三“（一）予以公开”行总计为7",
        ),
        (
            "无法提供2件", "无法提供3件", "text.requests_outcome",
            "正文（第一部分）“无法提供3件”与表格不符：表三“（四）无法提供”各项总计之和为2",
        ),
        (
            "结转下年度继续办理1件", "结转下年度继续办理2件", "text.requests_carried",
            "正文（第一部分）“结转下年度继续办理2件”与表格不符：表三“结转下年度继续办理”总计为1",
        ),
        (
            "公开占比69.2%", "公开占比70.2%", "text.percentage",
            "正文（第一部分）“公开占比70.2%”与表三不符：按表三计算，予以公开+部分公开(9)÷本年新收(13)=69.2%",
        ),
        (
            "本年制发行政规范性文件3件", "本年制发行政规范性文件4件", "text.normative_documents",
            "正文（第一部分）“本年制发行政规范性文件4件”与表二不符：表二“规范性文件”本年制发件数为3",
        ),
        (
            "本年制发行政规范性文件3件", "主动公开行政规范性文件5件", "text.normative_documents_scope",
            "正文（第一部分）“主动公开行政规范性文件5件”，表二“行政规范性文件”本年制发件数为3；公开数与制发数口径不同，请核实是否应一致",
        ),
    ],
)
def test_text_against_tables_fires(old, new, rule_id, message):
    r = consistent()
    assert old in r.sections.overview
    r.sections.overview = r.sections.overview.replace(old, new)
    assert fired(r) == [rule_id]
    assert by_rule(r, rule_id)[0].message == message


def test_text_received_may_include_the_carried_over():
    r = consistent()
    r.sections.requests = "全年共收到政府信息公开申请14件（其中上年结转1件）。"  # 13 new + 1 carried over
    assert fired(r) == []


def test_text_processed_and_appeals():
    r = consistent()
    r.sections.requests = "本年度共答复政府信息公开申请12件。"
    assert fired(r) == ["text.requests_processed"]
    r = consistent()
    r.sections.appeals = "全年发生政府信息公开行政复议3件，行政诉讼2件。"
    assert fired(r) == ["text.appeals_count"]
    assert by_rule(r, "text.appeals_count")[0].message == (
        "正文（第四部分）“行政诉讼2件”与表格不符：表四行政诉讼两栏（未经复议直接起诉、复议后起诉）总计之和为1"
    )
    r.sections.appeals = "未发生政府信息公开行政复议、行政诉讼案件。"
    assert [f.message for f in by_rule(r, "text.appeals_count")] == [
        "正文（第四部分）“未发生政府信息公开行政复议、行政诉讼”与表格不符：表四行政复议与行政诉讼总计之和为4"
    ]


def test_appeals_lost_against_corrected_litigation():
    r = consistent()
    r.tables.appeals["litigation_direct"] = {"upheld": 0, "corrected": 1, "other": 0, "pending": 0, "total": 1}
    assert fired(r) == []
    r.sections.other = "本年度未收取信息处理费，未发生政府信息公开行政败诉案件。"
    assert fired(r) == ["text.appeals_lost"]
    assert by_rule(r, "text.appeals_lost")[0].message == (
        "正文（第六部分）称“未发生政府信息公开行政败诉案件”，但表四行政诉讼“结果纠正”共1件（未经复议直接起诉1件、复议后起诉0件）"
    )


def test_every_rule_is_exercised_here_or_in_the_pair_tests():
    import pathlib

    here = pathlib.Path(__file__).read_text(encoding="utf-8")
    pair = (pathlib.Path(__file__).parent / "test_check_pair.py").read_text(encoding="utf-8")
    corpus = (pathlib.Path(__file__).parent / "store" / "test_corpus_rules.py").read_text(encoding="utf-8")
    missing = [rid for rid in RULES if f'"{rid}"' not in here + pair + corpus]
    assert missing == []


def test_text_other_year():
    r = consistent()
    r.sections.overview = "2021年，本局共收到政府信息公开申请13件，予以公开7件。"
    assert fired(r) == ["year.text_other_year"]
    assert by_rule(r, "year.text_other_year")[0].message.startswith(
        "报告年度为2022年，正文（第一部分）却以2021年叙述工作情况：“2021年，本局共收到政府信息公开申请13件"
    )
    for quiet in (
        "2022年，本局共收到政府信息公开申请13件，予以公开7件。",
        "与2021年相比，本局共收到政府信息公开申请13件，予以公开7件。",
        "2023年，本局将继续做好依申请公开工作。",
    ):
        r.sections.overview = quiet
        assert "year.text_other_year" not in fired(r), quiet


def test_items_below_zero_2019():
    r = consistent("2019")
    r.tables.active["coercion"]["change"] = -7  # 6 − 7 = −1
    assert fired(r) == ["active.items_below_zero"]
    assert by_rule(r, "active.items_below_zero")[0].message == (
        "表二“行政强制”：上一年项目数量(6)+本年增/减(-7)=-1，本年项目数不能为负"
    )


def test_fee_unit_for_county_bodies_only():
    r = consistent()
    r.meta.agency = "某县市场监督管理局"
    r.tables.active["fees"]["amount"] = 3481768.9  # 元 written in the 万元 column
    assert [(f.rule, f.severity) for f in check_report(r)] == [("active.fee_unit", "info")]
    assert "348.18亿元" in by_rule(r, "active.fee_unit")[0].message
    r.meta.agency = "某省财政厅"
    assert fired(r) == []
    r.meta.agency = "某县市场监督管理局"
    r.tables.active["fees"]["amount"] = 3481.77
    assert fired(r) == []


def test_fees_notices_counted_in_chapter_six():
    r = unpaid_fee(consistent())
    r.sections.other = "本年度发出收费通知1件，申请人逾期未缴费，未收取信息处理费。"
    assert fired(r) == []
    r.sections.other = "本年度发出收费通知书0件，未收取信息处理费。"
    assert by_rule(r, "fees.chapter_six")[0].message == (
        "表三（六）2“申请人逾期未按收费通知要求缴纳费用”为1件，多于第六部分所说发出的收费通知（“发出收费通知书0件”）"
    )


def test_self_reference_of_another_kind_of_body():
    r = consistent()
    r.meta.agency = "某县某某镇人民政府"
    r.meta.title = "某县某某镇人民政府2022年政府信息公开工作年度报告"
    r.sections.problems = "对此，我街道将进一步完善政务新媒体管理机制。下一步，我镇将继续加强培训。"
    assert fired(r) == ["text.self_reference"]
    assert by_rule(r, "text.self_reference")[0].message == (
        "本报告由某县某某镇人民政府发布，正文（第五部分）却写“对此，我街道将进一步完善政务新媒”，自称街道，疑似套用了其他机关的报告"
    )
    r.sections.problems = "下一步，我镇将结合我乡镇实际，推进我乡村振兴信息公开。"
    assert fired(r) == []
    r.meta.agency = None  # unknown body: nothing to compare
    r.sections.problems = "对此，我街道将进一步完善政务新媒体管理机制。"
    assert fired(r) == []


def test_messages_name_grouped_rows_with_their_group():
    r = consistent()
    r.tables.requests["denied_third_party"]["natural_person"] = 0  # row 0 ≠ 1; 自然人 column 9 ≠ 10
    msgs = [f.message for f in check_report(r)]
    assert any(m.startswith("表三“（三）4.保护第三方合法权益”行：自然人(0)+") for m in msgs)


def test_long_not_assessable_lists_are_cut():
    r = consistent()
    for row in r.tables.requests.values():
        row["research"] = None
    (f,) = by_rule(r, "requests.row_total")
    assert f.severity == "info" and "等25处含空白或无法读取的单元格" in f.message  # 25 rows of the 2021 table
    assert len(f.cells) == 25


def test_deadline_of_a_government_report_published_by_its_office():
    r = consistent()
    r.meta.agency = "某市人民政府办公室"
    r.meta.title = "某市人民政府2022年政府信息公开工作年度报告"
    r.meta.published = "2023-03-20"
    assert fired(r) == []  # the 本级政府 report: 3月31日
    r.meta.title = "某市人民政府办公室2022年政府信息公开工作年度报告"
    assert fired(r) == ["deadline.published"]  # the office's own report: 1月31日


def test_compensating_error_in_the_balance():
    r = consistent()
    r.tables.requests["new_received"]["natural_person"] = 9  # 10 → 9
    r.tables.requests["new_received"]["commercial"] = 3  # 2 → 3: the row total 13 still holds
    assert fired(r) == ["requests.compensating"]
    (f,) = by_rule(r, "requests.compensating")
    assert f.message.startswith("表三勾稽关系（本年新收+上年结转=办理结果总计+结转下年度）在“自然人”列、“商业企业”列不相符")
    assert "表三“自然人”列：本年新收(9)+上年结转(1)=10，不等于办理结果总计(10)+结转下年度(1)=11" in f.message
    assert "表三“商业企业”列：本年新收(3)+上年结转(0)=3，不等于办理结果总计(2)+结转下年度(0)=2" in f.message


def test_null_cells_are_blank_unless_the_reader_could_not_read_them():
    r = consistent()
    r.tables.requests["granted"]["research"] = None  # no note: the report left it empty
    assert "template.blank_cells" in fired(r)
    r.notes.append(note("cells_unplaced", "表三“（一）予以公开”行无法确定数字所在的栏", ["tables.requests.granted.research"]))
    ids = fired(r)
    assert "template.blank_cells" not in ids and "template.cells_unreadable" in ids


def test_appeals_figures_in_chapter_four_need_no_context():
    r = consistent()
    r.sections.appeals = "本年度发生行政复议3件，行政诉讼2件。"  # chapter 四 is about these cases
    assert fired(r) == ["text.appeals_count"]
    r.sections.appeals = "全年发生政府信息公开行政复议3件，行政诉讼1件。"
    r.sections.overview += "本局作为复议机关，全年共办理行政复议案件156件。"  # not table 4's cases
    assert fired(r) == []
