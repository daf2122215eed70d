"""The web app as an attacker meets it: malformed URLs, password bursts, saved cookies after a
logout or a user's removal, CSRF tokens in URLs, zip bombs as uploads."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile

import pytest
from fastapi.testclient import TestClient

from nianbao.serve.app import create_app
from nianbao.serve.security import hash_password

MALFORMED = [
    "/reports/99999999999999999999999",
    "/reports/abc",
    "/reports/1.5",
    "/reports/-99999999999999999999999",
    "/reports/" + "9" * 5000,
    "/reports/99999999999999999999999/page/1.png",
    "/reports/1/page/abc.png",
    "/reports/1/page/99999999999999999999.png",
    "/reports/1/page/x/boxes",
    "/reports?year=abc",
    "/reports?year=99999999999999999999",
    "/coverage?year=二〇二二",
    "/upload/jobs/nope",
    "/no/such/page",
]


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "web.db")


def token(client: TestClient, path: str = "/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def login(client: TestClient, user: str, password: str, address_token: str | None = None):
    return client.post("/login", data={"username": user, "password": password, "csrf": address_token or token(client)},
                       follow_redirects=False)


@pytest.mark.parametrize("url", MALFORMED)
def test_malformed_urls_get_4xx_in_the_apps_own_chinese_page(db, url):
    c = TestClient(create_app(db), raise_server_exceptions=False)
    r = c.get(url)
    assert 400 <= r.status_code < 500, (url, r.status_code)
    assert "出错了" in r.text and "返回总览" in r.text  # the app's error page
    assert "Input should be" not in r.text and "Traceback" not in r.text and "Field required" not in r.text


def test_a_long_number_searched_for_is_text_not_an_id(db):
    c = TestClient(create_app(db), raise_server_exceptions=False)
    assert c.get("/reports?q=99999999999999999999999").status_code == 200


@pytest.mark.parametrize("url,status", [("/api/coverage?year=abc", 400), ("/api/coverage?year=99999999999999999999", 400),
                                        ("/api/reports/99999999999999999999999", 404), ("/export/reports.exe", 400)])
def test_api_paths_answer_json(db, url, status):
    c = TestClient(create_app(db), raise_server_exceptions=False)
    r = c.get(url)
    assert r.status_code == status
    error = r.json()["error"]
    assert error["code"] and re.search(r"[\u4e00-\u9fff]", error["message"])


def test_a_password_burst_is_throttled_per_user_and_logged(db, monkeypatch, caplog):
    monkeypatch.setenv("NIANBAO_USERS", "zhang:s3cret")
    c = TestClient(create_app(db, host="0.0.0.0"))
    t = token(c)
    with caplog.at_level(logging.WARNING, logger="nianbao.serve"):
        codes = [login(c, "zhang", f"guess{k}", t).status_code for k in range(8)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3
    right = login(c, "zhang", "s3cret", t)
    assert right.status_code == 429 and "登录失败次数过多" in right.text  # even the right password waits
    failed = [r for r in caplog.records if "login failed" in r.getMessage()]
    assert len(failed) == 5 and "zhang" in failed[0].getMessage()
    assert any("throttled" in r.getMessage() for r in caplog.records)


def test_failures_from_one_address_are_throttled_across_user_names(db, monkeypatch):
    monkeypatch.setenv("NIANBAO_USERS", "zhang:s3cret")
    c = TestClient(create_app(db, host="0.0.0.0"))
    t = token(c)
    codes = [login(c, f"user{k}", "x", t).status_code for k in range(21)]
    assert codes[:20] == [401] * 20 and codes[20] == 429
    assert login(c, "zhang", "s3cret", t).status_code == 429  # the same address


def test_logout_ends_the_session_for_a_saved_cookie(db, monkeypatch):
    monkeypatch.setenv("NIANBAO_USERS", "zhang:s3cret")
    app = create_app(db, host="0.0.0.0")
    c = TestClient(app)
    assert login(c, "zhang", "s3cret").status_code == 303
    saved = c.cookies.get("nianbao_session")
    assert c.get("/reports", follow_redirects=False).status_code == 200
    c.post("/logout", headers={"X-CSRF-Token": token(c, "/reports")})
    thief = TestClient(app)
    thief.cookies.set("nianbao_session", saved)
    assert thief.get("/reports", follow_redirects=False).status_code == 303  # back to the login page


def test_a_user_removed_from_the_users_file_loses_access(db, tmp_path, monkeypatch):
    monkeypatch.delenv("NIANBAO_USERS", raising=False)
    users = tmp_path / "users.txt"
    users.write_text("zhang:s3cret\nli:other-pass\n", encoding="utf-8")
    c = TestClient(create_app(db, host="0.0.0.0", users_file=str(users)))
    assert login(c, "li", "other-pass").status_code == 303
    assert c.get("/reports", follow_redirects=False).status_code == 200
    users.write_text("zhang:s3cret\n", encoding="utf-8")
    assert c.get("/reports", follow_redirects=False).status_code == 303
    assert login(c, "li", "other-pass").status_code == 401


def test_an_argon2_hash_in_the_users_file_works(db, tmp_path, monkeypatch):
    monkeypatch.delenv("NIANBAO_USERS", raising=False)
    users = tmp_path / "users.txt"
    users.write_text(f"wang:{hash_password('长 密码:1')}\n", encoding="utf-8")
    assert "长 密码" not in users.read_text(encoding="utf-8")
    c = TestClient(create_app(db, host="10.0.0.5", users_file=str(users)))
    assert login(c, "wang", "长 密码").status_code == 401
    assert login(c, "wang", "长 密码:1").status_code == 303


def test_the_csrf_token_is_never_taken_from_the_query_string(db):
    c = TestClient(create_app(db))
    t = token(c, "/upload")
    assert c.post(f"/logout?csrf={t}").status_code == 403
    assert "csrf=" not in c.get("/upload").text.split("<form", 1)[1].split(">", 1)[0]  # the form's URL
    # a multipart form carries it in its body (the upload page without JavaScript)
    r = c.post("/upload", data={"csrf": t}, files=[("files", ("a.txt", b"x", "text/plain"))])
    assert r.status_code == 200
    assert c.post("/upload", data={"csrf": "wrong"}, files=[("files", ("a.txt", b"x", "text/plain"))]).status_code == 403
    # other paths accept a multipart form only with the header
    assert c.post("/reports/1/override", data={"csrf": t, "path": "x"}, files=[("f", ("a", b"x"))]).status_code == 403


def test_an_upload_zip_bomb_is_refused_before_it_is_unpacked(db):
    c = TestClient(create_app(db))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k in range(3):
            z.writestr(f"r{k}.txt", b"a" * (20 * 1024 * 1024))
    assert len(buf.getvalue()) < 200_000
    html = c.post("/upload", files=[("files", ("bomb.zip", buf.getvalue(), "application/zip"))],
                  headers={"X-CSRF-Token": token(c, "/upload")}).text
    assert "压缩比" in html and all(f"bomb.zip!r{k}.txt" in html for k in range(3))
    assert "新入库" not in html  # nothing was read


def test_uploads_are_parsed_in_worker_processes(db, monkeypatch):
    import os

    from nianbao.serve import jobs

    seen = {}
    real = jobs.ingest_inputs

    def spy(store, inputs, **kw):
        seen["engine"] = kw.get("engine")
        return real(store, inputs, **kw)

    monkeypatch.setattr(jobs, "ingest_inputs", spy)
    c = TestClient(create_app(db))
    c.post("/upload", files=[("files", ("a.txt", b"hello", "text/plain"))], headers={"X-CSRF-Token": token(c, "/upload")})
    pool = seen["engine"]
    assert pool is not None and pool.submit(os.getpid).result(timeout=60) != os.getpid()
    assert json.dumps({"ok": True})


# --------------------------------------------------------------------------- every parameter of every route


def seeded(tmp_path):
    """A corpus of two reports of one agency (2021, 2022) and a draft; (db, report, agency, draft)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_web_data import seed001_report

    from nianbao import pipeline, store

    db = str(tmp_path / "seeded.db")
    with store.open_store(db) as s:
        rids = [pipeline.add_report(s, seed001_report("浙江省温州市龙港市人民政府", y, c * 64), check=True)
                for y, c in ((2021, "a"), (2022, "b"))]
    c = TestClient(create_app(db), raise_server_exceptions=False)
    r = c.post("/write", data={"source": str(rids[1]), "csrf": token(c, "/write")}, follow_redirects=False)
    draft = int(r.headers["location"].rsplit("/", 1)[1])
    return db, rids[1], _agency_of(db, rids[1]), draft


