"""The checker: every rule an oversight office applies to an annual report, and more.

Public API (others call it; the names are stable):

- :func:`check_report` — the findings of one report, pure and deterministic, sorted;
- :func:`run` — the report with ``findings`` filled;
- :func:`check_pair` — the cross-year findings of a body's consecutive reports;
- :func:`text_similarity` — how much two reports' prose is the same (0–1);
- :data:`RULES` — the registry (``nianbao rules``, ``docs/rules.md``, the web UI).

Reported numbers are never repaired: a rule reports, a person decides.
"""

from __future__ import annotations

from ..model import Finding, Report
from . import active, appeals, corpus, dates, fees, pair, requests, structure, text  # noqa: F401  (register rules)
from .cells import cell_order
from .registry import RULES, Rule, applies
from .similarity import text_similarity
from ..template import SEVERITY_ORDER


def sort_key(f: Finding) -> tuple:
    first = min((cell_order(c) for c in f.cells), default=(3, 0))
    return (SEVERITY_ORDER[f.severity], first, f.rule, f.message)


def check_report(report: Report) -> list[Finding]:
    """Every report-scope rule that applies to the report's template version; errors first, then by
    table and cell."""
    out: list[Finding] = []
    for r in RULES.values():
        if r.scope == "report" and applies(r, report.meta.template):
            out.extend(_guarded(r, report))
    return sorted(out, key=sort_key)


def _guarded(r: Rule, *reports: Report) -> list[Finding]:
    """A rule's findings; a rule that fails on odd input says so instead of stopping the others."""
    try:
        return list(r.fn(r, *reports))
    except Exception as exc:  # noqa: BLE001  (one rule's bug must not hide the other rules' findings)
        return [r.not_assessable(r.title, f"规则执行出错（{type(exc).__name__}: {exc}），请向开发者报告")]


def run(report: Report) -> Report:
    """A copy of the report with ``findings`` filled by :func:`check_report`."""
    checked = report.model_copy(deep=True)
    checked.findings = check_report(report)
    return checked


def check_pair(earlier: Report, later: Report) -> list[Finding]:
    """The cross-year findings of ``later`` against the same body's ``earlier`` report."""
    out: list[Finding] = []
    for r in RULES.values():
        if r.scope != "pair":
            continue
        if set(r.versions) != {"2019", "2021"} and not (
            applies(r, earlier.meta.template) and applies(r, later.meta.template)
        ):
            continue
        out.extend(_guarded(r, earlier, later))
    return sorted(out, key=sort_key)


__all__ = ["RULES", "Rule", "check_report", "check_pair", "run", "text_similarity"]
