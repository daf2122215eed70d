"""The HTML reader: encodings, the report body among page noise, tables as grids, page metadata."""

from pathlib import Path

import pytest

from nianbao.errors import NotAReport
from nianbao.read import read_document
from nianbao.read.decode import decode
from nianbao.read.html import read_html

FIX = Path(__file__).parent / "fixtures" / "formats"


def fixture(name: str):
    return read_document((FIX / name).read_bytes(), name)


def rows(doc):
    return [line.cells for line in doc.lines if line.cells]


def row_for(doc, label: str):
    """The grid row whose cells contain ``label``."""
    return next(c for c in rows(doc) if label in c)


def page(body: str, charset: str = "utf-8", head: str = "") -> str:
    return (f'<html><head><meta charset="{charset}"><title>某县2021年政府信息公开工作年度报告</title>{head}</head>'
            f'<body><div class="nav">首页 | 政府信息公开 | 互动交流</div><div class="TRS_Editor">{body}</div>'
            f'<div class="footer">版权所有 备案号</div></body></html>')


def test_gb18030_bytes_declared_gb2312_keep_characters_gb2312_lacks():
    html = page("<p>一、总体情况</p><p>联系人：陈喆。引用朱镕基同志的论述。</p>", charset="gb2312")
    data = html.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # what a parser trusting the meta tag would do
    doc = read_html(data, "x.html")
    assert "联系人：陈喆。引用朱镕基同志的论述。" in doc.text


def test_gb2312_declared_fixture_keeps_zhe_and_rong():
    doc = fixture("longgang-2021.gb2312-declared.html")
    assert "本报告联系人：陈喆，电话0577-59889297。报告引用朱镕基同志关于政务公开的论述。" in doc.text
    assert "decoded as gb18030" in " ".join(doc.notes)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_decode_any_encoding_without_trusting_meta(encoding):
    html = page("<p>一、总体情况</p><p>本年度共受理申请166件。</p>", charset="utf-8")
    text, _ = decode(html.encode(encoding))
    assert "本年度共受理申请166件。" in text


def test_body_found_in_known_container_and_noise_dropped():
    doc = fixture("longgang-2021.utf8.html")
    text = doc.text
    assert "一、总体情况" in text and "六、其他需要报告的事项" in text
    for noise in ("网站首页", "您现在的位置", "相关文章", "备案号", "打印本页"):
        assert noise not in text, noise


def test_body_found_by_chapters_without_container_or_meta():
    doc = fixture("gaoling-2022.gbk-nometa.html")
    assert "body found by chapters" in " ".join(doc.notes)
    assert "网站首页" not in doc.text and "相关文章" not in doc.text
    assert doc.lines[0].text == "高陵区2022年政府信息公开工作年度报告"
    # the 发布日期/来源 line of the page, no meta tags at all
    assert doc.hints == {"title": "高陵区2022年政府信息公开工作年度报告", "published": "2023-01-18",
                         "agency": "高陵区人民政府办公室"}


def test_metadata_from_meta_tags():
    doc = fixture("longgang-2021.utf8.html")
    assert doc.hints == {"title": "龙港市人民政府2021年政府信息公开工作年度报告", "published": "2022-01-30",
                         "agency": "中共龙港市委市政府办公室"}
    assert doc.reader == "html" and doc.format == "html"


def test_official_layout_rows_expanded():
    doc = fixture("longgang-2021.utf8.html")
    # seed 004: （三）4.保护第三方合法权益 1 0 0 0 0 0 1
    assert row_for(doc, "4.保护第三方合法权益") == (
        "三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益", "1", "0", "0", "0", "0", "0", "1")
    assert row_for(doc, "（七）总计")[2:] == ("（七）总计", "135", "2", "0", "0", "27", "1", "165")
    assert row_for(doc, "行政许可") == ("行政许可", "3747", "3747", "3747")  # value spans 3 columns
    appeals = next(c for c in rows(doc) if len(c) == 15 and c[0] == "0")
    assert appeals == ("0", "8", "1", "0", "9", "2", "0", "0", "1", "3", "0", "0", "0", "0", "0")
    header = next(c for c in rows(doc) if "未经复议直接起诉" in c)
    assert header[:5] == ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    assert header[5:] == ("未经复议直接起诉",) * 5 + ("复议后起诉",) * 5


