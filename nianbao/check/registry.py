"""The rule registry: every rule the checker applies, defined once.

A rule is data (a stable id, a severity, the template versions it applies to, a Chinese message
template and a rationale) plus a small function that yields findings. ``@rule(...)`` registers it
in :data:`RULES`; a duplicate id or an id that does not match :data:`ID_PATTERN` raises at import.
``nianbao rules`` and ``docs/rules.md`` list :data:`RULES`; the web UI reads it too.

Rule ids are permanent: a rule may be reworded, never renamed or reused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional

from ..model import Finding, Number, Severity
from ..template import SEVERITIES, VERSIONS

ID_PATTERN = re.compile(r"^[a-z]+\.[a-z][a-z0-9_]*$")
SCOPES = ("report", "pair", "corpus")  # corpus: made by the store across reports (check/corpus.py)
NOT_ASSESSABLE = "无法核对（{what}）：{reason}"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # short Chinese name, for listings
    message: str  # Chinese message template (``str.format`` fields)
    rationale: str
    versions: tuple[str, ...] = VERSIONS
    scope: str = "report"  # "report": fn(rule, report); "pair": fn(rule, earlier, later)
    extra_messages: tuple[str, ...] = ()  # further message templates the rule may use
    fn: Optional[Callable[..., Iterable[Finding]]] = field(default=None, compare=False, repr=False)

    @property
    def group(self) -> str:
        return self.id.split(".", 1)[0]

    def to_dict(self) -> dict:
        """The rule as data (``nianbao rules --json``, the web UI)."""
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "versions": list(self.versions),
            "scope": self.scope,
            "message": self.message,
            "extra_messages": list(self.extra_messages),
            "rationale": self.rationale,
        }

    def text(self, _template: str | None = None, **fields) -> str:
        """The rule's message (or one of its ``extra_messages``) with ``fields`` filled in."""
        template = _template or self.message
        if template != self.message and template not in self.extra_messages:
            raise ValueError(f"rule {self.id!r}: message template not in the registry: {template!r}")
        return template.format(**fields)

    def finding(
        self,
        cells: Iterable[str] = (),
        expected: Number | None = None,
        actual: Number | None = None,
        _template: str | None = None,
        **fields,
    ) -> Finding:
        """A finding of this rule, its message made from ``_template`` (default: ``message``)."""
        text = self.text(_template, **fields)
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=text,
            cells=list(dict.fromkeys(cells)),
            expected=expected,
            actual=actual,
        )

    def not_assessable(self, what: str, reason: str, cells: Iterable[str] = ()) -> Finding:
        """The ``info`` finding of a rule that could not be applied: never a pass, never an error."""
        return Finding(
            rule=self.id,
            severity="info",
            message=NOT_ASSESSABLE.format(what=what, reason=reason),
            cells=list(dict.fromkeys(cells)),
        )


RULES: dict[str, Rule] = {}


def rule(
    id: str,
    severity: Severity,
    title: str,
    message: str,
    rationale: str,
    versions: tuple[str, ...] = VERSIONS,
    scope: str = "report",
    extra_messages: tuple[str, ...] = (),
) -> Callable:
    """Register the decorated function as the rule ``id``."""
    if not ID_PATTERN.match(id):
        raise ValueError(f"rule id {id!r} does not match {ID_PATTERN.pattern}")
    if id in RULES:
        raise ValueError(f"duplicate rule id {id!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"rule {id!r}: severity must be error, warning or info, not {severity!r}")
    if scope not in SCOPES:
        raise ValueError(f"rule {id!r}: scope must be one of {SCOPES}, not {scope!r}")
    unknown = set(versions) - set(VERSIONS)
    if unknown:
        raise ValueError(f"rule {id!r}: unknown template versions {sorted(unknown)}")

    def register(fn: Callable) -> Callable:
        RULES[id] = Rule(id, severity, title, message, rationale, tuple(versions), scope, extra_messages, fn)
        return fn

    return register


def applies(r: Rule, version: str | None) -> bool:
    """Whether a rule runs on a report of this template version (unknown: only rules for both)."""
    if version is None:
        return set(r.versions) == set(VERSIONS)
    return version in r.versions
