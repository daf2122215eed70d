"""Sessions, CSRF tokens, the login and upload limits of the web app.

- Every session gets a random CSRF token; every POST must carry it (header ``X-CSRF-Token``, which
  htmx sends from ``<body hx-headers>``, or form field ``csrf`` in the body; never in the URL, which
  lands in access logs).
- A login is required when the server listens on a non-local address. Users come from the
  ``NIANBAO_USERS`` environment variable (``name:password,name2:password2``) or a users file given
  with ``nianbao serve --users FILE`` (one ``name:password`` per line, ``#`` comments), re-read when
  it changes. A password may be stored hashed: argon2 (``$argon2id$…``, made by
  ``python -m nianbao.serve.security``) or ``pbkdf2_sha256$<iterations>$<salt>$<hex>``.
- Sessions are kept in the server (:class:`Sessions`): the cookie only names one. Logging out ends
  it, a user removed from the users file loses every session at the next request, and a restart
  of the server ends them all.
- Failed logins are logged and throttled per user and per address (:class:`Throttle`).
- A bad parameter (an id too large for the database, a year that is not a number) is answered
  with 400/404 in the app's own error page, never a 500 or FastAPI's English 422.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, quote

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import NianbaoError

log = logging.getLogger("nianbao.serve.security")

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
MAX_SHEET_UNPACKED_MB = 100  # an uploaded XLSX (roster, register) unpacked: a real one is a few MB


def sheet_limits():
    """The limits an uploaded spreadsheet is checked against before openpyxl opens it: the reading
    limits (members, compression ratio, time), its unpacked size at most :data:`MAX_SHEET_UNPACKED_MB`."""
    from dataclasses import replace

    from .. import limits

    now = limits.current()
    return replace(now, unpacked_mb=min(now.unpacked_mb, MAX_SHEET_UNPACKED_MB))


class ConfigError(NianbaoError):
    code = "config_error"


class RequestTooLarge(NianbaoError):
    code = "request_too_large"
    status = 413


TOO_LARGE = f"上传内容过大：单次不超过 {MAX_REQUEST_BYTES // (1024 * 1024)} MB，请分批上传"


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS or host.startswith("127.")


def hash_password(password: str, scheme: str = "argon2", iterations: int = 200_000) -> str:
    """A hash for the users file: argon2id (``argon2-cffi``), or ``pbkdf2`` from the standard library."""
    if scheme == "argon2":
        from argon2 import PasswordHasher

        return PasswordHasher().hash(password)
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def check_password(password: str, stored: str) -> bool:
    if stored.startswith("$argon2"):
        try:
            from argon2 import PasswordHasher
            from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
        except ImportError:
            log.error("an argon2 password hash needs argon2-cffi (pip install 'nianbao[web]')")
            return False
        try:
            return PasswordHasher().verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
    if stored.startswith("pbkdf2_sha256$"):
        try:
            _, iterations, salt, digest = stored.split("$")
            got = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations)).hex()
        except ValueError:
            return False
        return hmac.compare_digest(got, digest)
    return hmac.compare_digest(password.encode(), stored.encode())


_DUMMY = "pbkdf2_sha256$200000$0000000000000000$" + "0" * 64


def verify_user(users: "UserSource | dict[str, str]", name: str, password: str) -> bool:
    """True when ``name`` is a user and ``password`` is theirs; an unknown name costs the same time."""
    stored = users.get(name)
    if stored is None:
        check_password(password, _DUMMY)
        return False
    return check_password(password, stored)


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


class UserSource:
    """The users, from ``$NIANBAO_USERS`` and the users file; the file is read again whenever it
    changes, so that a user removed from it loses access at once."""

    def __init__(self, users_file: str | None = None):
        self.users_file = users_file
        self._stamp: tuple[int, int] | None = None
        self._users = load_users(users_file)
        self._stamp = self._file_stamp()
        self._lock = threading.Lock()

    def _file_stamp(self) -> tuple[int, int] | None:
        if not self.users_file:
            return None
        try:
            st = os.stat(self.users_file)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def current(self) -> dict[str, str]:
        stamp = self._file_stamp()
        if stamp != self._stamp:
            with self._lock:
                try:
                    self._users = load_users(self.users_file)
                except ConfigError as e:  # a file being edited, or removed: nobody from it
                    log.warning("users file unreadable, its users are refused: %s", e.message)
                    self._users = parse_users(os.environ.get(USERS_ENV, ""), USERS_ENV)
                self._stamp = stamp
        return self._users

    def get(self, name: str) -> str | None:
        return self.current().get(name)

    def __contains__(self, name: str) -> bool:
        return name in self.current()

    def __bool__(self) -> bool:
        return bool(self.current())


class Sessions:
    """Sessions alive in this server: ``id → (user, started)``. The signed cookie holds the id."""

    MAX_AGE = 14 * 24 * 3600

    def __init__(self) -> None:
        self._live: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def start(self, user: str) -> str:
        sid = secrets.token_urlsafe(24)
        with self._lock:
            now = time.time()
            for old in [k for k, (_, t) in self._live.items() if now - t > self.MAX_AGE]:
                del self._live[old]
            self._live[sid] = (user, now)
        return sid

    def user(self, sid: str | None) -> str | None:
        with self._lock:
            entry = self._live.get(sid or "")
        if entry is None or time.time() - entry[1] > self.MAX_AGE:
            return None
        return entry[0]

    def end(self, sid: str | None) -> None:
        with self._lock:
            self._live.pop(sid or "", None)


class Throttle:
    """Failed logins per user and per address in a sliding window; past the limit, logins wait."""

    WINDOW = 15 * 60
    PER_USER = 5
    PER_ADDRESS = 20
    MAX_KEYS = 10_000

    def __init__(self) -> None:
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._fails.get(key)
        if q is None:
            return deque()
        while q and now - q[0] > self.WINDOW:
            q.popleft()
        return q

    def wait(self, user: str, address: str) -> float:
        """Seconds until a login for ``user`` from ``address`` is tried again (0: now)."""
        now = time.time()
        with self._lock:
            waits = []
            for key, limit in ((f"u:{user}", self.PER_USER), (f"a:{address}", self.PER_ADDRESS)):
                q = self._recent(key, now)
                if len(q) >= limit:
                    waits.append(q[len(q) - limit] + self.WINDOW - now)
            return max(waits, default=0.0)

    def fail(self, user: str, address: str) -> None:
        now = time.time()
        with self._lock:
            if len(self._fails) > self.MAX_KEYS:
                for key in [k for k, q in self._fails.items() if not q or now - q[-1] > self.WINDOW]:
                    del self._fails[key]
            for key in (f"u:{user}", f"a:{address}"):
                self._fails.setdefault(key, deque(maxlen=100)).append(now)

    def success(self, user: str) -> None:
        with self._lock:
            self._fails.pop(f"u:{user}", None)


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
# a multipart form cannot be read here without buffering the upload: its CSRF field is checked by
# the view (check_form_csrf), which only these paths have; any other multipart POST needs the header
FORM_CSRF_PATHS = ("/upload", "/coverage/roster", r"/write/\d+/import")  # patterns of the whole path
MAX_ID = 2**63 - 1  # the largest integer SQLite and PostgreSQL store
_INTEGER = re.compile(r"[+-]?\d+")
TEXT_PARAMS = ("q", "raw", "next", "rule", "note", "reason", "value")  # free text: a long run of digits is no id


def _too_big(text: str) -> bool:
    text = text.strip()
    return bool(_INTEGER.fullmatch(text)) and (len(text.lstrip("+-")) > 19 or abs(int(text)) > MAX_ID)


def bad_number(scope: Scope) -> tuple[int, str, str] | None:
    """An integer in the path (an id) or the query too large for the database: (status, message, code)."""
    for segment in scope["path"].split("/"):
        if _too_big(segment.split(".")[0]):
            return 404, "页面或报告不存在（地址中的编号超出范围）", "not_found"
    for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
        if key not in TEXT_PARAMS and _too_big(value):
            return 400, f"参数“{key}”的值超出范围", "bad_parameter"
    return None


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, status: int, message: str, code: str | None = None) -> Response:
    """The app's own error answer: its Chinese page, or ``{"error": …}`` for the API."""
    if wants_json(request):
        return JSONResponse({"error": {"code": code or f"http_{status}", "message": message}}, status_code=status)
    from .pages import render

    return render(request, "error.html", status_code=status, title="出错了", message=message)


