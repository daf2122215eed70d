"""The bridge to the checker (``nianbao.check``, written by the check area): one report's findings
and a pair of consecutive years' cross-year findings. Imported lazily, so the store works (and
says so) while the checker is missing."""

from __future__ import annotations

from ..model import Finding, Report


class CheckerMissing(Exception):
    pass


def _module():
    try:
        from .. import check
    except ImportError as e:  # pragma: no cover - the checker is part of the package
        raise CheckerMissing(str(e)) from e
    return check


def _as_findings(result, report: Report) -> list[Finding]:
    if result is None:
        return list(report.findings)
    if isinstance(result, Report):
        return list(result.findings)
    return [f if isinstance(f, Finding) else Finding.model_validate(f) for f in result]


def check_report(report: Report) -> list[Finding]:
    """The findings of ``nianbao check`` for one report."""
    check = _module()
    fn = getattr(check, "check_report", None) or getattr(check, "run", None)
    if fn is None:
        raise CheckerMissing("nianbao.check has neither check_report nor run")
    return _as_findings(fn(report), report)


def check_pair(earlier: Report, later: Report) -> list[Finding]:
    """Cross-year findings of ``later`` against the same agency's ``earlier`` report."""
    check = _module()
    fn = getattr(check, "check_pair", None)
    if fn is None:
        raise CheckerMissing("nianbao.check has no check_pair")
    result = fn(earlier, later)
    return [f if isinstance(f, Finding) else Finding.model_validate(f) for f in (result or [])]


def has_pair_check() -> bool:
    try:
        return getattr(_module(), "check_pair", None) is not None
    except CheckerMissing:
        return False
