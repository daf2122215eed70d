"""The Jinja environment of the web app: templates, the labels every page shows, and ``render``.

Autoescape is on for every template: report text is untrusted and is never marked safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from .. import template as T
from ..store.review import STATE_LABEL
from .tables import SEVERITY_LABEL, appeal_header, cells_summary, format_value

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# Labels the templates need, all read from the template module (never re-typed in HTML).
LABELS = {
    "table": T.TABLE_LABEL,
    "title": T.TABLE_TITLE,
    "request_columns": T.REQUEST_COLUMNS,
    "request_note": T.REQUEST_HEADER_NOTE,
    "applicants": T.REQUEST_HEADER_APPLICANTS,
    "legal_person": T.REQUEST_HEADER_LEGAL_PERSONS,
    "active_header": T.ACTIVE_HEADER,
    "appeal_header": appeal_header(),
    "chapters": T.CHAPTERS,
    "severity": SEVERITY_LABEL,
    "states": STATE_LABEL,
}

NAV = (
    ("overview", "/", "总览"),
    ("reports", "/reports", "年报列表"),
    ("findings", "/findings", "问题"),
    ("coverage", "/coverage", "覆盖"),
    ("agencies", "/agencies", "机关"),
    ("rankings", "/rankings", "排名"),
    ("compare", "/compare", "比对"),
    ("upload", "/upload", "上传"),
    ("write", "/write", "编写"),
    ("api", "/api", "开放数据"),
)

def rule_title(rule_id: str) -> str:
    """The checker's short Chinese name of a rule (its id when the rule is unknown)."""
    try:
        from ..check.registry import RULES
    except ImportError:
        return rule_id
    found = RULES.get(rule_id)
    return found.title if found else rule_id


def rule_rationale(rule_id: str) -> str:
    try:
        from ..check.registry import RULES
    except ImportError:
        return ""
    found = RULES.get(rule_id)
    return found.rationale if found else ""


env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals.update(labels=LABELS, nav=NAV)
env.filters["num"] = format_value
env.filters["cell_label"] = T.cell_label
env.filters["cells_summary"] = cells_summary
env.filters["rule_title"] = rule_title
env.filters["rule_rationale"] = rule_rationale


def author_of(request: Request) -> str:
    """Who a change made in the web UI is recorded under: the logged-in user, else 本机用户."""
    return (request.scope.get("session") or {}).get("user") or "本机用户"


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page (or a partial, for htmx) with the request's session data in the context."""
    session = request.scope.get("session") or {}
    context.setdefault("page", "")
    html = env.get_template(name).render(
        request=request,
        csrf_token=session.get("csrf", ""),
        user=session.get("user"),
        login_required=getattr(request.app.state, "login_required", False),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)