_REASONS = {
    "int_parsing": "应为整数", "int_from_float": "应为整数", "float_parsing": "应为数字", "bool_parsing": "应为是或否",
    "missing": "缺少此参数", "greater_than": "超出范围", "greater_than_equal": "超出范围", "less_than": "超出范围",
    "less_than_equal": "超出范围", "string_too_long": "过长", "string_too_short": "过短", "literal_error": "不是可选的值",
    "enum": "不是可选的值", "date_parsing": "应为日期", "date_from_datetime_parsing": "应为日期",
}


def invalid_request(errors: list[dict]) -> tuple[int, str]:
    """FastAPI's validation errors as (status, Chinese message): a bad id in the path is 404, any
    other bad parameter 400."""
    if any(e.get("loc", ("",))[0] == "path" for e in errors):
        return 404, "页面或报告不存在（地址中的编号无效）"
    parts = []
    for e in errors[:5]:
        name = str(e.get("loc", ("", "?"))[-1])
        parts.append(f"参数“{name}”{_REASONS.get(e.get('type', ''), '格式不正确')}")
    return 400, "请求参数无效：" + "；".join(parts)


def check_form_csrf(request: Request, sent: str | None) -> None:
    """For the views of :data:`FORM_CSRF_PATHS`: the CSRF field of a multipart form."""
    from starlette.exceptions import HTTPException

    if request.scope.get("state", {}).get("csrf_in_form") and not csrf_ok(request.scope["session"], sent):
        raise HTTPException(403, "表单已失效（CSRF 校验失败），请刷新页面后重试")


