"""Fixtures of the browser tests: a real ``nianbao serve`` on a free local port with a temp
database, and Debian's chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from browser_helpers import serving

CHROMIUM = os.environ.get("NIANBAO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"chromium not found at {CHROMIUM}")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``python -m nianbao serve`` on 127.0.0.1 with a fresh database; yields the base URL."""
    with serving(tmp_path_factory.mktemp("web") / "e2e.db") as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []

    def console(message):
        # 4xx answers are asked for on purpose (wrong password, unknown report, expired form);
        # a missing asset is not
        expected = ("Failed to load resource", "Response Status Error Code 403 from /upload")
        if message.type == "error" and not message.text.startswith(expected):
            errors.append(message.text)

    def response(r):
        if r.status >= 400 and ("/static/" in r.url or "/page/" in r.url):
            errors.append(f"{r.status} {r.url}")

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", response)
    yield page
    context.close()
    # no script error, no missing asset, nothing the Content-Security-Policy had to block
    assert not errors, errors
