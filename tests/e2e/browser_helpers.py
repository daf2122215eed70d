"""Helpers of the browser tests (a free port, ``nianbao serve`` in a process of its own,
screenshots into tests/_artifacts/)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx
import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shot(page, name: str) -> Path:
    """Save a full-page screenshot in tests/_artifacts/ (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def serving(db) -> Iterator[str]:
    """``python -m nianbao serve`` on 127.0.0.1 over the database ``db`` (no login); yields the base
    URL once /healthz answers, and stops the server afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("NIANBAO_USERS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "nianbao", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        cwd=str(REPO), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
            proc.kill()
            pytest.fail(f"nianbao serve did not start: {out[-2000:]}")
        time.sleep(0.2)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def upload(tab, server: str, files: list) -> str:
    """Upload files through /upload and wait for the summary; its text."""
    tab.goto(server + "/upload")
    tab.set_input_files("#files", [str(f) for f in files])
    tab.click("#upload-button")
    tab.wait_for_selector("#upload-summary", timeout=180_000)
    return tab.inner_text("#upload-summary")


def open_report(tab, server: str, agency_part: str, ready: str) -> None:
    """Open the first report whose agency holds ``agency_part`` and wait for ``ready`` on its page."""
    tab.goto(server + "/reports?q=" + agency_part)
    tab.locator("#report-table tbody tr a").first.click()
    tab.wait_for_selector(ready)
