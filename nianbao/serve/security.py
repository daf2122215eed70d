"""Sessions, CSRF tokens, the login and upload limits of the web app.

- Every session gets a random CSRF token; every POST must carry it (form field ``csrf`` or header
  ``X-CSRF-Token``, which htmx sends from ``<body hx-headers>``).
- A login is required when the server listens on a non-local address. Users come from the
  ``NIANBAO_USERS`` environment variable (``name:password,name2:password2``) or a users file given
  with ``nianbao serve --users FILE`` (one ``name:password`` per line, ``#`` comments). A password
  may be stored hashed as ``pbkdf2_sha256$<iterations>$<salt>$<hex>`` (see :func:`hash_password`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import NianbaoError

USERS_ENV = "NIANBAO_USERS"
SECRET_ENV = "NIANBAO_SECRET"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

# Uploads: what a reviewer sends is a few reports or a zip of a year's reports.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_REQUEST_BYTES = 512 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_UNPACKED = 1024 * 1024 * 1024
ALLOWED_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx", ".doc", ".wps", ".txt", ".md", ".text")
ARCHIVE_SUFFIXES = (".zip",)


class ConfigError(NianbaoError):
    code = "config_error"


class RequestTooLarge(NianbaoError):
    code = "request_too_large"
    status = 413


TOO_LARGE = f"上传内容过大：单次不超过 {MAX_REQUEST_BYTES // (1024 * 1024)} MB，请分批上传"


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS or host.startswith("127.")


def hash_password(password: str, iterations: int = 200_000) -> str:
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    if stored.startswith("pbkdf2_sha256$"):
        try:
            _, iterations, salt, digest = stored.split("$")
            got = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations)).hex()
        except ValueError:
            return False
        return hmac.compare_digest(got, digest)
    return hmac.compare_digest(password.encode(), stored.encode())


def parse_users(text: str, where: str, commas: bool = True) -> dict[str, str]:
    """``name:password`` items, one per line (and, for the environment variable, comma-separated)."""
    users: dict[str, str] = {}
    for n, item in enumerate((text.replace(",", "\n") if commas else text).splitlines(), start=1):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        name, sep, password = item.partition(":")
        if not sep or not name.strip() or not password:
            raise ConfigError(f"{where}: 第 {n} 项不是“用户名:密码”格式", where)
        users[name.strip()] = password
    return users


def load_users(users_file: str | None = None) -> dict[str, str]:
    """Users from ``--users FILE`` and ``$NIANBAO_USERS`` (the file wins on a name in both)."""
    users = parse_users(os.environ.get(USERS_ENV, ""), USERS_ENV)
    if users_file:
        try:
            text = Path(users_file).read_text(encoding="utf-8")
        except OSError as e:
            raise ConfigError(f"{users_file}: 无法读取用户文件 ({e.strerror or e})", users_file) from e
        users.update(parse_users(text, users_file, commas=False))
    return users


def session_secret() -> str:
    return os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)


def ensure_csrf(session: dict) -> str:
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        session["csrf"] = token
    return token


def csrf_ok(session: dict, sent: str | None) -> bool:
    token = session.get("csrf")
    return bool(token and sent and hmac.compare_digest(token, sent))


OPEN_PATHS = ("/static/", "/login", "/healthz")


class GuardMiddleware:
    """Runs inside the session middleware: gives each session a CSRF token, checks it on every
    POST, sends anonymous visitors to the login page when a login is required, and refuses request
    bodies over :data:`MAX_REQUEST_BYTES`."""

    def __init__(self, app: ASGIApp, login_required: bool):
        self.app = app
        self.login_required = login_required

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        session = scope["session"]
        ensure_csrf(session)
        path = scope["path"]
        response: Response | None = None
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_REQUEST_BYTES:
            response = PlainTextResponse(TOO_LARGE, status_code=413)
        elif self.login_required and not session.get("user") and not path.startswith(OPEN_PATHS):
            if scope["method"] in ("GET", "HEAD"):
                target = path + (("?" + scope["query_string"].decode()) if scope["query_string"] else "")
                response = RedirectResponse("/login?next=" + quote(target), status_code=303)
            else:
                response = PlainTextResponse("需要登录", status_code=401)
        elif scope["method"] == "POST":
            sent = request.headers.get("x-csrf-token") or request.query_params.get("csrf")
            if not sent and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                body = await request.body()
                sent = (parse_qs(body.decode("utf-8", "replace")).get("csrf") or [None])[0]
                receive = _replay(body)
            if not csrf_ok(session, sent):
                response = PlainTextResponse("表单已失效（CSRF 校验失败），请刷新页面后重试", status_code=403)
        if response is not None:
            await response(scope, receive, send)
            return
        await self.app(scope, _bounded(receive), _with_headers(send))


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive():
        nonlocal sent
        if sent:
            return {"type": "http.request", "body": b"", "more_body": False}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _bounded(receive: Receive) -> Receive:
    """Count the body as it arrives: a body without Content-Length (chunked) is bounded too."""
    seen = 0

    async def bounded():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_REQUEST_BYTES:
                raise RequestTooLarge(TOO_LARGE)
        return message

    return bounded


# Scripts and styles only from this server: report text that slipped into a page could not run.
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
     b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def _with_headers(send: Send) -> Send:
    async def sending(message):
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            message["headers"] = list(message["headers"]) + SECURITY_HEADERS
        await send(message)

    return sending
