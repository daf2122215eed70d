"""The login a non-local server asks for, in a real browser (the app is forced to require it and
served on 127.0.0.1 from a thread); also the error pages."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from browser_helpers import free_port, shot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    import uvicorn

    from nianbao.serve.app import create_app
    from nianbao.serve.security import hash_password

    users = tmp_path_factory.mktemp("users") / "users.txt"
    users.write_text(f"zhang:{hash_password('正确密码')}\n", encoding="utf-8")
    app = create_app(str(tmp_path_factory.mktemp("db") / "login.db"), users_file=str(users), login_required=True)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/healthz", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


def test_login_then_the_page_asked_for(guarded, tab):
    tab.goto(guarded + "/coverage")
    assert "/login" in tab.url
    tab.fill("input[name=username]", "zhang")
    tab.fill("input[name=password]", "错误")
    tab.click("button.primary")
    assert "用户名或密码不正确" in tab.inner_text(".alert")
    shot(tab, "12-login")
    tab.fill("input[name=username]", "zhang")
    tab.fill("input[name=password]", "正确密码")
    tab.click("button.primary")
    tab.wait_for_url(guarded + "/coverage")
    assert "zhang" in tab.inner_text("header.top")
    tab.click("text=退出")
    tab.wait_for_url(lambda url: "/login" in url)


def test_error_page_is_chinese(server, tab):
    tab.goto(server + "/reports/99999")
    assert "报告 99999 不存在" in tab.inner_text("main")
    shot(tab, "13-not-found")
