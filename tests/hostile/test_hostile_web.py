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