def _agency_of(db, report_id):
    from sqlalchemy import select

    from nianbao import store
    from nianbao.store import schema as S

    with store.open_store(db) as s, s.engine.connect() as conn:
        return conn.execute(select(S.reports.c.agency_id).where(S.reports.c.id == report_id)).scalar()


def app_routes(app):
    """Every APIRoute of the app (FastAPI ≥ 0.16x keeps included routers as branches)."""
    from fastapi.routing import APIRoute

    todo, out = list(app.routes), []
    while todo:
        r = todo.pop(0)
        if isinstance(r, APIRoute):
            out.append(r)
        elif hasattr(r, "original_router"):
            todo.extend(r.original_router.routes)
    return out


def declared_query(route) -> dict[str, object]:
    """The query parameters a route takes: its signature's (name → annotation) and ``@takes`` ones (None)."""
    fields: dict[str, object] = {name: None for name in getattr(route.endpoint, "query_names", ())}
    todo = [route.dependant]
    while todo:
        d = todo.pop()
        todo.extend(d.dependencies)
        fields.update({p.alias: p.field_info.annotation for p in d.query_params})
    return fields


# parameters that are numbers whatever their annotation (read from the query string by the view)
NUMERIC_NAMES = {"page", "year", "years", "min_n", "limit", "offset", "zoom", "a", "b", "source", "deleted",
                 "assigned", "to"}
