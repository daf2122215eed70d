"""The extractor on small hand-made texts, one layout or difficulty at a time.

Every expected value is worked out by hand from the text in the test.
"""

import pytest

from nianbao import template as T
from nianbao.errors import NotAReport
from nianbao.extract import extract
from nianbao.extract.numbers import parse_number
from nianbao.extract.place import atom_of, place_atoms
from nianbao.parse import parse_bytes
from nianbao.read.document import Document, Line

ROW_TOTAL = [((0, 1, 2, 3, 4, 5), 6)]

LABELS_2021 = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果 （一）予以公开"),
    ("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied_state_secret", "（三）不予公开 1.属于国家秘密"),
    ("denied_prohibited", "2.其他法律行政法规禁止公开"),
    ("denied_three_safety", "3.危及“三安全一稳定”"),
    ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal", "5.属于三类内部事务信息"),
    ("denied_process", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "7.属于行政执法案卷"),
    ("denied_query", "8.属于行政查询事项"),
    ("unable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息"),
    ("unable_need_create", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "3.补正后申请内容仍不明确"),
    ("rejected_complaint", "（五）不予处理 1.信访举报投诉类申请"),
    ("rejected_duplicate", "2.重复申请"),
    ("rejected_publication", "3.要求提供公开出版物"),
    ("rejected_excessive", "4.无正当理由大量反复申请"),
    ("rejected_reconfirm", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "3.其他"),
    ("processed_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]

# A consistent table 3: 5 requests from 自然人, 2 from 商业企业; 4+1 granted, 1 not held, 1 carried on.
VALUES = {k: [0] * 7 for k, _ in LABELS_2021}
VALUES["new_received"] = [5, 2, 0, 0, 0, 0, 7]
VALUES["granted"] = [4, 1, 0, 0, 0, 0, 5]
VALUES["unable_not_held"] = [1, 0, 0, 0, 0, 0, 1]
VALUES["processed_total"] = [5, 1, 0, 0, 0, 0, 6]
VALUES["carried_forward"] = [0, 1, 0, 0, 0, 0, 1]

HEAD = "某某县某某局2022年政府信息公开工作年度报告\n一、总体情况\n2022年，本局认真落实条例。\n"
T2 = (
    "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
    "规章\t0\t0\t0\n行政规范性文件\t2\t1\t9\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t1,234\n"
    "第二十条第（六）项\n信息内容\t本年处理决定数量\n行政处罚\t—\n行政强制\t无\n第二十条第（八）项\n"
    "信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t12.5\n"
)
T3_HEAD = "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n申请人情况\n自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
T4 = "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
TAIL = "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"


def t3(fmt) -> str:
    return T3_HEAD + "".join(fmt(label, VALUES[k]) for k, label in LABELS_2021)


def parse_text(text: str):
    return parse_bytes(text.encode("utf-8"), "x.txt")


def table3(report):
    return {k: [v[c] for c in T.REQUEST_COLUMN_KEYS] for k, v in report.tables.requests.items()}


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "raw, value",
    [("0", 0), ("/", 0), ("-", 0), ("—", 0), ("－", 0), ("无", 0), ("1,234", 1234), ("3481.768936", 3481.768936),
     ("１２", 12), ("251000元", 251000), ("\u00a00", 0), ("+3", 3), ("-3", -3)],
)
def test_cell_text_to_number(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["", "\u00a0", "规章", "1.属于国家秘密", "12万5"])
def test_not_a_number(raw):
    assert parse_number(raw) is None


# --------------------------------------------------------------------------- arithmetic


def atoms(*raws, split=True):
    return [atom_of(r, split) for r in raws]


def test_run_split_unique_by_row_total():
    # 713000074 into seven cells whose first six add up to the seventh: only 71|3|0|0|0|0|74
    placed = place_atoms(atoms("713000074"), 7, None, ROW_TOTAL)
    assert placed.values == [71, 3, 0, 0, 0, 0, 74] and placed.code == "digits_split"


