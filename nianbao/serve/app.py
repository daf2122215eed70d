"""The web application: ``create_app(db)`` builds the FastAPI app over a corpus.

One error boundary: a :class:`~nianbao.errors.NianbaoError` raised by any view becomes a Chinese
error page (or the spec's ``{"error": {"code", "message"}}`` object for JSON clients).
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ..errors import NianbaoError
from ..store.db import open_store
from . import api
from .pages import STATIC_DIR, render
from .params import known_page_params
from .security import (ConfigError, GuardMiddleware, Sessions, Throttle, UserSource, error_response, invalid_request,
                       is_local, session_secret)

log = logging.getLogger("nianbao.serve")

LOGIN_HELP = (
    "监听非本机地址时必须登录：请设置环境变量 NIANBAO_USERS=用户名:密码（多个用逗号分隔），"
    "或用 --users 指定用户文件（每行“用户名:密码”）"
)


def create_app(
    db: str | None = None,
    *,
    host: str = "127.0.0.1",
    users_file: str | None = None,
    login_required: bool | None = None,
) -> FastAPI:
    """Build the app over the corpus at ``db`` (a file path or database URL; None: the default).

    :param host: the address the server will listen on; a non-local one requires a login.
    :param users_file: a file of ``name:password`` lines (also ``$NIANBAO_USERS``).
    :param login_required: force the login on or off (default: from ``host``).
    """
    need_login = (not is_local(host)) if login_required is None else login_required
    users = UserSource(users_file)
    if need_login and not users:
        raise ConfigError(LOGIN_HELP)
    store = open_store(db)

    @asynccontextmanager
    async def lifespan(_app):
        yield
        store.close()

    app = FastAPI(title="nianbao", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.store = store
    app.state.users = users
    app.state.sessions = Sessions()
    app.state.throttle = Throttle()
    app.state.login_required = need_login
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    from .views import compare, coverage, detail, findings, login, overview, rankings, reports, upload

    api.install(app)  # the JSON API of spec §10, /openapi.json, /api and the bulk downloads /export/…
    from .views import agencies, editor
    from .views import source as source_pages

    # every page refuses a query parameter it does not take (the API refuses them itself: check_known)
    pages = [Depends(known_page_params)]
    for module in (login, overview, reports, coverage, detail, compare, upload, findings, rankings,
                   editor,  # 编写 (issue 16)
                   source_pages,  # the source panel's PDF pages (issue 15 §5)
                   agencies):  # 机关: assign, rename, merge, abolish; 操作记录 (issue 15 §2)
        app.include_router(module.router, dependencies=pages)

    # Added first = innermost: the guard needs the session the outer middleware loads.
    app.add_middleware(GuardMiddleware, login_required=need_login)
    app.add_middleware(SessionMiddleware, secret_key=session_secret(), session_cookie="nianbao_session", same_site="strict")

    @app.exception_handler(NianbaoError)
    async def nianbao_error(request: Request, exc: NianbaoError):
        status = getattr(exc, "status", 400)
        if _wants_json(request):
            return JSONResponse({"error": exc.to_dict()}, status_code=status)
        return render(request, "error.html", status_code=status, title="出错了", message=exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if isinstance(exc.__cause__, NianbaoError):  # FastAPI wraps errors raised while reading a body
            return await nianbao_error(request, exc.__cause__)
        message = exc.detail if isinstance(exc.detail, str) else "请求无法处理"
        if exc.status_code == 404 and message == "Not Found":
            message = "页面或报告不存在"
        elif exc.status_code == 405:
            message = f"此地址不接受 {request.method} 请求"
        elif exc.status_code == 400 and message.startswith("Too many files"):
            message = "一次最多选择 1000 个文件；更多的文件请打包成 zip 上传"
        elif exc.status_code == 400:
            message = next((zh for en, zh in FORM_ERRORS if message.startswith(en)), message)
        if _wants_json(request):
            return JSONResponse({"error": {"code": f"http_{exc.status_code}", "message": message}}, status_code=exc.status_code)
        return render(request, "error.html", status_code=exc.status_code, title="出错了", message=message)

    api_invalid = app.exception_handlers.get(RequestValidationError)  # the API's own shape (api.install)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if api_invalid is not None and request.url.path.startswith(api.API_PREFIXES):
            return await api_invalid(request, exc)
        return error_response(request, *invalid_request(exc.errors()))  # never FastAPI's English 422

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        # A bug must not show a traceback to the reviewer: log it, answer in Chinese.
        log.exception("internal error on %s", request.url.path)
        message = f"服务器内部错误（{type(exc).__name__}），请将此页地址和时间告知管理员"
        if _wants_json(request):
            return JSONResponse({"error": {"code": "internal_error", "message": message}}, status_code=500)
        return render(request, "error.html", status_code=500, title="出错了", message=message)

    return app


# the form parser's (Starlette's) refusals of a body, in Chinese
FORM_ERRORS = (
    ("Too many fields", "表单字段过多（最多 1000 个）"),
    ("Field exceeded maximum size", "表单中有字段过长（超过 1 MB）"),
    ("Part exceeded maximum size", "表单中有字段过长（超过 1 MB）"),
    ("Missing boundary", "表单格式无效（multipart 缺少分隔符）"),
    ("Invalid multipart", "表单格式无效（multipart 数据无法解析）"),
    ("The Content-Disposition header", "表单格式无效（multipart 字段缺少名称）"),
    ("There was an error parsing the body", "请求内容无法解析"),
)


def _wants_json(request: Request) -> bool:
    return (request.url.path.startswith(("/api/", "/export/")) or "application/json" in request.headers.get("accept", "")
            or request.query_params.get("format") == "json")  # a list page asked for JSON (serve/lists.py)