NOT_NUMBERS = ["abc", "²", "١٢", "1.5", "1e3", "-1", "0x10", "99999999999999999999999", "9" * 5000]
ANY_GARBAGE = ["x" * 5000, "<script>alert(1)</script>", "\x00", "%FF", "../../etc/passwd", "'; drop table reports;--"]
SKIP = {"/openapi.json", "/api", "/healthz", "/upload/jobs/{job_id}", "/write/{draft_id}/download.{fmt}",
        "/reports/{report_id}/original", "/reports/{report_id}/files/{sha256}"}  # no query parameter to try


def _is_numeric(name: str, annotation) -> bool:
    return name in NUMERIC_NAMES or "int" in str(annotation)


def test_every_parameter_of_every_route_refuses_garbage_without_a_5xx(tmp_path):
    db, rid, aid, draft = seeded(tmp_path)
    app = create_app(db)
    c = TestClient(app, raise_server_exceptions=False)
    paths = {"report_id": rid, "agency_id": aid, "draft_id": draft, "page": 1, "job_id": "nope", "sha256": "a" * 64,
             "what": "reports", "fmt": "csv"}
    tried, refused = 0, []
    routes = [r for r in app_routes(app) if "GET" in r.methods]
    assert len(routes) >= 30 and any(r.path == "/rankings" for r in routes)
    for route in routes:
        url = route.path.format(**{k: v for k, v in paths.items() if "{" + k + "}" in route.path})
        assert "{" not in url, f"a path parameter this test does not know: {route.path}"
        for name, annotation in declared_query(route).items():
            numeric = _is_numeric(name, annotation)
            for value in NOT_NUMBERS + ANY_GARBAGE if numeric else ANY_GARBAGE:
                r = c.get(url, params={name: value})
                tried += 1
                assert r.status_code < 500, (url, name, value[:30], r.status_code)
                if numeric:  # garbage in a number is never silently ignored
                    assert 400 <= r.status_code < 500, (url, name, value[:30], r.status_code)
                    refused.append((url, name))
                if 400 <= r.status_code < 500 and not route.path.startswith(("/api/", "/export/")):
                    assert "出错了" in r.text and "Input should be" not in r.text, (url, name, value[:30])
        if route.path not in SKIP:  # a parameter the route does not take: refused, not ignored
            r = c.get(url, params={"per": "99999999"})
            assert r.status_code == 400 and "per" in r.text, (url, r.status_code)
    assert tried > 400
    # the numbers of the pages the audit named are among those refused
    assert {("/rankings", "year"), ("/coverage/unassigned", "page"), ("/coverage", "year"),
            ("/agencies", "page")} <= set(refused)


