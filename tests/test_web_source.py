"""The source panel beside a report's tables (issue 15 §5), on real reports:

- a PDF made from a real report (seed 004, 龙港市人民政府 2021, drawn in the official format and
  converted by LibreOffice): each line once, a merged cell once, a printed blank cell pointed at,
  page images at three zooms, cached;
- a crawler page whose whole report is one line (tests/documents/wild/w004, 金井片区 2022): shown
  in the pieces the reader's segment stage cuts, nothing lost, its blank cell's row pointed at;
- seed 003 (a real report the reader reads only in part): a cell with no recorded origin points at
  its row, found by the row's label, and says so;
- no request reads an original again; a report stored before lines were kept says what to do.

Expected texts and values are read off the originals by hand (line numbers of the text files as
an editor shows them)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import html as lhtml

from nianbao import pipeline, store
from nianbao.serve import source
from nianbao.serve.app import create_app

ROOT = Path(__file__).resolve().parent.parent
SEED004 = ROOT / "samples" / "seeds" / "004_09848c8a4e14a3e3.txt"
SEED003 = ROOT / "samples" / "seeds" / "003_8eb29caa53aa2f11.txt"
W004 = ROOT / "tests" / "documents" / "wild" / "w004_jinjingpq_2022.txt"
B001 = ROOT / "tests" / "documents" / "corpus" / "b001_pingtan_lvyouwentiju_2019.html"
B001_TRUTH = ROOT / "tests" / "documents" / "corpus" / "truth" / "b001_pingtan_lvyouwentiju_2019.json"


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "source.db")


def ingest(db: str, data: bytes, name: str) -> int:
    with store.open_store(db) as s:
        return pipeline.ingest_bytes(s, data, name).report_id


def page(db: str, rid: int):
    r = TestClient(create_app(db)).get(f"/reports/{rid}")
    assert r.status_code == 200
    return lhtml.fromstring(r.text)


def rows(doc) -> list:
    return doc.xpath('//div[@id="source"]//li[starts-with(@id, "src-")]')


def row_text(li) -> str:
    return "".join(li.xpath('./span[contains(@class, "tx")]//text()'))


def slots(li) -> list[str]:
    return [s.text_content() for s in li.xpath('.//span[contains(concat(" ", @class, " "), " slot ")]')]


def notes(doc) -> dict:
    return json.loads(doc.xpath('//script[@id="source-notes"]')[0].text)


def holding(doc, path: str) -> list:
    """The panel's rows a cell points at (the row itself, or a grid cell or characters in it)."""
    return [li for li in rows(doc) if path in (li.get("data-cells") or "").split()
            or li.xpath(f'.//*[contains(concat(" ", @data-cells, " "), " {path} ")]')]


# --------------------------------------------------------------------------- a real report as a PDF


