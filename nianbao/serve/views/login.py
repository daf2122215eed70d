"""登录 / 退出 (only asked for when the server listens on a non-local address).

A login starts a session the server keeps (:class:`..security.Sessions`); logging out ends it, so
a saved cookie no longer works. Failed logins are logged and, past a few, throttled per user and
per address (:class:`..security.Throttle`)."""

from __future__ import annotations

import logging
import math

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ..pages import render
from ..security import ensure_csrf, verify_user

router = APIRouter()
log = logging.getLogger("nianbao.serve.login")


MAX_NAME = 100  # a longer user name is no user's: refused without being kept whole in the throttle or the log
MAX_NEXT = 2000


def _safe_next(target: str) -> str:
    # Only same-site paths: never redirect to another host after a login.
    ok = target.startswith("/") and not target.startswith(("//", "/\\")) and len(target) <= MAX_NEXT
    return target if ok and target.isprintable() else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", title="登录", next=_safe_next(next), error=None)


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
    state = request.app.state
    address = request.client.host if request.client else "?"
    whole = username
    username = username[:MAX_NAME]  # as the throttle counts and the log shows it
    wait = state.throttle.wait(username, address)
    if wait > 0:
        log.warning("login refused (throttled): user=%r address=%s, %d s to wait", username, address, wait)
        minutes = max(1, math.ceil(wait / 60))
        return render(request, "login.html", status_code=429, title="登录", next=_safe_next(next),
                      error=f"登录失败次数过多，请 {minutes} 分钟后再试")
    if len(whole) > MAX_NAME or not verify_user(state.users, username, password):
        state.throttle.fail(username, address)
        log.warning("login failed: user=%r address=%s", username, address)
        return render(request, "login.html", status_code=401, title="登录", next=_safe_next(next), error="用户名或密码不正确")
    state.throttle.success(username)
    state.sessions.end(request.session.get("sid"))
    request.session.clear()  # a new session (and CSRF token) for the logged-in user
    request.session["user"] = username
    request.session["sid"] = state.sessions.start(username)
    ensure_csrf(request.session)
    log.info("login: user=%r address=%s", username, address)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request):
    request.app.state.sessions.end(request.session.get("sid"))
    request.session.clear()
    return RedirectResponse("/login" if request.app.state.login_required else "/", status_code=303)


@router.get("/healthz")
def healthz():
    return {"ok": True}
