"""机关 (issue 15 §2): assign a report to an agency (report page, 待确认机关 queue), rename, merge
(history kept, the old name an alias that later ingests land on), abolish from a year on (coverage
stops counting it as missing); every change a POST with the CSRF token in the form body, recorded
in the audit log; bad parameters answered with the app's Chinese 4xx page."""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from nianbao import pipeline, store
from nianbao.store import schema as S
from test_web_app import client_for, csrf_of
from test_web_data import seed001_report


def add(db: str, agency: str | None, year: int, sha: str) -> int:
    r = seed001_report(agency or "x", year, sha)
    if agency is None:
        r.meta.agency = None
    with store.open_store(db) as s:
        return pipeline.add_report(s, r, check=True)


def agency_of(db: str, report_id: int) -> int | None:
    with store.open_store(db) as s, s.engine.connect() as conn:
        return conn.execute(select(S.reports.c.agency_id).where(S.reports.c.id == report_id)).scalar()


def agency_named(db: str, name: str) -> int:
    with store.open_store(db) as s, s.engine.connect() as conn:
        return conn.execute(select(S.agencies.c.id).where(S.agencies.c.name == name)).scalar_one()


def audit_rows(db: str) -> list:
    with store.open_store(db) as s, s.engine.connect() as conn:
        return conn.execute(select(S.audit_events).order_by(S.audit_events.c.id)).all()


def text_of(html: str, element_id: str) -> str:
    part = html.split(f'id="{element_id}"', 1)[1].split("</section>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", part))