@pytest.mark.parametrize("url,status,words", [
    ("/rankings?year=abc", 400, "参数“year”"), ("/rankings?min_n=abc", 400, "参数“min_n”"),
    ("/rankings?metric=zzz", 400, "参数“metric”"), ("/rankings?level=planet", 400, "参数“level”"),
    ("/audit?page=abc", 400, "“page”"), ("/coverage/unassigned?page=abc", 400, "参数“page”"),
    ("/coverage/unassigned?page=0", 400, "参数“page”"), ("/coverage?year=3000", 400, "参数“year”"),
    ("/reports?per=99999999", 400, "“per”"), ("/reports?page=²", 400, "参数“page”"),
    ("/reports?year=²²²²", 400, "参数“year”"), ("/reports?year=١٢٣٤", 400, "参数“year”"),
    ("/reports?reading=zzz", 400, "参数“reading”"), ("/reports?state=zzz", 400, "参数“state”"),
    ("/agencies?page=²", 400, "参数“page”"), ("/reports/{rid}/trend?years=²²²²", 400, "参数“years”"),
    ("/agencies/{aid}?deleted=abc", 400, "参数“deleted”"), ("/coverage/unassigned?to=abc", 400, "参数“to”"),
])
def test_bad_query_parameters_are_refused_in_chinese_naming_the_parameter(tmp_path, url, status, words):
    db, rid, aid, _ = seeded(tmp_path)
    c = TestClient(create_app(db), raise_server_exceptions=False)
    r = c.get(url.format(rid=rid, aid=aid))
    assert r.status_code == status and words in r.text and "出错了" in r.text
    j = c.get(url.format(rid=rid, aid=aid), headers={"Accept": "application/json"})
    assert j.status_code == status and words in j.json()["error"]["message"]


def test_legitimate_empty_values_from_the_forms_still_work(tmp_path):
    db, rid, aid, _ = seeded(tmp_path)
    c = TestClient(create_app(db), raise_server_exceptions=False)
    for url in ("/reports?q=&province=&year=&kind=&status=&reading=&state=&sort=&dir=&page=", "/?year=&state=",
                "/findings?year=&severity=&state=&rule=", "/coverage?year=&state=", "/rankings?year=&min_n=&metric=&level=",
                "/rankings?year=2022&min_n=3", "/coverage/unassigned?page=", "/agencies?page=&q=",
                f"/reports/{rid}/trend?years=&years=2021", f"/reports/{rid}?done=reread", "/reports?year=2022&page=1"):
        assert c.get(url).status_code == 200, url


@pytest.mark.parametrize("path,form,status,words", [
    ("/agencies/{aid}/merge", {"target": "99999999999999999999999"}, 400, "机关编号 99999999999999999999999 不存在"),
    ("/agencies/{aid}/merge", {"target": "9" * 5000}, 400, "不存在"),
    ("/reports/{rid}/agency", {"agency": "（#99999999999999999999999）"}, 400, "机关编号 99999999999999999999999 不存在"),
    ("/reports/{rid}/agency", {"agency": "#99999999999999999999999"}, 400, "不存在"),
    ("/reports/{rid}/agency", {"agency": "#0"}, 400, "机关编号 0 不存在"),
    ("/reports/{rid}/agency", {"agency": "龙" * 300}, 400, "机关名称过长"),
    ("/agencies/{aid}/abolish", {"year": "²"}, 400, "请填写撤销的起始年度"),
    ("/agencies/{aid}/abolish", {"year": "99999999999999999999999"}, 400, "请填写撤销的起始年度"),
    ("/write", {"source": "99999999999999999999999"}, 400, "请从列表中选择上年报告"),
    ("/write", {"source": "²"}, 400, "请从列表中选择上年报告"),
    ("/write", {"agency": "x", "year": "²〇²²"}, 400, "无效"),
    ("/reports/{rid}/override", {"path": "tables.requests.new_received.total", "value": "99999999999999999999999",
                                 "reason": "核对原文"}, 400, "超出范围"),
    ("/reports/{rid}/delete", {"confirm": "99999999999999999999999"}, 400, "请在确认框中填写报告编号"),
])
def test_numbers_in_form_fields_are_refused_on_the_form_never_a_500(tmp_path, path, form, status, words):
    db, rid, aid, _ = seeded(tmp_path)
    c = TestClient(create_app(db), raise_server_exceptions=False)
    t = token(c, "/write")
    r = c.post(path.format(rid=rid, aid=aid), data={**form, "csrf": t}, follow_redirects=False)
    assert r.status_code == status and words in r.text, (r.status_code, re.findall(r'alert[^>]*>([^<]*)', r.text))
    assert _agency_of(db, rid) == aid  # nothing moved