def test_run_split_ambiguous_without_identity():
    placed = place_atoms(atoms("8855698"), 3)  # 8|8|55698, 88|5|5698 …
    assert placed.values == [None, None, None] and len(placed.candidates) > 1
    assert place_atoms(atoms("000"), 3).values == [0, 0, 0]  # leading zeros: one cut only


def test_six_zeros_in_seven_cells_are_not_placed():
    # one cell is blank or lost, and any of the seven may be it: nothing is certain
    placed = place_atoms(atoms(*["0"] * 6, split=False), 7, None, ROW_TOTAL)
    assert placed.values == [None] * 7 and placed.code == "cells_unplaced"


def test_no_cell_of_a_short_row_is_certain():
    # 5 0 0 0 0 5 in seven cells: the blank may be any cell, even a middle one, so no cell's value
    # is certain (the old reader filled the middle 0s from the row identity: a guess)
    placed = place_atoms(atoms("5", "0", "0", "0", "0", "5", split=False), 7, None, ROW_TOTAL)
    assert placed.values == [None] * 7


def test_a_short_row_places_what_its_cell_kinds_force():
    # 2019 许可 row: 上一年项目数量, 本年增/减 (signed), 处理决定数量; printed "4 -1": the signed number
    # can only be 本年增/减, so 4 is 上一年项目数量 and 处理决定数量 is the blank
    placed = place_atoms(atoms("4", "-1", split=False), 3, ["count", "signed", "count"])
    assert placed.values == [4, -1, None]


# --------------------------------------------------------------------------- layouts