def test_a_report_without_agency_is_queued_and_assigned_from_the_queue(tmp_path):
    db = str(tmp_path / "w.db")
    longgang = add(db, "龙港市人民政府", 2021, "a" * 64)
    orphan = add(db, None, 2022, "b" * 64)
    lid = agency_of(db, longgang)
    c = client_for(db)
    token = csrf_of(c)
    queue = c.get("/coverage/unassigned").text
    assert f'href="/reports/{orphan}"' in queue and f'action="/reports/{orphan}/agency"' in queue
    assert f'href="/reports/{longgang}"' not in queue
    # without the token in the form body: refused, nothing changes
    r = c.post(f"/reports/{orphan}/agency", data={"agency": f"龙港市人民政府（#{lid}）", "back": "unassigned"})
    assert r.status_code == 403 and agency_of(db, orphan) is None
    r = c.post(f"/reports/{orphan}/agency", data={"agency": f"龙港市人民政府（#{lid}）", "back": "unassigned", "csrf": token},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/coverage/unassigned?assigned={orphan}")
    assert agency_of(db, orphan) == lid
    queue = c.get(r.headers["location"]).text
    assert f'href="/reports/{orphan}"' not in queue and "报告 #%d 已归入" % orphan in queue
    page = c.get(f"/agencies/{lid}").text
    years = text_of(page, "reports-by-year")
    assert "2022" in years and "2021" in years and "人工指定" in years
    history = text_of(page, "history")
    assert f"报告 #{orphan}（2022年" in history and "原为待确认机关" in history and "本机用户" in history
    [event] = audit_rows(db)
    assert (event.action, event.agency_id, event.report_id) == ("assign", lid, orphan)


def test_assigning_a_new_name_creates_the_agency_and_a_reread_keeps_the_assignment(tmp_path):
    db = str(tmp_path / "w.db")
    seed = tmp_path / "longgang.txt"
    from test_web_app import SEEDS

    seed.write_bytes((SEEDS / "004_09848c8a4e14a3e3.txt").read_bytes())
    with store.open_store(db) as s:
        rid = pipeline.ingest_bytes(s, seed.read_bytes(), str(seed)).report_id
    read_as = agency_of(db, rid)
    c = client_for(db)
    r = c.post(f"/reports/{rid}/agency", data={"agency": "龙港市财政局", "csrf": csrf_of(c)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/reports/{rid}#agency"
    new = agency_named(db, "龙港市财政局")
    assert new != read_as and agency_of(db, rid) == new
    page = c.get(f"/reports/{rid}").text
    assert f'<a href="/agencies/{new}" id="agency-link">龙港市财政局</a>' in page
    with store.open_store(db) as s:  # the reader still reads 龙港市人民政府: the person's choice stays
        assert [x.status for x in pipeline.reparse(s, all_reports=True, workers=1)] == ["reparsed"]
    assert agency_of(db, rid) == new
    assert "新建此机关" in audit_rows(db)[0].summary


def test_assign_refusals_are_shown_and_change_nothing(tmp_path):
    db = str(tmp_path / "w.db")
    rid = add(db, "龙港市人民政府", 2021, "a" * 64)
    c = client_for(db)
    token = csrf_of(c)
    r = c.post(f"/reports/{rid}/agency", data={"agency": "  ", "csrf": token})
    assert r.status_code == 400 and "请填写机关名称" in text_of(r.text, "agency")
    r = c.post(f"/reports/{rid}/agency", data={"agency": "#999", "csrf": token})
    assert r.status_code == 400 and "机关编号 999 不存在" in r.text
    r = c.post(f"/reports/{rid}/agency", data={"agency": "x（#998）", "back": "unassigned", "csrf": token})
    assert r.status_code == 400 and "机关编号 998 不存在" in r.text and "待确认机关" in r.text
    r = c.post("/reports/9999/agency", data={"agency": "龙港市人民政府", "csrf": token})
    assert r.status_code == 404 and "报告 9999 不存在" in r.text
    assert audit_rows(db) == []


def test_rename_keeps_the_old_name_as_an_alias_that_later_ingests_land_on(tmp_path):
    db = str(tmp_path / "w.db")
    rid = add(db, "龙港市人民玫府", 2021, "a" * 64)  # a misread 政府
    aid = agency_of(db, rid)
    c = client_for(db)
    token = csrf_of(c)
    r = c.post(f"/agencies/{aid}/rename", data={"name": "龙港市人民政府", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    page = c.get(f"/agencies/{aid}").text
    assert '<h1 id="agency-name">龙港市人民政府</h1>' in page
    assert "龙港市人民玫府" in text_of(page, "agency-meta")  # 曾用名
    assert "更名：“龙港市人民玫府”→“龙港市人民政府”" in text_of(page, "history")
    later = add(db, "龙港市人民玫府", 2022, "b" * 64)  # the old misreading again: the same agency
    assert agency_of(db, later) == aid
    assert agency_of(db, add(db, "龙港市政府", 2023, "c" * 64)) == aid  # the new name's other form too
    with store.open_store(db) as s, s.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(S.agencies)).scalar_one() == 1


def test_rename_refusals(tmp_path):
    db = str(tmp_path / "w.db")
    a = agency_of(db, add(db, "龙港市人民政府", 2021, "a" * 64))
    b = agency_of(db, add(db, "苍南县人民政府", 2021, "b" * 64))
    c = client_for(db)
    token = csrf_of(c)
    r = c.post(f"/agencies/{b}/rename", data={"name": "龙港市政府", "csrf": token})
    assert r.status_code == 400
    msg = text_of(r.text, "agency-actions")
    assert "已是另一机关“龙港市人民政府”" in msg and "合并" in msg
    assert 'value="龙港市政府"' in r.text  # what was typed stays in the form
    r = c.post(f"/agencies/{b}/rename", data={"name": "", "csrf": token})
    assert r.status_code == 400 and "新名称不能为空" in r.text
    r = c.post(f"/agencies/{b}/rename", data={"name": "苍南县人民政府", "csrf": token})
    assert r.status_code == 400 and "新名称与现名称相同" in r.text
    r = c.post("/agencies/777/rename", data={"name": "x", "csrf": token})
    assert r.status_code == 404 and "机关 777 不存在" in r.text
    assert audit_rows(db) == [] and a != b


def test_merge_moves_reports_and_history_and_pairs_the_years(tmp_path):
    db = str(tmp_path / "w.db")
    r2021 = add(db, "龙港市人民政府", 2021, "a" * 64)
    r2022 = add(db, "龙港市人民玫府", 2022, "b" * 64)
    target, source = agency_of(db, r2021), agency_of(db, r2022)
    c = client_for(db)
    token = csrf_of(c)
    c.post(f"/agencies/{source}/abolish", data={"year": "2023", "csrf": token})  # some history of the source
    with store.open_store(db) as s:
        assert not [f for f in store.iter_findings(s, report_id=r2022) if f["rule"].startswith("pair.")]
    r = c.post(f"/agencies/{source}/merge", data={"target": f"龙港市人民政府（#{target}）", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/agencies/{target}#history"
    assert agency_of(db, r2022) == target
    assert c.get(f"/agencies/{source}").status_code == 404
    page = c.get(f"/agencies/{target}").text
    history = text_of(page, "history")
    assert "“龙港市人民玫府”（#%d，报告 1 份）并入本机关" % source in history
    assert "标记为自 2023 年度起撤销" in history  # the source's own history came along
    assert "龙港市人民玫府" in text_of(page, "agency-meta")
    # the two years are one agency's now: the cross-year rules ran (same tables both years)
    with store.open_store(db) as s:
        rules = {f["rule"] for f in store.iter_findings(s, report_id=r2022)}
        assert "pair.tables_copy" in rules
    # a later report printed under the merged-away name lands on the merged agency
    assert agency_of(db, add(db, "龙港市人民玫府", 2023, "c" * 64)) == target
    with store.open_store(db) as s, s.engine.connect() as conn:
        assert conn.execute(select(S.agency_aliases.c.agency_id).where(S.agency_aliases.c.name == "龙港市人民玫府")).scalar() == target
        assert conn.execute(select(func.count()).select_from(S.agency_abolished)).scalar_one() == 0


def test_merge_refusals(tmp_path):
    db = str(tmp_path / "w.db")
    a = agency_of(db, add(db, "龙港市人民政府", 2021, "a" * 64))
    c = client_for(db)
    token = csrf_of(c)
    r = c.post(f"/agencies/{a}/merge", data={"target": str(a), "csrf": token})
    assert r.status_code == 400 and "不能把机关与自身合并" in text_of(r.text, "agency-actions")
    r = c.post(f"/agencies/{a}/merge", data={"target": "不存在的局", "csrf": token})
    assert r.status_code == 400 and "库中没有机关“不存在的局”" in r.text
    r = c.post(f"/agencies/{a}/merge", data={"target": "龙港市人民政府", "csrf": "forged"})
    assert r.status_code == 403
    assert c.get(f"/agencies/{a}").status_code == 200 and audit_rows(db) == []


def test_an_abolished_agency_is_not_missing_from_that_year_on(tmp_path):
    db = str(tmp_path / "w.db")
    add(db, "龙港市人民政府", 2020, "a" * 64)
    add(db, "苍南县人民政府", 2020, "b" * 64)
    add(db, "苍南县人民政府", 2021, "c" * 64)
    add(db, "苍南县人民政府", 2022, "d" * 64)
    lid = agency_named(db, "龙港市人民政府")
    c = client_for(db)

    def missing(year: int) -> list[str]:
        with store.open_store(db) as s:
            return [m["agency"] for m in store.coverage(s, year)["missing"]]

    def page_states(year: int) -> dict[str, str]:
        got = c.get(f"/coverage?year={year}&format=json").json()
        return {it["agency"]: it["state"] for it in got["items"]}

    assert missing(2021) == ["龙港市人民政府"] and "龙港市人民政府" in page_states(2022)
    r = c.post(f"/agencies/{lid}/abolish", data={"year": "2022", "csrf": csrf_of(c)}, follow_redirects=False)
    assert r.status_code == 303
    assert missing(2021) == ["龙港市人民政府"]  # still owed the report of 2021
    assert missing(2022) == [] and missing(2023) == ["苍南县人民政府"]
    assert "龙港市人民政府" in page_states(2021) and "龙港市人民政府" not in page_states(2022)
    assert page_states(2020)["龙港市人民政府"] != "missing"  # a report it published still counts
    assert "自 2022 年度起撤销" in text_of(c.get(f"/agencies/{lid}").text, "agency-meta")
    # restored: owed again
    r = c.post(f"/agencies/{lid}/abolish", data={"restore": "1", "csrf": csrf_of(c)}, follow_redirects=False)
    assert r.status_code == 303 and missing(2022) == ["龙港市人民政府"]
    assert [e.action for e in audit_rows(db)] == ["abolish", "restore"]


def test_abolish_refusals_and_bad_parameters_give_the_chinese_error_page(tmp_path):
    db = str(tmp_path / "w.db")
    a = agency_of(db, add(db, "龙港市人民政府", 2021, "a" * 64))
    c = client_for(db)
    token = csrf_of(c)
    r = c.post(f"/agencies/{a}/abolish", data={"year": "明年", "csrf": token})
    assert r.status_code == 400 and "请填写撤销的起始年度" in text_of(r.text, "agency-actions")
    r = c.post(f"/agencies/{a}/abolish", data={"year": "1066", "csrf": token})
    assert r.status_code == 400 and "年度“1066”无效" in r.text
    r = c.post(f"/agencies/{a}/abolish", data={"restore": "1", "csrf": token})
    assert r.status_code == 400 and "未标记为撤销" in r.text
    for url, status, words in (
        ("/agencies/999", 404, "机关 999 不存在"),
        ("/agencies/abc", 404, "页面或报告不存在"),
        ("/agencies?page=x", 400, "参数“page”应为正整数"),
        ("/agencies/99999999999999999999999", 404, "编号超出范围"),
    ):
        r = c.get(url)
        assert r.status_code == status and words in r.text and "出错了" in r.text, url
    assert audit_rows(db) == []


def test_agency_list_search_and_pick_options(tmp_path):
    db = str(tmp_path / "w.db")
    add(db, "龙港市人民政府", 2021, "a" * 64)
    add(db, "苍南县人民政府", 2021, "b" * 64)
    c = client_for(db)
    listed = text_of(c.get("/agencies?q=龙港").text, "agency-table")
    assert "龙港市人民政府" in listed and "苍南县" not in listed
    assert "没有名称含“平阳”的机关" in c.get("/agencies?q=平阳").text
    options = c.get("/agencies/options?target=苍南").text
    assert re.findall(r'<option value="([^"]+)"', options) == [f"苍南县人民政府（#{agency_named(db, '苍南县人民政府')}）"]
    assert "操作记录" in c.get("/audit").text and "还没有任何操作记录" in c.get("/audit").text
    assert 'href="/agencies"' in c.get("/").text  # in the navigation


# ----------------------------------------------------------------- the store's part, on SQLite and PostgreSQL

PG_URL = os.environ.get("NIANBAO_TEST_PG_URL")


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def corpus(request, tmp_path):
    """A fresh corpus on each backend the suite has (PostgreSQL when scripts/test.sh started one)."""
    if request.param == "sqlite":
        return str(tmp_path / "corpus.db")
    from sqlalchemy import text

    from nianbao.store.db import make_engine, to_url

    engine = make_engine(to_url(PG_URL))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return PG_URL


def test_merge_abolish_and_delete_in_the_store(corpus):
    from nianbao.store import agency_history as AH
    from nianbao.store import report_admin as RA

    r2021 = add(corpus, "龙港市人民政府", 2021, "a" * 64)
    r2022 = add(corpus, "龙港市人民玫府", 2022, "b" * 64)
    target, source = agency_of(corpus, r2021), agency_of(corpus, r2022)
    with store.open_store(corpus) as s:
        AH.set_abolished(s, source, 2024, "张三")
        assert AH.merge_agencies(s, source, target, "张三", pair=pipeline.check_pair) == 1
        assert store.coverage(s, 2022)["missing"] == [] and [m["agency"] for m in store.coverage(s, 2024)["missing"]] == ["龙港市人民政府"]
        assert "pair.tables_copy" in {f["rule"] for f in store.iter_findings(s, report_id=r2022)}
        done = RA.delete_report(s, r2021, "张三", pair=pipeline.check_pair)
        assert done["agency_id"] == target and done["files"] == 1
        assert not [f for f in store.iter_findings(s, report_id=r2022) if f["rule"].startswith("pair.")]
        page = AH.agency_page(s, target)
        assert [y for y, _ in page.years] == [2022] and page.aliases == ["龙港市人民玫府"]
    assert agency_of(corpus, add(corpus, "龙港市人民玫府", 2023, "c" * 64)) == target
    assert [e.action for e in audit_rows(corpus)] == ["abolish", "merge", "delete"]
    assert {e.agency_id for e in audit_rows(corpus)} == {target}


def test_an_ambiguous_agency_is_placed_by_a_person(tmp_path):
    db = str(tmp_path / "w.db")
    rid = add(db, "潘庄镇人民政府", 2021, "a" * 64)  # 潘庄镇 exists in several counties
    aid = agency_of(db, rid)
    c = client_for(db)
    page = c.get(f"/agencies/{aid}").text
    codes = re.findall(r'<option value="(\d+)"', page.split('id="place-form"')[1].split("</form>")[0])
    assert len(codes) >= 2 and "371581108" in codes  # 山东省聊城市临清市潘庄镇 among them
    r = c.post(f"/agencies/{aid}/place", data={"region": "371581108", "csrf": csrf_of(c)}, follow_redirects=False)
    assert r.status_code == 303
    got = c.get(f"/agencies/{aid}?format=json").json()
    assert got["placement"] == "placed" and got["region_code"] == "371581108"
    assert got["place"].startswith("山东省 聊城市 临清市") and got["reports"][0]["id"] == rid
    assert got["history"][0]["action"] == "place" and "371581108" in got["history"][0]["summary"]
    assert 'id="place-form"' not in c.get(f"/agencies/{aid}").text
    # a later report under the same name joins it, placed
    assert agency_of(db, add(db, "潘庄镇人民政府", 2022, "b" * 64)) == aid
    r = c.post(f"/agencies/{aid}/place", data={"region": "12345", "csrf": csrf_of(c)})
    assert r.status_code == 400 and "行政区划代码“12345”不存在" in r.text


def test_agency_list_sorts_pages_and_answers_json(tmp_path, monkeypatch):
    from nianbao.serve.views import agencies as view

    db = str(tmp_path / "w.db")
    add(db, "龙港市人民政府", 2020, "a" * 64)
    add(db, "龙港市人民政府", 2021, "b" * 64)
    add(db, "苍南县人民政府", 2021, "c" * 64)
    add(db, "平阳县人民政府", 2021, "d" * 64)
    monkeypatch.setattr(view, "PAGE_SIZE", 2)
    c = client_for(db)
    first = c.get("/agencies?sort=reports&dir=desc&format=json").json()
    assert first["total"] == 3 and [(x["name"], x["reports"]) for x in first["items"]] == [("龙港市人民政府", 2), ("平阳县人民政府", 1)]
    path, query = first["next"].split("?")
    assert path == "/agencies" and parse_qs(query) == {"sort": ["reports"], "dir": ["desc"], "page": ["2"], "format": ["json"]}
    second = c.get(first["next"]).json()
    assert [x["name"] for x in second["items"]] == ["苍南县人民政府"] and second["next"] is None
    html = c.get("/agencies?sort=reports&dir=desc").text
    assert 'aria-sort="descending"' in html and 'rel="next"' in html
    for url, words in (("/agencies?sort=size", "参数“sort”不是可选的值"), ("/agencies?dir=up", "参数“dir”应为 asc 或 desc"),
                       ("/agencies?format=xml", "参数“format”应为 html 或 json"), ("/audit?format=csv", "参数“format”")):
        r = c.get(url)
        assert r.status_code == 400 and words in r.text and "出错了" in r.text, url
    assert c.get("/audit?format=json").json() == {"total": 0, "items": [], "next": None}