@pytest.mark.parametrize("body,status", [
    (b"username=" + b"a" * 2_000_000 + b"&password=x", 400),  # over the form parser's 1 MB per field
    (b"username=" + b"a" * 500 + b"&password=x", 401),
    (b"username=\xff\xfe%FF&password=\xc3", 401),
    (b"", 401),
    (b"username=a&username=b&password=x", 401),
    (b"username=%00&password=%00&next=%FF%FE", 401),
])
def test_odd_login_bodies_get_a_chinese_4xx(db, monkeypatch, body, status):
    monkeypatch.setenv("NIANBAO_USERS", "zhang:s3cret")
    c = TestClient(create_app(db, host="0.0.0.0"), raise_server_exceptions=False)
    r = c.post("/login", content=body, follow_redirects=False,
               headers={"content-type": "application/x-www-form-urlencoded", "X-CSRF-Token": token(c)})
    assert r.status_code == status
    assert re.search(r"[\u4e00-\u9fff]", r.text) and "exceeded" not in r.text and "Traceback" not in r.text


def test_a_long_user_name_is_throttled_as_its_first_hundred_characters(db, monkeypatch):
    monkeypatch.setenv("NIANBAO_USERS", "zhang:s3cret")
    app = create_app(db, host="0.0.0.0")
    c = TestClient(app)
    t = token(c)
    for k in range(5):
        assert login(c, "z" * 100 + str(k) * 50_000, "x", t).status_code == 401
    assert login(c, "z" * 100, "x", t).status_code == 429  # the same user as far as the throttle knows
    assert all(len(key) < 200 for key in app.state.throttle._fails)


