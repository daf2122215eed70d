"""The JSON API of spec §10: every resource, paging through ``next``, filters, the error shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nianbao import pipeline, store
from nianbao.model import Finding
from nianbao.store.coverage import last_due_year
from nianbao.serve.app import create_app
from test_web_data import BALANCE, seed001_report

WARN = Finding(rule="text.example", severity="warning", message="示例警告", cells=[])


@pytest.fixture
def corpus(tmp_path):
    """Five reports: 高陵区 2021 and 2022 (2022 with an error), 龙港市 2021 and 2022, 洞头区 2020.

    Each agency's 2022 report repeats its 2021 one, so ingest adds three cross-year warnings to it
    (pair.in_force: 13+1−7=7 ≠ 13; pair.tables_copy; pair.text_copy)."""
    db = str(tmp_path / "api.db")
    ids = {}
    with store.open_store(db) as s:
        for i, (agency, year, findings) in enumerate([
            ("西安市高陵区人民政府", 2022, [BALANCE, WARN]),
            ("西安市高陵区人民政府", 2021, []),
            ("龙港市人民政府", 2022, []),
            ("龙港市人民政府", 2021, [WARN]),
            ("温州市洞头区人民政府", 2020, []),
        ]):
            r = seed001_report(agency=agency, year=year, sha=str(i + 1) * 64)
            r.findings = list(findings)
            ids[(agency[:5], year)] = pipeline.add_report(s, r)
    return db, ids


def get(client, url, expect=200, **params):
    resp = client.get(url, params=params)
    assert resp.status_code == expect, (url, resp.status_code, resp.text)
    return resp.json()


def test_reports_list_shape_order_and_filters(corpus):
    db, ids = corpus
    c = TestClient(create_app(db))
    page = get(c, "/api/reports")
    assert page["total"] == 5 and page["next"] is None
    # newest year first, then by agency name (Unicode order: 温 < 西 < 龙)
    assert [(i["agency"], i["year"]) for i in page["items"]] == [
        ("西安市高陵区人民政府", 2022), ("龙港市人民政府", 2022),
        ("西安市高陵区人民政府", 2021), ("龙港市人民政府", 2021), ("温州市洞头区人民政府", 2020),
    ]
    first = page["items"][0]
    assert first == {
        "id": ids[("西安市高陵", 2022)], "agency": "西安市高陵区人民政府", "year": 2022, "template": "2021",
        "published": "2023-01-20", "status": "errors", "reading": {"status": "complete"}, "errors": 1, "warnings": 4,
    }
    assert get(c, "/api/reports", year=2021)["total"] == 2
    assert {i["agency"] for i in get(c, "/api/reports", region="温州市")["items"]} == {"龙港市人民政府", "温州市洞头区人民政府"}
    assert [i["id"] for i in get(c, "/api/reports", status="errors")["items"]] == [ids[("西安市高陵", 2022)]]
    assert get(c, "/api/reports", agency="龙港")["total"] == 2
    assert get(c, "/api/reports", q="洞头")["total"] == 1
    assert get(c, "/api/reports", reading="complete")["total"] == 5
    assert get(c, "/api/reports", reading="partial")["total"] == 0
    assert get(c, "/api/reports", status="partial")["total"] == 0


def test_paging_follows_next_until_null(corpus):
    db, _ = corpus
    c = TestClient(create_app(db))
    page = get(c, "/api/reports", limit=2)
    seen = [i["id"] for i in page["items"]]
    pages = 1
    while page["next"]:
        resp = c.get(page["next"])
        assert resp.status_code == 200
        page = resp.json()
        assert page["total"] == 5
        seen += [i["id"] for i in page["items"]]
        pages += 1
    assert pages == 3 and len(seen) == 5 and len(set(seen)) == 5
    assert [i["id"] for i in get(c, "/api/reports", limit=2, offset=4)["items"]] == seen[4:]
    # a filter is kept in the next page's URL
    page = get(c, "/api/reports", year=2022, limit=1)
    assert "year=2022" in page["next"]
    assert c.get(page["next"]).json()["items"][0]["year"] == 2022
    assert get(c, "/api/reports", limit=0)["items"] == []


def test_one_report_with_findings_and_corrections(corpus):
    db, ids = corpus
    rid = ids[("西安市高陵", 2022)]
    with store.open_store(db) as s:
        store.add_override(s, rid, "tables.requests.new_received.total", 65, "原表笔误，以正文为准", "张三")
    c = TestClient(create_app(db))
    obj = get(c, f"/api/reports/{rid}")
    assert obj["id"] == rid and obj["schema_version"] == 1
    assert obj["meta"]["agency"] == "西安市高陵区人民政府" and obj["meta"]["year"] == 2022
    # the corrected value in place; the value read (66) kept in "corrections"
    assert obj["tables"]["requests"]["new_received"]["total"] == 65
    assert obj["tables"]["requests"]["granted"]["total"] == 66
    [(cell, corr)] = obj["corrections"].items()
    assert cell == "tables.requests.new_received.total" and corr["value"] == 65 and corr["read"] == 66
    assert corr["by"] == "张三" and corr["note"] == "原表笔误，以正文为准"
    assert obj["reading"]["status"] == "complete"
    rules = sorted(f["rule"] for f in obj["findings"])
    assert rules == ["pair.in_force", "pair.tables_copy", "pair.text_copy", "requests.balance", "text.example"]
    assert all(isinstance(f["id"], str) and f["id"] and f["state"] == "open" for f in obj["findings"])
    assert obj["provenance"]["tables.requests.new_received.total"]["line"] == 28


def test_findings_filters_and_items(corpus):
    db, ids = corpus
    c = TestClient(create_app(db))
    page = get(c, "/api/findings")
    assert page["total"] == 9  # 高陵 2022: 2 + 3 cross-year; 龙港 2022: 3 cross-year; 龙港 2021: 1
    errors = get(c, "/api/findings", severity="error")
    assert errors["total"] == 1
    item = errors["items"][0]
    assert item["rule"] == "requests.balance" and item["expected"] == 66 and item["actual"] == 65
    assert item["report_id"] == ids[("西安市高陵", 2022)] and item["agency"] == "西安市高陵区人民政府" and item["year"] == 2022
    assert item["state"] == "open" and item["source"]["path"] == "seed001.txt"
    assert get(c, "/api/findings", rule="text.example")["total"] == 2
    assert get(c, "/api/findings", year=2021)["total"] == 1
    assert get(c, "/api/findings", region="温州市")["total"] == 4
    assert get(c, "/api/findings", agency="高陵")["total"] == 5
    assert get(c, "/api/findings", rule="pair.tables_copy")["total"] == 2
    assert get(c, "/api/findings", state="open")["total"] == 9
    assert get(c, "/api/findings", state="dismissed")["total"] == 0
    # a reviewed finding keeps its id and shows its state and review
    from nianbao.store.review import review

    with store.open_store(db) as s:
        review(s, item["id"], "confirmed", note="已核实", by="李四")
    confirmed = get(c, "/api/findings", state="confirmed")
    assert confirmed["total"] == 1 and confirmed["items"][0]["id"] == item["id"]
    assert confirmed["items"][0]["review"]["by"] == "李四" and confirmed["items"][0]["review"]["note"] == "已核实"
    assert get(c, "/api/findings", state="open")["total"] == 8
    assert get(c, "/api/findings", state="resolved") == {"total": 0, "items": [], "next": None}


def test_agencies_and_coverage(corpus):
    db, ids = corpus
    c = TestClient(create_app(db))
    page = get(c, "/api/agencies")
    assert page["total"] == 3
    by_name = {i["name"]: i for i in page["items"]}
    assert by_name["龙港市人民政府"]["reports"] == 2 and by_name["温州市洞头区人民政府"]["reports"] == 1
    assert by_name["龙港市人民政府"]["region"] == "浙江省温州市龙港市" and by_name["龙港市人民政府"]["kind"] == "政府"
    assert {i["name"] for i in get(c, "/api/agencies", region="浙江省")["items"]} == {"龙港市人民政府", "温州市洞头区人民政府"}
    assert get(c, "/api/agencies", kind="部门")["total"] == 0
    cov = get(c, "/api/coverage", year=2022, region="温州市")
    assert cov == {
        "year": 2022,
        "published": [{"agency": "龙港市人民政府", "report_id": ids[("龙港市人民", 2022)], "status": "clean"}],
        "missing": [{"agency": "温州市洞头区人民政府"}],
    }


def test_coverage_defaults_to_the_last_year_past_its_deadline():
    import datetime as dt

    # 本级政府 reports are due by 3月31日 of the next year
    assert last_due_year(dt.date(2026, 3, 31)) == 2024
    assert last_due_year(dt.date(2026, 4, 1)) == 2025
    assert last_due_year(dt.date(2026, 12, 1)) == 2025


@pytest.mark.parametrize("url, params, words", [
    ("/api/reports", {"year": "二〇二二"}, ["year", "整数"]),
    ("/api/reports", {"limit": "-1"}, ["limit", "不能小于 0"]),
    ("/api/reports", {"limit": "1001"}, ["limit", "不能大于 1000"]),
    ("/api/reports", {"offset": "x"}, ["offset", "整数"]),
    ("/api/reports", {"status": "bad"}, ["status", "clean | errors | partial | unreadable"]),
    ("/api/reports", {"yaer": "2022"}, ["未知参数", "yaer"]),
    ("/api/findings", {"severity": "fatal"}, ["severity", "error | warning | info"]),
    ("/api/findings", {"state": "closed"}, ["state"]),
    ("/api/agencies", {"limit": "many"}, ["limit", "整数"]),
    ("/api/coverage", {"year": "last"}, ["year", "整数"]),
    ("/api/reports/abc", {}, ["report_id", "整数"]),
])
def test_bad_parameters_answer_400_in_one_shape(corpus, url, params, words):
    db, _ = corpus
    body = get(TestClient(create_app(db)), url, 400, **params)
    assert list(body) == ["error"] and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == "bad_parameter"
    for w in words:
        assert w in body["error"]["message"], (w, body)


def test_unknown_ids_and_paths_answer_404_in_the_same_shape(corpus):
    db, _ = corpus
    c = TestClient(create_app(db))
    body = get(c, "/api/reports/99999", 404)
    assert body == {"error": {"code": "not_found", "message": "报告 99999 不存在"}}
    body = get(c, "/api/nothing", 404)
    assert set(body["error"]) == {"code", "message"} and "不存在" in body["error"]["message"]


def test_openapi_and_the_documentation_page_list_every_endpoint(corpus):
    db, _ = corpus
    c = TestClient(create_app(db))
    spec = get(c, "/openapi.json")
    for path in ("/api/reports", "/api/reports/{report_id}", "/api/findings", "/api/agencies", "/api/coverage"):
        assert "get" in spec["paths"][path], path
    params = {p["name"] for p in spec["paths"]["/api/findings"]["get"]["parameters"]}
    assert params == {"year", "rule", "severity", "state", "region", "agency", "limit", "offset"}
    html = c.get("/api").text
    for path in ("/api/reports", "/api/findings", "/api/agencies", "/api/coverage", "/openapi.json"):
        assert path in html
    assert "每页条数，默认 100，最多 1000" in html and "示例" in html
    assert '<a href="/api" class="on"' in html