@pytest.fixture(scope="module")
def pdfs():
    """Seed 004 in the official format as PDF, as published and with one cell printed blank
    (表三（一）予以公开, 商业企业: 1 in the seed), in one LibreOffice run."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) not installed")
    from nianbao.render.official import layout
    from nianbao.render.official_docx import to_docx
    from nianbao.render.official_pdf import docx_to_pdf_many

    report = pipeline.read_file(SEED004.read_bytes(), str(SEED004))
    blank = report.model_copy(deep=True)
    assert blank.tables.requests["granted"]["commercial"] == 1
    blank.tables.requests["granted"]["commercial"] = None
    whole, with_blank = docx_to_pdf_many([to_docx(layout(report)), to_docx(layout(blank))])
    return whole, with_blank


def test_pdf_lines_are_shown_once_and_a_merged_cell_once(db, pdfs):
    rid = ingest(db, pdfs[0], "longgang-2021.pdf")
    doc = page(db, rid)
    shown = rows(doc)
    kept = store.source.load_lines(store.open_store(db), rid)
    assert len(shown) == len(kept.lines)  # one row per line the reader read, none repeated
    texts = [row_text(li) for li in shown]
    assert all(a != b for a, b in zip(texts, texts[1:]))
    panel = "".join(texts)
    # seed line 657, the last sentence of chapter 六; the header note of 表三 (one cell merged over
    # three rows and three columns in the official format)
    assert panel.count("本年度本机关未收取政府信息公开处理费") == 1
    assert panel.count("本列数据的勾稽关系为") == 1
    # 行政许可 3747 (seed lines 92, 94): the data cell spans the block's three columns, shown once
    licensing = [li for li in shown if slots(li)[:1] == ["行政许可"]]
    assert len(licensing) == 1 and slots(licensing[0]) == ["行政许可", "3747"]
    assert licensing[0].xpath('.//span[@data-cells="tables.active.licensing.decisions"]')[0].text == "3747"
    # every line is on its page, and the page strip lists each page once
    pages = [int(a.get("data-page")) for a in doc.xpath('//a[@class="pagelink"]')]
    assert pages == list(range(1, kept.pages + 1)) and kept.pages >= 2
    assert {int(li.get("data-page")) for li in shown} == set(pages)


def test_a_cell_printed_blank_in_a_pdf_points_at_its_empty_grid_cell(db, pdfs):
    rid = ingest(db, pdfs[1], "longgang-2021-blank.pdf")
    doc = page(db, rid)
    path = "tables.requests.granted.commercial"
    td = doc.xpath(f'//td[@data-path="{path}"]')[0]
    assert td.text_content().strip() == ""  # read as blank, not as 0
    (li,) = holding(doc, path)
    # （一）予以公开 75 1 0 0 27 0 103 in the seed (lines 182–196), the 1 printed blank here; the
    # first result row also shows 三、本年度办理结果, merged down over the other result rows
    assert slots(li) == ["三、本年度办理结果", "（一）予以公开", "75", "", "0", "0", "27", "0", "103"]
    (cell,) = li.xpath(f'.//span[@data-cells="{path}"]')
    assert "blank" in cell.get("class") and cell.text_content() == ""
    assert li.get("data-line") == td.get("data-line") and li.get("data-page") == td.get("data-page")
    assert notes(doc)[path].startswith("原文此格空白")


def test_pdf_pages_at_three_zooms_rendered_once_each(db, pdfs, monkeypatch):
    from PIL import Image
    import io

    rid = ingest(db, pdfs[0], "longgang-2021.pdf")
    calls = []
    real = source.pdf_page_png
    monkeypatch.setattr(source, "pdf_page_png", lambda *a: calls.append(a[1:]) or real(*a))
    c = TestClient(create_app(db))
    sizes = {}
    for zoom in (1, 2, 3, 2):
        r = c.get(f"/reports/{rid}/source/page/1.png", params={"zoom": zoom})
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        sizes[zoom] = Image.open(io.BytesIO(r.content)).size
    assert calls == [(1, 1.5), (1, 3.0), (1, 4.5)]  # the second zoom 2 came from the cache
    from nianbao.serve.views import source as views

    loads = []
    real_data = views.original_data
    monkeypatch.setattr(views, "original_data", lambda *a: loads.append(a) or real_data(*a))
    assert c.get(f"/reports/{rid}/source/page/1.png", params={"zoom": 3}).status_code == 200
    assert loads == []  # a cached page does not even load the original from the database
    assert abs(sizes[2][0] - 2 * sizes[1][0]) <= 2 and abs(sizes[3][1] - 3 * sizes[1][1]) <= 3
    bad = c.get(f"/reports/{rid}/source/page/99.png")
    assert bad.status_code == 400 and "没有第 99 页" in bad.text
    assert c.get(f"/reports/{rid}/source/page/1.png", params={"zoom": 5}).status_code == 400
    html = c.get(f"/reports/{rid}").text
    assert 'data-zoom="1"' in html and 'data-zoom="-1"' in html and f'data-base="/reports/{rid}/source/page/"' in html
    # the printed 3747 (表二 行政许可) is boxed on its page; a blank or a value printed everywhere is not
    td = page(db, rid).xpath('//td[@data-path="tables.active.licensing.decisions"]')[0]
    got = c.get(f"/reports/{rid}/source/page/{td.get('data-page')}/boxes", params={"raw": "3747"}).json()["boxes"]
    assert len(got) == 1 and 0 < got[0]["x"] < 1 and 0 < got[0]["y"] < 1
    assert c.get(f"/reports/{rid}/source/page/1/boxes", params={"raw": ""}).json() == {"boxes": []}


def test_a_text_report_shows_the_pages_of_its_pdf_copy(db, pdfs):
    with store.open_store(db) as s:
        first = pipeline.ingest_bytes(s, SEED004.read_bytes(), "longgang-2021.txt")
        again = pipeline.ingest_bytes(s, pdfs[0], "longgang-2021.pdf")
    assert again.status == "duplicate" and again.report_id == first.report_id
    c = TestClient(create_app(db))
    strip = c.get(f"/reports/{first.report_id}/source/pages").text
    assert "本报告另存有 PDF 副本" in strip and 'data-page="1"' in strip
    assert c.get(f"/reports/{first.report_id}/source/page/1.png").content[:8] == b"\x89PNG\r\n\x1a\n"
    # the cells were read from the text, not from the copy: no boxes on the copy's pages
    assert c.get(f"/reports/{first.report_id}/source/page/1/boxes", params={"raw": "3747"}).json() == {"boxes": []}


def test_a_report_with_no_pdf_has_no_page_strip(db):
    rid = ingest(db, W004.read_bytes(), "w004.txt")
    c = TestClient(create_app(db))
    assert c.get(f"/reports/{rid}/source/pages").text.strip() == ""
    assert c.get(f"/reports/{rid}/source/page/1.png").status_code == 404


# --------------------------------------------------------------------------- a one-line crawler page


def test_a_one_line_crawler_page_is_shown_in_readable_pieces(db):
    rid = ingest(db, W004.read_bytes(), "w004.txt")
    doc = page(db, rid)
    shown = rows(doc)
    body = W004.read_text(encoding="utf-8").split("\n")[9]  # line 10: the whole report
    assert len(body) > 2700
    assert len(shown) > 40 and {li.get("data-line") for li in shown} == {"10"}
    labels = [li.xpath('./span[@class="ln"]')[0].text for li in shown]
    assert labels == [f"10·{k}" for k in range(1, len(shown) + 1)]
    assert doc.xpath('//*[@id="source-segmented"]')
    texts = [row_text(li) for li in shown]
    # nothing lost: the pieces are the line (only spaces between pieces are not shown)
    assert re.sub(r"\s", "", "".join(texts)) == re.sub(r"\s", "", body)
    assert any(t.strip() == "（一）予以公开 0000000" for t in texts)
    assert any(t.strip().startswith("三、收到和处理政府信息公开申请情况") for t in texts)
    assert texts[-1].strip().endswith("平潭综合实验区金井片区管理局 2023年1月4日")
    # 行政许可 0 (表二): the cell points at its piece
    (li,) = holding(doc, "tables.active.licensing.decisions")
    assert row_text(li).strip() == "行政许可0"


def test_a_blank_cell_of_a_crawler_page_points_at_its_row_and_says_so(db):
    rid = ingest(db, W004.read_bytes(), "w004.txt")
    doc = page(db, rid)
    # 四、结转下年度继续办理 0 00000: six numbers for seven cells, one printed blank
    path = "tables.requests.carried_forward.commercial"
    assert doc.xpath(f'//td[@data-path="{path}"]')[0].text_content().strip() == ""
    (li,) = holding(doc, path)
    assert row_text(li).strip() == "四、结转下年度继续办理 0 00000"
    assert notes(doc)[path].startswith("原文此格空白；读取时只记录了它所在的行")


# --------------------------------------------------------------------------- a CMS page with its tables on one line


def test_a_cms_pages_tables_on_one_source_line_are_rows_each_cell_on_its_grid_cell(db):
    """b001 (平潭 旅游与文化体育局 2019, as saved from its CMS): the report's paragraphs and table
    rows all sit on one line of the HTML source; the panel numbers them 行·段, not "325" throughout."""
    rid = ingest(db, B001.read_bytes(), "b001.html")
    doc = page(db, rid)
    shown = rows(doc)
    assert len(shown) > 40
    labels = [li.xpath('./span[@class="ln"]')[0].text for li in shown]
    assert len(set(labels)) == len(labels)
    truth = json.loads(B001_TRUTH.read_text(encoding="utf-8"))["tables"]
    # 行政许可: 上一年项目数量 11, 本年增/减 3, 处理决定数量 15 (the corpus's hand-read truth)
    for column in ("previous_items", "change", "decisions"):
        path = f"tables.active.licensing.{column}"
        (li,) = holding(doc, path)
        assert slots(li)[0] == "行政许可"
        (cell,) = li.xpath(f'.//span[@data-cells="{path}"]')
        assert cell.text == str(truth["active"]["licensing"][column])


def test_lines_kept_before_cells_and_cuts_were_kept_are_still_told_apart(db):
    """A report stored with the older kept lines (line, page, text): two elements of one HTML
    source line are two rows, 1·1 and 1·2 (the cells' origins, on line 10, are said to be missing)."""
    from sqlalchemy import update

    from nianbao.store import schema as S
    from nianbao.store.source import save_lines

    rid = ingest(db, W004.read_bytes(), "w004.txt")
    with store.open_store(db) as s, s.engine.begin() as conn:
        save_lines(conn, rid, "html", [(1, None, "一、总体情况"), (1, None, "行政许可 0")])
        conn.execute(update(S.reports).where(S.reports.c.id == rid).values(format="html"))
    doc = page(db, rid)
    assert [li.xpath('./span[@class="ln"]')[0].text for li in rows(doc)] == ["1·1", "1·2"]
    assert [row_text(li) for li in rows(doc)] == ["一、总体情况", "行政许可 0"]
    assert notes(doc)["tables.active.licensing.decisions"] == "出处第 10 行不在保存的原文行中"


def test_the_originals_text_is_escaped_in_the_panel(db):
    text = W004.read_text(encoding="utf-8").split("\n")
    text[9] = '<img src=x onerror="alert(1)">' + text[9]  # a hostile page: markup in its text
    rid = ingest(db, "\n".join(text).encode("utf-8"), "w004-hostile.txt")
    html = TestClient(create_app(db)).get(f"/reports/{rid}").text
    panel = html.split('id="source"')[1].split("</aside>")[0]
    assert "<img src=x" not in panel and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in panel


# --------------------------------------------------------------------------- cells with no origin


def test_a_cell_with_no_recorded_origin_points_at_its_row_by_label(db):
    rid = ingest(db, SEED003.read_bytes(), "seed003.txt")
    doc = page(db, rid)
    path = "tables.requests.denied_state_secret.natural_person"
    assert doc.xpath(f'//td[@data-path="{path}"]')[0].get("data-line") is None  # no origin recorded
    (li,) = holding(doc, path)
    # seed 003 line 50: (三) 不予公开 ⇥ 1.属于国家秘密 ⇥ ⇥ 0 0 0 0 0 0
    assert li.get("data-line") == "50" and "1.属于国家秘密" in row_text(li)
    assert notes(doc)[path].endswith("已按行名标出原文中的这一行")


# --------------------------------------------------------------------------- never reading again


def test_no_request_reads_the_original_and_an_old_report_says_what_to_do(db, monkeypatch):
    rid = ingest(db, W004.read_bytes(), "w004.txt")
    report = pipeline.read_file(SEED004.read_bytes(), str(SEED004))

    def never(*_a, **_k):
        raise AssertionError("a request read the original again")

    monkeypatch.setattr(pipeline, "read_lines", never)
    monkeypatch.setattr(pipeline, "read_document", never)
    monkeypatch.setattr(pipeline, "parse_document", never)
    assert len(rows(page(db, rid))) > 40
    with store.open_store(db) as s:  # a report stored before lines were kept (built in code)
        old = pipeline.add_report(s, report)
    doc = page(db, old)
    assert rows(doc) == []
    assert "入库时没有保存这份原文的行" in doc.xpath('//div[@id="source"]//p[contains(@class, "alert")]')[0].text


def test_a_report_whose_lines_were_not_kept_gets_them_when_read_again(db):
    from nianbao.store.source import save_lines

    rid = ingest(db, W004.read_bytes(), "w004.txt")
    with store.open_store(db) as s, s.engine.begin() as conn:
        save_lines(conn, rid, "text", None)  # as stored before lines were kept
    doc = page(db, rid)
    assert rows(doc) == [] and "nianbao reparse" in doc.xpath('//div[@id="source"]//p[contains(@class, "alert")]')[0].text
    with store.open_store(db) as s:
        assert [r.report_id for r in pipeline.reparse(s, all_reports=True, workers=1)] == [rid]
    shown = rows(page(db, rid))
    assert len(shown) > 40 and shown[0].xpath('./span[@class="ln"]')[0].text == "10·1"


def test_a_very_long_original_shows_its_start_and_every_row_a_cell_points_at(db):
    """Seed 004 with 4,000 empty lines after its title: the panel keeps 3,000 rows from the start
    and the rows the cells were read from (行政许可 3747 was on line 94, now on line 4094)."""
    lines = SEED004.read_text(encoding="utf-8").split("\n")
    padded = "\n".join(lines[:1] + [""] * 4000 + lines[1:])
    rid = ingest(db, padded.encode("utf-8"), "longgang-padded.txt")
    doc = page(db, rid)
    note = doc.xpath('//p[@id="source-shortened"]')[0].text
    assert f"原文共 {len(lines) + 4000} 行" in note and "只显示前 3000 行" in note
    shown = rows(doc)
    assert 3000 < len(shown) < 3000 + 400
    (li,) = holding(doc, "tables.active.licensing.decisions")
    assert li.get("data-line") == "4094" and row_text(li) == "3747"
