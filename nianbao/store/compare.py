"""One agency's reports of two years side by side (``nianbao compare AGENCY Y1 Y2``): every cell of
either year with both values and the difference, the metrics, and each year's findings."""

from __future__ import annotations

from sqlalchemy import or_, select

from ..errors import StoreError
from ..metrics import METRICS
from ..template import all_cells, cell_label, request_cells
from . import schema as S
from .agencies import place
from .db import Store
from .queries import _like, get_report

_ORDER = [c.path for v in ("2021", "2019") for c in all_cells(v)] + [c.path for c in request_cells("2021", other_split=False)]
_RANK = {p: i for i, p in reversed(list(enumerate(_ORDER)))}


def find_agency(store: Store, name: str) -> tuple[int, str]:
    """The agency a name designates: by normalised identity first, else a unique substring match.
    Raises :class:`StoreError` when there is none or several."""
    a = S.agencies
    with store.engine.connect() as conn:
        row = conn.execute(select(a.c.id, a.c.name).where(a.c.key == place(name).key)).first()
        if row:
            return row.id, row.name
        rows = conn.execute(
            select(a.c.id, a.c.name).where(or_(a.c.name.like(_like(name), escape="\\"), a.c.key.like(_like(name), escape="\\")))
            .order_by(a.c.name).limit(11)
        ).all()
    if not rows:
        raise StoreError(f"{name}: 库中没有这个机关的报告")
    if len(rows) > 1:
        names = "、".join(r.name for r in rows[:10])
        raise StoreError(f"{name}: 对应多个机关（{names}），请写出完整名称")
    return rows[0].id, rows[0].name


def _report_id(store: Store, agency_id: int, year: int) -> int | None:
    r = S.reports
    with store.engine.connect() as conn:
        return conn.execute(
            select(r.c.id).where(r.c.agency_id == agency_id, r.c.year == year).order_by(r.c.id.desc()).limit(1)
        ).scalar()


def _num(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def compare(store: Store, agency: str, year1: int, year2: int) -> dict:
    """``{"agency", "years": [y1, y2], "reports": [id|None, id|None], "cells": [{"path", "label",
    "values": [v1, v2], "difference"}], "metrics": [...], "findings": [[…], […]]}``."""
    agency_id, agency_name = find_agency(store, agency)
    years = [year1, year2]
    ids = [_report_id(store, agency_id, y) for y in years]
    stored = [get_report(store, i) if i is not None else None for i in ids]
    reports = [s.report if s is not None else None for s in stored]
    paths: set[str] = set()
    for rep in reports:
        if rep is not None:
            paths |= {p for p, _ in rep.cells()}
    cells = []
    for p in sorted(paths, key=lambda p: (_RANK.get(p, len(_RANK)), p)):
        vals = [_num(rep.get(p)) if rep is not None and rep.has(p) else None for rep in reports]
        diff = vals[1] - vals[0] if None not in vals else None
        cells.append({"path": p, "label": cell_label(p), "values": vals, "difference": _num(diff) if diff is not None else None})
    metrics = []
    for m in METRICS:
        vals = [m.compute(rep) if rep is not None else None for rep in reports]
        metrics.append({"key": m.key, "label": m.label, "denominator": m.denominator_label, "values": vals})
    return {
        "agency": agency_name,
        "years": years,
        "reports": ids,
        "status": [s.summary.status if s is not None else None for s in stored],
        "cells": cells,
        "metrics": metrics,
        "findings": [s.findings if s is not None else [] for s in stored],
    }