def test_grid_rows_carry_their_source_line():
    data = (FIX / "longgang-2021.utf8.html").read_bytes()
    source = data.decode("utf-8").splitlines()
    doc = read_html(data, "x.html")
    line = next(l for l in doc.lines if l.cells and "1.属于国家秘密" in l.cells)
    assert "1.属于国家秘密" in source[line.line - 1]
    heading = next(l for l in doc.lines if l.text == "三、收到和处理政府信息公开申请情况")
    assert "三、收到和处理政府信息公开申请情况" in source[heading.line - 1]


def test_table_split_over_two_tables_continues_the_cut_rowspans():
    doc = fixture("gaoling-2022.gbk-nometa.html")
    # the second <table> starts at 3.危及“三安全一稳定”: its group cells come from the first part
    assert row_for(doc, "3.危及“三安全一稳定”") == (
        "三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”", "/", "/", "/", "/", "/", "/", "/")
    assert row_for(doc, "1.信访举报投诉类申请")[:2] == ("三、本年度办理结果", "（五）不予处理")
    assert row_for(doc, "四、结转下年度继续办理") == ("四、结转下年度继续办理",) * 3 + ("/",) * 7


def test_nested_layout_tables_are_walked_not_read_as_grids():
    doc = fixture("gaoling-2022.utf16.html")
    assert "decoded as utf-16" in " ".join(doc.notes)
    assert row_for(doc, "行政规范性文件") == ("行政规范性文件", "1", "7", "13")
    assert row_for(doc, "（一）予以公开")[3:] == ("66", "/", "/", "/", "/", "/", "66")
    # the outer layout table (nav column + body) never becomes a grid row
    assert all(len(c) in (2, 4, 8, 10, 15) for c in rows(doc)), {len(c) for c in rows(doc)}


def test_tables_published_as_images_are_flagged():
    doc = fixture("longgang-2021.images.html")
    assert doc.tables_as_images is True
    assert rows(doc) == []
    assert "二、主动公开政府信息情况" in doc.text


def test_page_that_is_not_a_report_is_refused_with_its_name():
    with pytest.raises(NotAReport) as e:
        fixture("not-a-report.html")
    assert "not-a-report.html" in e.value.message
    assert e.value.code == "not_a_report"


def test_one_column_layout_table_is_text():
    doc = read_html(page("<table><tr><td>一、总体情况</td></tr><tr><td>本年度主动公开信息2481条。</td></tr></table>"
                         "<p>二、主动公开政府信息情况</p>").encode(), "x.html")
    assert [l.text for l in doc.lines] == ["一、总体情况", "本年度主动公开信息2481条。", "二、主动公开政府信息情况"]
    assert rows(doc) == []


def test_br_and_cell_paragraphs():
    doc = read_html(page('<p>一、总体情况<br>第二行</p><table><tr><td><p>结果</p><p>纠正</p></td><td>8</td></tr>'
                         '<tr><td>其他</td><td>1</td></tr></table>').encode(), "x.html")
    assert [l.text for l in doc.lines if not l.cells] == ["一、总体情况", "第二行"]
    assert rows(doc) == [("结果纠正", "8"), ("其他", "1")]


def test_images_beside_a_metadata_table_are_still_tables_as_images():
    body = ('<table><tr><td>发布日期</td><td>2022-01-30</td></tr><tr><td>来源</td><td>县政府办公室</td></tr></table>'
            '<p>一、总体情况</p><p>二、主动公开政府信息情况</p><p><img src="t2.png"></p>'
            '<p>三、收到和处理政府信息公开申请情况</p><p><img src="t3.png"></p>')
    doc = read_html(page(body).encode(), "x.html")
    assert doc.tables_as_images is True
    doc = read_html(page(body.replace('<p><img src="t3.png"></p>', '<table><tr><td>总计</td><td>166</td></tr>'
                                      '<tr><td>其他</td><td>/</td></tr></table>')).encode(), "x.html")
    assert doc.tables_as_images is False


