"""Helpers of the browser tests (a free port, screenshots into tests/_artifacts/)."""

from __future__ import annotations

import socket
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts"


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