def check_all(report):
    assert table3(report) == VALUES
    assert report.tables.active["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 9}
    assert report.tables.active["licensing"] == {"decisions": 1234}
    assert report.tables.active["punishment"] == {"decisions": 0}
    assert report.tables.active["coercion"] == {"decisions": 0}
    assert report.tables.active["fees"] == {"amount": 12.5}
    assert report.meta.year == 2022 and report.meta.template == "2021"
    assert report.meta.agency == "某某县某某局"


def test_tab_separated():
    text = HEAD + T2 + t3(lambda lab, v: lab + "\t" + "\t".join(map(str, v)) + "\n") + T4 + "0\t0\t0\t0\t0\t" * 3 + "\n" + TAIL
    r = parse_text(text)
    check_all(r)
    assert all(v == 0 for b in r.tables.appeals.values() for v in b.values())


def test_cell_per_line_with_blank_lines_and_crlf():
    text = HEAD + T2 + t3(lambda lab, v: lab + "\n\n" + "\n\n".join(map(str, v)) + "\n\n") + T4 + "1\n0\n0\n0\n1\n" + "0\n" * 10 + TAIL
    r = parse_text(text.replace("\n", "\r\n"))
    check_all(r)
    assert r.tables.appeals["reconsideration"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}


def test_markdown_label_line_then_numbers_line():
    def row(lab, v):
        return f"| {lab} | | | | | | | |\n| | " + " | ".join(map(str, v)) + " |\n"

    text = HEAD + T2 + t3(row) + T4 + "| " + " | ".join(["0"] * 15) + " |\n" + TAIL
    check_all(parse_text(text))


def test_label_wrapped_over_lines():
    def row(lab, v):
        mid = max(1, len(lab) // 2)
        return lab[:mid] + "\n" + lab[mid:] + "\t" + "\t".join(map(str, v)) + "\n"

    check_all(parse_text(HEAD + T2 + t3(row) + T4 + "0 " * 15 + "\n" + TAIL))


def test_slash_and_dash_for_zero():
    def row(lab, v):
        return lab + " " + " ".join("/" if x == 0 else str(x) for x in v) + "\n"

    r = parse_text(HEAD + T2 + t3(row) + T4 + " ".join(["—"] * 15) + "\n" + TAIL)
    check_all(r)
    assert r.provenance["tables.requests.carried_over.total"].raw == "/"


def test_traditional_characters_in_labels():
    import opencc

    s2t = opencc.OpenCC("s2t")
    text = HEAD + T2 + s2t.convert(t3(lambda lab, v: lab + "\t" + "\t".join(map(str, v)) + "\n")) + T4 + "0\t" * 15 + "\n" + TAIL
    check_all(parse_text(text))


def test_crawler_text_cells_ran_together():
    # table 2 and table 3 rows with no separators at all; 7|1 … the arithmetic decides
    t2 = "二、主动公开政府信息情况\n第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件8855698\n"
    t3 = T3_HEAD + "一、本年新收政府信息公开申请数量713000074二、上年结转政府信息公开申请数量0000000\n"
    r = parse_text(HEAD + t2 + t3 + TAIL)
    assert r.tables.active["regulations"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert r.tables.active["normative_documents"] == {"issued": None, "repealed": None, "in_force": None}
    assert r.tables.requests["new_received"]["natural_person"] == 71
    assert r.tables.requests["new_received"]["total"] == 74
    assert r.tables.requests["carried_over"]["total"] == 0
    codes = {n.code for n in r.notes}
    assert "digits_ambiguous" in codes and "digits_split" in codes


def test_item_number_glued_to_digits_before_it():
    t3 = T3_HEAD + "（五）不予处理1.信访举报投诉类申请00000002.重复申请1000001\n"
    r = parse_text(HEAD + t3 + TAIL)
    assert table3(r)["rejected_complaint"] == [0] * 7
    assert table3(r)["rejected_duplicate"] == [1, 0, 0, 0, 0, 0, 1]


def test_fewer_numbers_than_columns_not_forced_stays_null():
    t3 = T3_HEAD + "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t5\n"
    r = parse_text(HEAD + t3 + TAIL)
    # six numbers for seven cells: any cell may be the blank one (even a middle 0), so none is
    # placed; filling the gap from the row identity would print a number the report does not
    assert table3(r)["new_received"] == [None] * 7
    assert any(n.code == "cells_unplaced" for n in r.notes)
    assert r.reading.status == "partial"


def test_flat_table4_digit_run():
    r = parse_text(HEAD + T4 + "000000000000000\n" + TAIL)
    assert all(v == 0 for b in r.tables.appeals.values() for v in b.values())


def test_grid_rows_blank_cell_is_null():
    lines = [Line("三、收到和处理政府信息公开申请情况", 1)]
    lines.append(Line("", 2, cells=("一、本年新收政府信息公开申请数量",) * 3 + ("3", "", "0", "0", "0", "0", "3")))
    lines.append(Line("", 3, cells=("四、结转下年度继续办理",) * 3 + ("0",) * 7))
    r = extract(Document(lines, "html", "html"))
    assert r.tables.requests["new_received"]["commercial"] is None
    assert r.provenance["tables.requests.new_received.commercial"].raw == ""
    assert r.tables.requests["new_received"]["total"] == 3
    assert any(n.code == "blank_cells" for n in r.notes)


def test_grid_row_spanning_value_counts_once():
    lines = [Line("二、主动公开政府信息情况", 1), Line("", 2, cells=("信息内容", "本年处理决定数量", "本年处理决定数量", "本年处理决定数量")),
             Line("", 3, cells=("行政许可", "3747", "3747", "3747"))]
    r = extract(Document(lines, "html", "html"))
    assert r.tables.active["licensing"] == {"decisions": 3747}


def test_page_that_is_not_a_report():
    with pytest.raises(NotAReport) as e:
        parse_text("欢迎访问本网站\n今日天气晴\n联系我们")
    assert "x.txt" in str(e.value)


def test_signature_date_in_chinese_numerals():
    r = parse_text(HEAD + TAIL + "某某县某某局\n二〇二三年一月二十日\n")
    assert r.meta.published == "2023-01-20"


def test_subtotal_column_for_legal_persons_is_dropped():
    # software that adds a 法人或其他组织 小计 after 自然人: 5 | (2) | 2 0 0 0 0 | 7
    def row(lab, v):
        return lab + "\t" + "\t".join(map(str, [v[0], sum(v[1:6])] + v[1:])) + "\n"

    r = parse_text(HEAD + T2 + t3(row) + T4 + "0\t" * 15 + "\n" + TAIL)
    assert table3(r) == VALUES
    assert any(n.code == "subtotal_column" for n in r.notes)


def test_title_wrapped_over_two_lines():
    r = parse_text("某某市某某区人民政府\n2022年政府信息公开工作年度报告\n" + HEAD.split("\n", 1)[1] + TAIL)
    assert r.meta.title == "某某市某某区人民政府2022年政府信息公开工作年度报告"
    assert r.meta.agency == "某某市某某区人民政府"


def test_heading_with_text_on_the_same_line():
    long = "一、总体情况。2022年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息120条，受理申请3件，依法按时答复。"
    r = parse_text("某某县某某局2022年政府信息公开工作年度报告\n" + long + "\n" + TAIL)
    assert r.sections.overview.startswith("2022年，本局认真贯彻落实")


def test_overview_subheadings_numbered_like_chapters():
    # 总体情况 numbers its own parts 一、二、…: the chapter 二 heading is the one before table 2
    head = HEAD + "一、主动公开情况\n本局主动公开信息50条。\n二、依申请公开情况\n本局收到申请7件。\n"
    r = parse_text(head + T2 + t3(lambda lab, v: lab + "\t" + "\t".join(map(str, v)) + "\n") + T4 + "0\t" * 15 + "\n" + TAIL)
    check_all(r)
    assert "收到申请7件" in r.sections.overview
    assert r.sections.active == ""


def test_bracketed_numbering_for_chapters():
    text = (HEAD + T2 + t3(lambda lab, v: lab + "\t" + "\t".join(map(str, v)) + "\n") + T4 + "0\t" * 15 + "\n" + TAIL)
    for n, c in zip("一二三四五六", ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                     "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")):
        text = text.replace(f"{n}、{c}", f"（{n}）{c}")
    r = parse_text(text)
    check_all(r)
    assert r.sections.problems == "无。"


def test_label_wrapped_around_its_numbers():
    # PDF text of a tall label cell 10 characters wide: first line, the row's numbers, the rest
    # (a group label such as （六）其他处理 is a cell of its own, on its own line)
    def row(lab, v):
        group, _, lab = lab.rpartition(" ")
        group = group + "\n" if group else ""
        if len(lab) <= 10:
            return group + lab + "\n" + " ".join(map(str, v)) + "\n"
        return group + lab[:10] + "\n" + " ".join(map(str, v)) + "\n" + lab[10:] + "\n"
        if len(lab) <= 10:
            return lab + "\n" + " ".join(map(str, v)) + "\n"
        return lab[:10] + "\n" + " ".join(map(str, v)) + "\n" + lab[10:] + "\n"

    check_all(parse_text(HEAD + T2 + t3(row) + T4 + "0 " * 15 + "\n" + TAIL))


def test_numbers_separated_by_spaces_are_separate_cells():
    assert parse_number("5 2 0") is None


def test_table4_as_label_number_pairs():
    fields = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    nums = [1, 0, 0, 1, 2, 0, 3, 0, 0, 3, 0, 0, 0, 0, 0]
    body = "行政复议\n" + "".join(f"{fields[i % 5]}\n{n}\n" for i, n in enumerate(nums[:5]))
    body += "行政诉讼\n未经复议直接起诉\n" + "".join(f"{fields[i % 5]}\n{n}\n" for i, n in enumerate(nums[5:10]))
    body += "复议后起诉\n" + "".join(f"{fields[i % 5]}\n{n}\n" for i, n in enumerate(nums[10:]))
    r = parse_text(HEAD + "四、政府信息公开行政复议、行政诉讼情况\n" + body + TAIL)
    got = [r.tables.appeals[b][f] for b in T.APPEAL_BLOCK_KEYS for f in T.APPEAL_FIELD_KEYS]
    assert got == nums


@pytest.mark.parametrize(
    "line, date",
    [("发布日期: 2022- 01- 30 09: 50 浏览次数:", "2022-01-30"), ("发 布 时 间 ：2023年1月5日", "2023-01-05"),
     ("成文日期：2022/01/28", "2022-01-28")],
)
def test_publication_date_with_odd_spacing(line, date):
    r = parse_text(HEAD.replace("\n", "\n" + line + "\n", 1) + TAIL)
    assert r.meta.published == date


def test_year_after_title_agency_first_and_period():
    r = parse_text("2021年某某市人民政府政府信息公开工作年度报告\n本报告统计期限为2021年1月1日至12月31日。\n" + TAIL)
    assert (r.meta.agency, r.meta.year) == ("某某市人民政府", 2021)


def test_year_by_majority_when_title_names_the_publication_year():
    text = ("某某县某某局2022年政府信息公开工作年度报告\n本报告统计期限为2021年1月1日至2021年12月31日。\n"
            "一、总体情况\n2021年，本局认真落实条例，2021年全年主动公开信息30条。\n" + TAIL)
    assert parse_text(text).meta.year == 2021


def test_statistical_period_is_not_the_publication_date():
    text = "某某县某某局2021年政府信息公开工作年度报告\n统计时间：2021年1月1日至12月31日\n一、总体情况\n无。\n" + TAIL
    assert parse_text(text).meta.published is None


def test_preamble_kept_and_column_label_variant_noted():
    text = HEAD.replace("一、总体情况", "本报告依据国办公开办函〔2021〕30号编制。\n一、总体情况", 1)
    text += T2.replace("现行有效件数", "现行有效件数（历史累计）") + TAIL
    r = parse_text(text)
    assert r.preamble == "本报告依据国办公开办函〔2021〕30号编制。"
    assert any(n.code == "label_variant" and "历史累计" in n.message for n in r.notes)
    assert r.tables.active["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 9}


def test_lone_number_in_table2_row_is_not_split():
    # 其他对外管理服务事项 prints one number for three columns: 215 is not 2|1|5
    t2 = ("二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
          "行政许可\t4\t-1\t105\n其他对外管理服务事项\t\t\t215\n")
    r = parse_text(HEAD + t2 + TAIL)
    assert r.tables.active["licensing"] == {"previous_items": 4, "change": -1, "decisions": 105}
    assert r.tables.active["other_services"] == {"previous_items": None, "change": None, "decisions": None}


@pytest.mark.parametrize(
    "title, agency, year",
    [("2021年度龙港市人民政府信息公开工作年度报告", "龙港市人民政府", 2021),
     ("国家税务总局龙港市税务局2021年政府信息公开工作年度报告", "国家税务总局龙港市税务局", 2021),
     ("某某县交通运输局2022年度政府信息公开工作报告", "某某县交通运输局", 2022),
     ("某某市某某区人民政府二〇二三年政府信息公开工作年度报告", "某某市某某区人民政府", 2023)],
)
def test_agency_and_year_from_title_variants(title, agency, year):
    r = parse_text(title + "\n一、总体情况\n无。\n" + TAIL)
    assert (r.meta.title, r.meta.agency, r.meta.year) == (title, agency, year)


def test_a_remark_printed_in_a_cell_is_not_a_cell():
    # seed 001 (real, pipe layout) with a remark added to two cells, as converters print them:
    # the cells keep their numbers, the remark's figures go nowhere
    from pathlib import Path

    seed = next((Path(__file__).parent.parent / "samples" / "seeds").glob("001_*.txt")).read_text(encoding="utf-8")
    assert "行政许可 | 84598 |" in seed and "行政处罚 | 19546 |" in seed
    text = seed.replace("行政许可 | 84598 |", "行政许可 | 84598（含告知承诺制办理120件） |")
    text = text.replace("行政处罚 | 19546 |", "行政处罚 | 19546(其中简易程序3件) |")
    r = parse_text(text)
    assert r.tables.active["licensing"] == {"decisions": 84598}
    assert r.tables.active["punishment"] == {"decisions": 19546}
    assert r.tables.active["coercion"] == {"decisions": 178}