def test_container_holding_part_of_the_report_is_widened():
    html = ('<html><head><meta charset="utf-8"><title>某县2021年政府信息公开工作年度报告</title></head><body>'
            '<div class="nav">首页 | 政府信息公开</div><div class="wz">'
            '<div class="TRS_Editor"><p>一、总体情况</p><p>本年度主动公开信息2481条。</p></div>'
            '<p>二、主动公开政府信息情况</p>'
            '<table><tr><td>信息内容</td><td>本年处理决定数量</td></tr><tr><td>行政许可</td><td>3747</td></tr></table>'
            '</div><div class="footer">版权所有</div></body></html>')
    doc = read_html(html.encode(), "x.html")
    assert "body found by chapters" in " ".join(doc.notes)
    assert ("行政许可", "3747") in rows(doc)
    assert "本年度主动公开信息2481条。" in doc.text and "版权所有" not in doc.text


def test_metadata_box_outside_the_container_does_not_widen_the_body():
    html = ('<html><head><meta charset="utf-8"><title>某县2021年政府信息公开工作年度报告</title></head><body>'
            '<table class="xxgk"><tr><td>索引号</td><td>0000-2022-00001</td></tr>'
            '<tr><td>发文日期</td><td>2022-01-30</td></tr></table>'
            '<div class="TRS_Editor"><p>一、总体情况</p><p>二、主动公开政府信息情况</p>'
            '<table><tr><td>行政许可</td><td>3747</td></tr><tr><td>行政处罚</td><td>12</td></tr></table></div>'
            '</body></html>')
    doc = read_html(html.encode(), "x.html")
    assert "body found by container" in " ".join(doc.notes)
    assert "索引号" not in doc.text


def test_page_that_only_links_the_report_as_an_attachment_says_so():
    body = ('<p>龙港市人民政府2021年政府信息公开工作年度报告</p>'
            '<p>附件：<a href="/uploads/2022/ndbg.pdf">龙港市2021年政府信息公开工作年度报告.pdf</a></p>')
    with pytest.raises(NotAReport) as e:
        read_html(page(body).encode(), "attach.html")
    assert "attach.html" in e.value.message
    assert "龙港市2021年政府信息公开工作年度报告.pdf" in e.value.message and "附件" in e.value.message


def test_hidden_markup_is_not_read():
    body = ('<div style="display: none">一、总体情况 隐藏的摘要</div><p hidden>隐藏段落</p>'
            '<p>一、总体情况</p><p>二、主动公开政府信息情况</p>')
    doc = read_html(page(body).encode(), "x.html")
    assert [l.text for l in doc.lines] == ["一、总体情况", "二、主动公开政府信息情况"]


@pytest.mark.parametrize("info,published,agency", [
    # the info lines of seed 004 and seed 000, as the pages print them
    ("发布日期: 2022- 01- 30 09: 50 浏览次数: 来源: 中共龙港市委市政府办公室 字体:[ ]", "2022-01-30", "中共龙港市委市政府办公室"),
    ("• 发布日期:2023-01-30 14:26:56 • 文章来源:乳山市乳山寨镇人民政府 • 点击次数:", "2023-01-30", "乳山市乳山寨镇人民政府"),
    ("发布时间：2022年01月28日 来源：本站", "2022-01-28", None),
])
def test_info_line_gives_date_and_agency(info, published, agency):
    html = (f'<html><head><title>年度报告</title></head><body><div class="info">{info}</div>'
            '<div class="TRS_Editor"><p>一、总体情况</p><p>二、主动公开政府信息情况</p></div></body></html>')
    doc = read_html(html.encode(), "x.html")
    assert doc.hints.get("published") == published
    assert doc.hints.get("agency") == agency