def _live_session(scope: Scope, session: dict) -> None:
    """Forget the login of a session the server no longer knows (logged out, expired, restarted)
    or whose user was removed from the users."""
    user = session.get("user")
    if user is None:
        return
    state = scope["app"].state if "app" in scope else None
    sessions, users = getattr(state, "sessions", None), getattr(state, "users", None)
    if sessions is None:
        return
    if sessions.user(session.get("sid")) != user or (users is not None and user not in users):
        sessions.end(session.get("sid"))
        session.clear()


class GuardMiddleware:
    """Runs inside the session middleware: ends sessions that are no longer alive, gives each
    session a CSRF token and checks it on every POST, sends anonymous visitors to the login page
    when a login is required, answers numbers too large for the database with 400/404, and refuses
    request bodies over :data:`MAX_REQUEST_BYTES`."""

    def __init__(self, app: ASGIApp, login_required: bool):
        self.app = app
        self.login_required = login_required

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        session = scope["session"]
        _live_session(scope, session)
        ensure_csrf(session)
        path = scope["path"]
        response: Response | None = None
        length = request.headers.get("content-length")
        bad = bad_number(scope)
        if length and length.isdigit() and int(length) > MAX_REQUEST_BYTES:
            response = PlainTextResponse(TOO_LARGE, status_code=413)
        elif self.login_required and not session.get("user") and not path.startswith(OPEN_PATHS):
            if scope["method"] in ("GET", "HEAD"):
                target = path + (("?" + scope["query_string"].decode()) if scope["query_string"] else "")
                response = RedirectResponse("/login?next=" + quote(target), status_code=303)
            else:
                response = PlainTextResponse("需要登录", status_code=401)
        elif bad is not None:
            response = error_response(request, *bad)
        elif scope["method"] == "POST":
            sent = request.headers.get("x-csrf-token")  # never from the query string
            ctype = request.headers.get("content-type", "")
            deferred = False
            if not sent and ctype.startswith("application/x-www-form-urlencoded"):
                body = await request.body()
                sent = (parse_qs(body.decode("utf-8", "replace")).get("csrf") or [None])[0]
                receive = _replay(body)
            elif not sent and ctype.startswith("multipart/form-data") and any(re.fullmatch(p, path) for p in FORM_CSRF_PATHS):
                scope.setdefault("state", {})["csrf_in_form"] = True
                deferred = True
            if not deferred and not csrf_ok(session, sent):
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


def main() -> None:
    """``python -m nianbao.serve.security``: ask for a password, print its argon2 hash for the users file."""
    import getpass

    first = getpass.getpass("密码：")
    if not first or first != getpass.getpass("再输入一次："):
        raise SystemExit("两次输入的密码不一致或为空")
    print(hash_password(first))


if __name__ == "__main__":
    main()