@pytest.mark.parametrize("target", ["/\\evil.example/x", "/" + "x" * 3000, "/a\r\nSet-Cookie: x=1"])
def test_login_never_redirects_to_an_odd_next(db, monkeypatch, target):
    monkeypatch.setenv("NIANBAO_USERS", "zhang:s3cret")
    c = TestClient(create_app(db, host="0.0.0.0"))
    r = c.post("/login", data={"username": "zhang", "password": "s3cret", "next": target, "csrf": token(c)},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


@pytest.mark.parametrize("ctype,body,words", [
    ("multipart/form-data; boundary=x", b"\xff\xff", "表单格式无效"),
    ("multipart/form-data", b"--x\r\n", "表单格式无效"),
    ("application/x-www-form-urlencoded", "&".join(f"f{i}=1" for i in range(1200)).encode(), "表单字段过多"),
])
def test_malformed_form_bodies_are_answered_in_chinese(db, ctype, body, words):
    c = TestClient(create_app(db), raise_server_exceptions=False)
    r = c.post("/agencies/1/merge", content=body, headers={"content-type": ctype, "X-CSRF-Token": token(c, "/upload")})
    assert r.status_code == 400 and words in r.text and "出错了" in r.text


def test_a_wrong_method_is_answered_in_chinese(db):
    r = TestClient(create_app(db)).delete("/reports")
    assert r.status_code == 405 and "不接受 DELETE 请求" in r.text


# --------------------------------------------------------------------------- spreadsheets uploaded


def xlsx_bomb(unpacked_mb: int = 24) -> bytes:
    """A real workbook whose sheet XML is replaced by ``unpacked_mb`` MB of empty rows: a small file."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["名称", "地区", "类别"])
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, _ = data.partition(b"<sheetData")
                rows = b"<row/>" * (unpacked_mb * 1024 * 1024 // 6)
                data = head + b"<sheetData>" + rows + b"</sheetData></worksheet>"
            dst.writestr(info.filename, data)
    return out.getvalue()


def test_a_zip_bomb_xlsx_roster_is_refused_before_openpyxl_and_the_server_answers(db, monkeypatch):
    import openpyxl

    bomb = xlsx_bomb()
    assert len(bomb) < 200_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as z:
        assert sum(i.file_size for i in z.infolist()) > 20 * 1024 * 1024
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a) or pytest.fail("opened"))
    c = TestClient(create_app(db), raise_server_exceptions=False)
    r = c.post("/coverage/roster", data={"csrf": token(c, "/upload")},
               files={"file": ("名单.xlsx", bomb, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    assert r.status_code == 400 and "名单.xlsx" in r.text and "压缩比" in r.text and "疑似压缩炸弹" in r.text
    assert not opened  # in this process (the worker's own openpyxl is not patched: the message says it was refused)
    assert c.get("/healthz").json() == {"ok": True}


def test_a_zip_bomb_xlsx_register_is_refused_before_openpyxl_and_the_server_answers(tmp_path):
    db, _, _, draft = seeded(tmp_path)
    c = TestClient(create_app(db), raise_server_exceptions=False)
    before = c.get(f"/write/{draft}").text
    r = c.post(f"/write/{draft}/import", data={"csrf": token(c, "/upload"), "kind": "requests"},
               files={"file": ("台账.xlsx", xlsx_bomb(), "application/octet-stream")})
    assert r.status_code == 400 and "台账.xlsx" in r.text and "压缩比" in r.text
    assert c.get("/healthz").status_code == 200
    assert c.get(f"/write/{draft}").text.count("new_received") == before.count("new_received")


def test_a_too_large_register_is_413(tmp_path):
    db, _, _, draft = seeded(tmp_path)
    c = TestClient(create_app(db), raise_server_exceptions=False)
    r = c.post(f"/write/{draft}/import", data={"csrf": token(c, "/upload"), "kind": "records"},
               files={"file": ("记录.csv", b"a" * (20 * 1024 * 1024 + 1), "text/csv")})
    assert r.status_code == 413 and "文件过大" in r.text


def test_a_roster_upload_is_read_off_the_event_loop(db, monkeypatch):
    """While one upload is being read (slowly), another request is answered at once."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from nianbao.serve import jobs
    from nianbao.store import roster

    workers = ThreadPoolExecutor(2)  # stands for the worker processes, so that the slow reader below is used
    monkeypatch.setattr(jobs, "pool", lambda: workers)
    real = roster.parse_roster

    def slow(*args):
        time.sleep(2)
        return real(*args)

    monkeypatch.setattr(roster, "parse_roster", slow)
    with TestClient(create_app(db)) as c:
        t = token(c, "/upload")
        got = {}
        upload = threading.Thread(target=lambda: got.setdefault("r", c.post(
            "/coverage/roster", data={"csrf": t}, files={"file": ("名单.csv", "名称\n龙港市人民政府\n".encode(), "text/csv")})))
        upload.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert c.get("/healthz").status_code == 200
        took = time.monotonic() - started
        assert upload.is_alive()  # still reading
        upload.join(30)
    workers.shutdown()
    assert took < 1.0, took
    assert got["r"].status_code == 200 and "新增 1" in got["r"].text


def test_a_cell_too_large_for_the_database_is_refused_on_the_editor_form(tmp_path):
    db, _, _, draft = seeded(tmp_path)
    c = TestClient(create_app(db), raise_server_exceptions=False)
    cell = "tables.requests.new_received.total"
    before = re.search(r'name="%s"[^>]*value="([^"]*)"' % re.escape(cell), c.get(f"/write/{draft}").text).group(1)
    r = c.post(f"/write/{draft}", data={cell: "99999999999999999999999", "csrf": token(c, "/upload")}, follow_redirects=False)
    assert r.status_code == 400 and "超出范围" in r.text
    after = re.search(r'name="%s"[^>]*value="([^"]*)"' % re.escape(cell), c.get(f"/write/{draft}").text).group(1)
    assert after == before and before != "99999999999999999999999"


def test_the_editors_check_runs_off_the_event_loop(tmp_path, monkeypatch):
    """While one draft is being checked (slowly), another request is answered at once."""
    import threading
    import time

    from nianbao import draft as D

    db, _, _, draft = seeded(tmp_path)
    real = D.findings

    def slow(*args, **kw):
        time.sleep(2)
        return real(*args, **kw)

    with TestClient(create_app(db)) as c:
        t = token(c, "/upload")
        monkeypatch.setattr(D, "findings", slow)
        got = {}
        check = threading.Thread(target=lambda: got.setdefault("r", c.post(
            f"/write/{draft}/check", data={"tables.requests.new_received.total": "5"}, headers={"X-CSRF-Token": t})))
        check.start()
        time.sleep(0.5)
        started = time.monotonic()
        assert c.get("/healthz").status_code == 200
        took = time.monotonic() - started
        assert check.is_alive()
        check.join(30)
    assert took < 1.0, took
    assert got["r"].status_code == 200
