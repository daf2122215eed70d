"""Corrections (更正), one path for the CLI (``nianbao correct``) and the web form: validate what a
person typed, record it as events in the store, and re-run the report's checks and its cross-year
pairs at once (spec §7).

The corrected value is kept where every output reads it (the stored report; see
:mod:`nianbao.store.overrides`); the value as read stays in ``cells.read_value``, in the model's
``corrections`` and in ``nianbao history``. A re-read (``reparse``) applies the corrections again and
checks the corrected report (``store.overrides.reread``, given the checker by the pipeline).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from .check import check_pair, check_report
from .check.registry import RULES
from .errors import NianbaoError, StoreError
from .model import Finding, Report
from .template import all_cells, cell_label, request_cells


class CorrectionError(NianbaoError):
    """A correction refused before anything was recorded (unknown report or cell, bad value)."""

    code = "bad_correction"


@dataclass
class Correction:
    """What a correction did: the events recorded, and the report's findings before and after."""

    report_id: int
    events: list = field(default_factory=list)  # store.Override
    before: list[dict] = field(default_factory=list)  # findings (id, rule, severity, message, state)
    after: list[dict] = field(default_factory=list)

    @property
    def resolved(self) -> list[dict]:
        now = {f.get("id") for f in self.after}
        return [f for f in self.before if f.get("id") not in now]

    @property
    def new(self) -> list[dict]:
        was = {f.get("id") for f in self.before}
        return [f for f in self.after if f.get("id") not in was]


def checked(report: Report) -> list[Finding]:
    """The report's own findings; a checker failure is a finding, never a lost correction."""
    try:
        return check_report(report)
    except Exception as e:  # noqa: BLE001
        return [RULES["corpus.check_failed"].finding(path=report.source.path, error=f"{type(e).__name__}: {e}")]


def parse_value(text, kind: str = "count", label: str = ""):
    """A value as a person typed it: a number, or empty / ``null`` for "no value". Raises
    :class:`CorrectionError` with a Chinese message naming the cell."""
    where = f"{label}：" if label else ""
    if text is None:
        return None
    if isinstance(text, bool):
        raise CorrectionError(f"{where}“{text}”不是数字")
    if isinstance(text, (int, float)):
        value = text
    else:
        t = str(text).strip().replace(",", "").replace("，", "")
        if t == "" or t.lower() in ("null", "none"):
            return None
        try:
            value = int(t)
        except ValueError:
            try:
                value = float(t)
            except ValueError:
                raise CorrectionError(f"{where}“{text}”不是数字：更正值只能是数字，或 null（留空）表示没有数值") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise CorrectionError(f"{where}“{text}”不是数字")
    if isinstance(value, float) and value.is_integer() and kind != "amount":
        value = int(value)
    if kind in ("count", "signed") and not isinstance(value, int):
        raise CorrectionError(f"{where}“{text}”不是整数：件数只能是整数")
    if kind in ("count", "amount") and value < 0:
        raise CorrectionError(f"{where}“{text}”是负数：{'件数' if kind == 'count' else '金额'}不能为负")
    return value


def cell_kinds(report: Report) -> dict[str, str]:
    """The cells a report may be corrected in (its template's, either form of （六）, and the cells
    it has), with their kind (count, signed, amount)."""
    t = report.meta.template
    specs = list(all_cells(t)) + list(request_cells(t or "2021", other_split=True)) + list(
        request_cells(t or "2021", other_split=False)
    )
    kinds = {c.path: c.kind for c in specs}
    for p, _ in report.cells():
        kinds.setdefault(p, "count")
    return kinds


def _findings_of(store, report_id: int) -> list[dict]:
    from .store import iter_findings

    return [
        {k: f.get(k) for k in ("id", "rule", "severity", "message", "state")}
        for f in iter_findings(store, report_id=report_id)
    ]


def validate(store, report_id: int, changes: Iterable[tuple[str, object]]) -> list[tuple[str, Optional[float]]]:
    """The changes as (path, number or None), or :class:`CorrectionError` naming every problem."""
    from .store import get_report

    try:
        report_id = int(report_id)
    except (TypeError, ValueError):
        raise CorrectionError(f"“{report_id}”不是报告编号") from None
    sr = get_report(store, report_id)
    if sr is None:
        raise CorrectionError(f"报告 {report_id} 不存在")
    if sr.report is None:
        raise CorrectionError(f"报告 {report_id} 未能读取，没有可更正的单元格")
    kinds = cell_kinds(sr.report)
    out, problems = [], []
    for path, raw in changes:
        path = (path or "").strip()
        if path not in kinds:
            problems.append(f"“{path}”不是本报告表格中的单元格（写法如 tables.requests.new_received.total）")
            continue
        try:
            out.append((path, parse_value(raw, kinds[path], cell_label(path))))
        except CorrectionError as e:
            problems.append(e.message)
    if problems:
        raise CorrectionError("；".join(problems))
    if not out:
        raise CorrectionError("没有要更正的单元格")
    return out


def correct(store, report_id: int, changes, note: str = "", by: str = "") -> Correction:
    """Correct one or more cells of a stored report: ``changes`` is [(cell path, value as typed)].

    Everything is validated first (nothing is recorded when any change is refused); then each cell's
    correction is recorded as an event, the stored values updated, and the report's checks and its
    cross-year pairs re-run in the same transaction."""
    from .store.overrides import correct_cells

    values = validate(store, report_id, changes)
    rid = int(report_id)
    before = _findings_of(store, rid)
    try:
        events = correct_cells(store, rid, values, note or "", by or "", check=checked, pair=check_pair)
    except StoreError as e:
        raise CorrectionError(e.message) from e
    return Correction(rid, events, before, _findings_of(store, rid))
