"""Every list is datasette-grade (issue 15 §3): sorted by a header's column in either direction,
paged, filters and sort in the URL, the page as JSON and every listed row as CSV/Excel in the same
order, a bad sort or page refused in Chinese (JSON for JSON), plain-Chinese empty states, and a
history restore answered with the whole page."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from nianbao import pipeline, store
from test_web_app import client_for
from test_web_data import seed001_report

TOTAL = "tables.requests.new_received.total"
YEARS = (2019, 2020, 2021, 2022, 2023)
N_AGENCIES = 26  # × 5 years = 130 reports: two pages of 100


def agency(i: int) -> str:
    return f"测试{chr(ord('甲') + i)}县人民政府"  # distinct first characters after the common prefix


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("lists") / "l.db")
    with store.open_store(path) as s:
        n = 0
        for i in range(N_AGENCIES):
            for y in YEARS:
                n += 1
                r = seed001_report(agency=agency(i), year=y, sha=f"{n:064x}")
                if i == 3 and y == 2022:
                    r.set(TOTAL, 67)  # one report with a balance error
                pipeline.add_report(s, r, check=True)
    return path


def ids_in(html: str) -> list[str]:
    import re

    body = html.split('id="report-table"')[1].split("</table>")[0]
    return re.findall(r'<a href="/reports/(\d+)">', body)


def names_in(html: str) -> list[str]:
    import re

    body = html.split('id="report-table"')[1].split("</table>")[0]
    return re.findall(r'<a href="/reports/\d+">([^<]+)</a>', body)


def years_in(html: str) -> list[int]:
    import re

    body = html.split('id="report-table"')[1].split("</table>")[0].split("<tbody>")[1]
    return [int(y) for y in re.findall(r'<td class="n">(\d{4})</td>', body)]


def test_the_reports_list_sorts_by_a_column_in_both_directions(db):
    c = client_for(db)
    html = c.get("/reports", params={"sort": "year", "dir": "desc"}).text
    years = years_in(html)
    assert len(years) == 100 and years[:26] == [2023] * 26 and years[26] == 2022
    assert years == sorted(years, reverse=True)
    up = years_in(c.get("/reports", params={"sort": "year", "dir": "asc"}).text)
    assert up[:26] == [2019] * 26 and up == sorted(up)
    # the header of the sorted column shows its direction and links to the other one
    assert 'data-sort="year" title="按“年度”排序" aria-sort="descending">年度 ▼' in html
    assert 'href="/reports?sort=year&amp;dir=asc" data-sort="year"' in html
    # a first click on a number column sorts it largest first; on a text column A→Z
    assert 'href="/reports?sort=errors&amp;dir=desc" data-sort="errors"' in html
    assert 'href="/reports?sort=agency&amp;dir=asc" data-sort="agency"' in html


def test_paging_keeps_sort_and_filters(db):
    c = client_for(db)
    expected = sorted(agency(i) for i in range(N_AGENCIES) for _ in YEARS)[::-1]  # by name, Z→A
    first = c.get("/reports", params={"sort": "agency", "dir": "desc"}).text
    second = c.get("/reports", params={"sort": "agency", "dir": "desc", "page": 2}).text
    assert names_in(first) + names_in(second) == expected
    assert "第 1 / 2 页（共 130 份）" in first
    assert 'href="/reports?sort=agency&amp;dir=desc&amp;page=2" rel="next"' in first
    # a filter is kept by the pager and the headers
    filtered = c.get("/reports", params={"year": 2022, "sort": "agency"}).text
    assert names_in(filtered) == sorted(agency(i) for i in range(N_AGENCIES))
    assert 'href="/reports?year=2022&amp;sort=agency&amp;dir=desc" data-sort="agency"' in filtered
    assert "共 26 份报告" in filtered


def test_the_same_list_as_json_csv_and_excel(db):
    c = client_for(db)
    params = {"year": 2022, "sort": "errors", "dir": "desc"}
    html = c.get("/reports", params=params).text
    page = c.get("/reports", params={**params, "format": "json"}).json()
    assert page["total"] == 26 and page["page"] == 1 and page["pages"] == 1 and page["next"] is None
    assert [str(x["id"]) for x in page["items"]] == ids_in(html)
    assert page["items"][0]["agency"] == agency(3) and page["items"][0]["errors"] >= 1  # the one with errors first
    assert page["sort"] == "errors" and page["dir"] == "desc"
    text = c.get("/reports", params={**params, "format": "csv"}).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["报告编号", "机关", "地区"] and "错误" in table[0]
    assert [row[0] for row in table[1:]] == ids_in(html)
    book = openpyxl.load_workbook(io.BytesIO(c.get("/reports", params={**params, "format": "xlsx"}).content))
    sheet = list(book.active.iter_rows(values_only=True))
    assert [str(row[0]) for row in sheet[1:]] == ids_in(html)
    # CSV carries every row of the filters, not only the page; JSON the page with its next URL
    everything = list(csv.reader(io.StringIO(c.get("/reports", params={"sort": "year", "format": "csv"}).content.decode("utf-8-sig"))))
    assert len(everything) == 1 + 130
    p1 = c.get("/reports", params={"sort": "year", "format": "json"}).json()
    assert len(p1["items"]) == 100 and p1["next"].endswith("/reports?sort=year&page=2&format=json")
    p2 = c.get(p1["next"]).json()
    assert len(p2["items"]) == 30 and p2["next"] is None
    assert {x["id"] for x in p1["items"]} | {x["id"] for x in p2["items"]} == {int(row[0]) for row in everything[1:]}


@pytest.mark.parametrize("path", ["/reports", "/findings", "/coverage", "/rankings"])
@pytest.mark.parametrize("query,word", [("sort=nonsense", "sort"), ("page=0", "page"), ("page=abc", "page"),
                                        ("dir=up", "dir"), ("format=pdf", "format")])
def test_bad_list_parameters_are_refused_in_chinese(db, path, query, word):
    c = client_for(db)
    r = c.get(f"{path}?{query}")
    assert r.status_code == 400 and f"参数“{word}”" in r.text and "<html" in r.text
    j = c.get(f"{path}?{query}&format=json" if word != "format" else f"{path}?{query}", headers={"Accept": "application/json"})
    assert j.status_code == 400
    assert j.json()["error"]["code"] == "bad_parameter" and f"参数“{word}”" in j.json()["error"]["message"]


def test_empty_states_are_plain_chinese(db, tmp_path):
    c = client_for(db)
    none = c.get("/reports", params={"q": "不存在的机关"}).text
    assert "没有符合这些条件的报告" in none and "None" not in none.split('id="report-table"')[1]
    beyond = c.get("/reports", params={"page": 9}).text
    assert "这一页没有报告：共 130 份，只有 2 页。" in beyond and "回到第 1 页" in beyond
    empty = client_for(str(tmp_path / "empty.db"))
    assert "库中还没有年报" in empty.get("/reports").text
    assert "库中的报告没有发现问题（库中还没有年报）" in empty.get("/findings").text


def test_htmx_gets_the_rows_and_a_history_restore_the_whole_page(db):
    c = client_for(db)
    part = c.get("/reports?sort=year&page=2", headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in part.text and 'id="report-table"' in part.text
    assert part.headers["Cache-Control"] == "no-store" and "HX-Request" in part.headers["Vary"]
    whole = c.get("/reports?sort=year&page=2", headers={"HX-Request": "true", "HX-Target": "results",
                                                         "HX-History-Restore-Request": "true"})
    assert "<html" in whole.text and 'id="report-table"' in whole.text
    # the header and pager links swap the rows and push the URL
    assert '<thead hx-boost="true" hx-target="#results" hx-push-url="true">' in part.text


def test_the_findings_list_sorts_pages_and_downloads(db):
    c = client_for(db)
    with store.open_store(db) as s:
        every = list(store.iter_findings(s))
    by_agency = c.get("/findings", params={"sort": "agency", "dir": "desc", "format": "json"}).json()
    assert by_agency["total"] == len(every)
    agencies = [x["agency"] for x in by_agency["items"]]
    assert agencies == sorted(agencies, reverse=True)
    text = c.get("/findings", params={"sort": "agency", "dir": "desc", "format": "csv"}).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:4] == ["问题编号", "报告编号", "机关", "年度"]
    assert [row[0] for row in table[1:101]] == [x["id"] for x in by_agency["items"]]
    errors = c.get("/findings", params={"severity": "error", "format": "json"}).json()
    assert errors["items"] and {x["agency"] for x in errors["items"]} == {agency(3)}
    assert all(x["severity"] == "error" and x["year"] == 2022 for x in errors["items"])
    html = c.get("/findings", params={"sort": "year"}).text
    assert 'aria-sort="descending">年度 ▼' in html  # a year is sorted newest first


def test_downloads_read_a_long_list_a_chunk_at_a_time():
    from nianbao.serve.lists import in_chunks

    asked = []

    def fetch(limit, offset):
        asked.append((limit, offset))
        return list(range(offset, min(offset + limit, 25)))

    assert list(in_chunks(fetch, 25, size=10)) == list(range(25))
    assert asked == [(10, 0), (10, 10), (10, 20)]
