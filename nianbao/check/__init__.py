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
        found = list(r.fn(r, *reports))
    except Exception as exc:  # noqa: BLE001  (one rule's bug must not hide the other rules' findings)
        return [r.not_assessable(r.title, f"规则执行出错（{type(exc).__name__}: {exc}），请向开发者报告")]
    return [reader_aware(r, f, *reports) for f in found]


# rules about the printed labels, which the reader did read (the cells named are the row's, for the
# reader to point at; whether their numbers were placed does not change what the label says)
RESTS_ON_LABELS = {"template.label_altered", "template.other_single_row"}
# fields a rule rests on besides its cells (spec §8: an inferred date or year accuses nobody)
RESTS_ON_META = {"deadline.": ("meta.published", "meta.year"), "year.": ("meta.year",), "template.version_year": ("meta.year",)}


def reader_aware(r: Rule, f: Finding, *reports: Report) -> Finding:
    """Spec §8: an error or warning never rests on a cell the reader could not place (``unread``) or
    on a field it inferred; such a finding becomes an ``info`` “无法核对…” for a person to check.
    In a pair, the finding's cells are the later report's and ``other_cells`` the earlier's."""
    if f.severity == "info" or f.rule in RESTS_ON_LABELS:
        return f
    later, earlier = reports[-1], (reports[0] if len(reports) > 1 else None)
    doubtful = _doubtful(later, f.cells)
    for prefix, fields in RESTS_ON_META.items():
        if f.rule.startswith(prefix):
            doubtful += [p for p in fields if p in later.reading.inferred and p not in doubtful]
    if earlier is not None:
        extra = f.model_extra or {}
        other = extra.get("other_cells") or (extra.get("other") or {}).get("cells") or []
        doubtful += _doubtful(earlier, other)
    if not doubtful:
        return f
    from ..template import cell_label

    names = "、".join(cell_label(p) if p.startswith("tables.") else _META_LABEL.get(p, p) for p in doubtful[:4])
    more = f"等{len(doubtful)}处" if len(doubtful) > 4 else ""
    g = r.not_assessable(r.title, f"所依据的{names}{more}未能从原件可靠读取，需人工对照原件核对", f.cells)
    extra = {k: v for k, v in (f.model_extra or {}).items()}
    return Finding(**g.model_dump(), **extra) if extra else g


_META_LABEL = {"meta.published": "发布日期", "meta.year": "报告年度", "meta.agency": "机关名称", "meta.title": "标题"}


def _doubtful(report: Report, cells) -> list[str]:
    shaky = set(report.reading.unread) | set(report.reading.inferred)
    return [c for c in cells if c in shaky]


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
