"""登录 / 退出 (only asked for when the server listens on a non-local address)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ..pages import render
from ..security import check_password

router = APIRouter()


def _safe_next(target: str) -> str:
    # Only same-site paths: never redirect to another host after a login.
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/"):
    return render(request, "login.html", title="登录", next=_safe_next(next), error=None)


@router.post("/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), next: str = Form("/")):
    stored = request.app.state.users.get(username)
    if stored is None or not check_password(password, stored):
        return render(request, "login.html", status_code=401, title="登录", next=_safe_next(next), error="用户名或密码不正确")
    request.session["user"] = username
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request):
    request.session.pop("user", None)
    return RedirectResponse("/login" if request.app.state.login_required else "/", status_code=303)


@router.get("/healthz")
def healthz():
    return {"ok": True}
