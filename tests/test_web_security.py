"""Login on non-local addresses, CSRF on every form, bounded requests, safe redirects."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from nianbao.cli import app as cli
from nianbao.serve.app import create_app
from nianbao.serve.security import ConfigError, check_password, hash_password, parse_users


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "web.db")


def token(client: TestClient, path: str = "/login") -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def test_a_public_address_without_users_refuses_to_start(db, monkeypatch):
    monkeypatch.delenv("NIANBAO_USERS", raising=False)
    with pytest.raises(ConfigError, match="NIANBAO_USERS"):
        create_app(db, host="0.0.0.0")


def test_the_cli_says_why_it_cannot_start(db, monkeypatch):
    monkeypatch.delenv("NIANBAO_USERS", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "无法启动" in result.output and "NIANBAO_USERS" in result.output


def test_login_is_required_on_a_public_address(db, monkeypatch):
    monkeypatch.setenv("NIANBAO_USERS", "zhang:s3cret,li:other")
    c = TestClient(create_app(db, host="0.0.0.0"))
    r = c.get("/reports?year=2021", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/reports%3Fyear%3D2021"
    assert c.get("/export/reports.csv", follow_redirects=False).status_code == 303
    t = token(c)
    bad = c.post("/login", data={"username": "zhang", "password": "wrong", "csrf": t, "next": "/"})
    assert bad.status_code == 401 and "用户名或密码不正确" in bad.text
    ok = c.post("/login", data={"username": "zhang", "password": "s3cret", "csrf": t, "next": "/reports"}, follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/reports"
    page = c.get("/reports")
    assert page.status_code == 200 and "zhang" in page.text
    c.post("/logout", data={"csrf": token(c, "/reports")})
    assert c.get("/", follow_redirects=False).status_code == 303


def test_login_needs_the_csrf_token_and_never_redirects_off_site(db, monkeypatch):
    monkeypatch.setenv("NIANBAO_USERS", "zhang:s3cret")
    c = TestClient(create_app(db, host="0.0.0.0"))
    assert c.post("/login", data={"username": "zhang", "password": "s3cret"}).status_code == 403
    r = c.post("/login", data={"username": "zhang", "password": "s3cret", "csrf": token(c), "next": "//evil.example/x"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_local_address_needs_no_login(db, monkeypatch):
    monkeypatch.delenv("NIANBAO_USERS", raising=False)
    assert TestClient(create_app(db)).get("/", follow_redirects=False).status_code == 200


def test_users_file_with_hashed_password(db, tmp_path, monkeypatch):
    monkeypatch.delenv("NIANBAO_USERS", raising=False)
    users = tmp_path / "users.txt"
    users.write_text(f"# reviewers\nwang:{hash_password('pa:ss')}\n", encoding="utf-8")
    c = TestClient(create_app(db, host="10.0.0.5", users_file=str(users)))
    r = c.post("/login", data={"username": "wang", "password": "pa:ss", "csrf": token(c)}, follow_redirects=False)
    assert r.status_code == 303


def test_passwords_and_users_parsing():
    stored = hash_password("秘密", scheme="pbkdf2")
    assert stored.startswith("pbkdf2_sha256$") and check_password("秘密", stored) and not check_password("秘", stored)
    argon = hash_password("秘密")
    assert argon.startswith("$argon2id$") and check_password("秘密", argon) and not check_password("秘", argon)
    assert not check_password("秘密", "$argon2id$broken")
    assert parse_users("a:1, b:2:3", "env") == {"a": "1", "b": "2:3"}
    assert parse_users("c:x,y\n", "users.txt", commas=False) == {"c": "x,y"}
    with pytest.raises(ConfigError, match="第 1 项"):
        parse_users("nopassword", "users.txt")


def test_an_oversized_request_is_refused_before_it_is_read(db):
    from nianbao.serve import security

    c = TestClient(create_app(db))
    r = c.post("/upload", headers={"content-length": str(security.MAX_REQUEST_BYTES + 1), "X-CSRF-Token": "x"}, content=b"")
    assert r.status_code == 413 and "上传内容过大" in r.text


def test_session_cookie_is_http_only_and_same_site(db):
    c = TestClient(create_app(db))
    cookie = c.get("/").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


def test_a_chunked_body_is_bounded_too(db, monkeypatch):
    from nianbao.serve import security

    monkeypatch.setattr(security, "MAX_REQUEST_BYTES", 10_000)
    c = TestClient(create_app(db))
    tok = re.search(r'"X-CSRF-Token": "([^"]+)"', c.get("/").text).group(1)

    def chunks():
        for _ in range(20):
            yield b"x" * 1000

    r = c.post("/upload", content=chunks(), headers={"X-CSRF-Token": tok, "content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413 and "上传内容过大" in r.text


def test_pages_carry_a_content_security_policy(db):
    headers = TestClient(create_app(db)).get("/").headers
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "unsafe-eval" not in csp and "script-src" not in csp
    assert headers["x-content-type-options"] == "nosniff"
