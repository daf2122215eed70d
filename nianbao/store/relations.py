"""Findings between reports, refreshed whenever a report is written:

- cross-year (origin ``cross_year``): the checker's ``check_pair(earlier, later)`` (handed over by
  the pipeline: the store imports no checker) for the same
  agency's consecutive years; the finding belongs to the later report and names the earlier one
  in ``other``;
- copied text (origin ``corpus``): a report whose chapters are near-identical to another agency's
  report; the finding belongs to the later report (later year, or ingested later in the same
  year) and names the closest earlier one (one finding per report, so a text copied by a hundred
  townships gives a hundred findings, not five thousand). Copying the same agency's previous report is the checker's pair rule (``pair.text_copy``).
"""

from __future__ import annotations


from sqlalchemy import Connection, delete, insert, or_, select, text, true

from typing import Callable

from ..model import Finding, Report
from . import schema as S
from . import similarity as sim
from .write import finding_row

RULE_COPY_OTHER = "corpus.copied_text_other_agency"  # the finding :func:`refresh_similarity` is given
PairCheck = Callable[[Report, Report], list[Finding]]
CopyFinding = Callable[[str, float], Finding]
MAX_CANDIDATES = 20  # reports sharing the most bands, confirmed on their text; one finding per report


def load_model(conn: Connection, report_id: int) -> Report | None:
    row = conn.execute(select(S.reports.c.model).where(S.reports.c.id == report_id)).first()
    if row is None or row.model is None:
        return None
    return Report.model_validate_json(row.model)


def _latest(conn: Connection, agency_id: int, year: int) -> int | None:
    return conn.execute(
        select(S.reports.c.id)
        .where(S.reports.c.agency_id == agency_id, S.reports.c.year == year, S.reports.c.status != "unreadable")
        .order_by(S.reports.c.id.desc())
        .limit(1)
    ).scalar()


def _other_cells(f: Finding) -> list[str]:
    extra = f.model_extra or {}
    other = extra.get("other")
    if isinstance(other, dict) and isinstance(other.get("cells"), list):
        return list(other["cells"])
    if isinstance(extra.get("other_cells"), list):
        return list(extra["other_cells"])
    return []


def _pair(
    conn: Connection, earlier_id: int, earlier_year: int, later_id: int, known: dict[int, Report], check_pair: PairCheck
) -> None:
    earlier = known.get(earlier_id) or load_model(conn, earlier_id)
    later = known.get(later_id) or load_model(conn, later_id)
    if earlier is None or later is None:
        return
    found = check_pair(earlier, later)
    rows = []
    for f in found:
        other = {"report_id": earlier_id, "year": earlier_year, "cells": _other_cells(f)}
        d = f.model_dump()
        d.pop("other_cells", None)
        d["other"] = other
        g = Finding(**d)
        rows.append(finding_row(later_id, g, "cross_year", other_report_id=earlier_id))
    if rows:
        conn.execute(insert(S.findings), rows)


def refresh_cross_year(
    conn: Connection, report_id: int, check_pair: PairCheck, report: Report | None = None, fresh: bool = False
) -> set[int]:
    """Recompute the cross-year findings a report takes part in; returns the report ids touched.
    ``report`` is the report as just written (saves reading it back); ``fresh``: it was just
    inserted, so no finding names it yet."""
    touched = {report_id}
    known = {report_id: report} if report is not None else {}
    if not fresh:
        touched |= _drop(conn, "cross_year", report_id)
    row = conn.execute(
        select(S.reports.c.agency_id, S.reports.c.year, S.reports.c.status).where(S.reports.c.id == report_id)
    ).first()
    if row is None or row.status == "unreadable" or row.agency_id is None or row.year is None:
        return touched
    prev = _latest(conn, row.agency_id, row.year - 1)
    if prev is not None:
        _pair(conn, prev, row.year - 1, report_id, known, check_pair)
    nxt = _latest(conn, row.agency_id, row.year + 1)
    if nxt is not None:
        # the later report's pair may have been made with another copy of this year's report
        conn.execute(delete(S.findings).where(S.findings.c.origin == "cross_year", S.findings.c.report_id == nxt))
        latest_here = _latest(conn, row.agency_id, row.year)
        if latest_here is not None:
            _pair(conn, latest_here, row.year, nxt, known, check_pair)
        touched.add(nxt)
    return touched


def _copy_finding(conn: Connection, later_id: int, earlier_id: int, ratio: float, copied: CopyFinding) -> dict:
    e = conn.execute(select(S.reports.c.agency_raw, S.reports.c.year).where(S.reports.c.id == earlier_id)).first()
    who = f"{e.agency_raw or '另一机关'}{e.year or ''}年"
    made = copied(who, ratio)
    f = Finding(**made.model_dump(), other={"report_id": earlier_id, "year": e.year, "agency": e.agency_raw, "cells": []})
    return finding_row(later_id, f, "corpus", other_report_id=earlier_id)


def _drop(conn: Connection, origin: str, report_id: int) -> set[int]:
    """Delete the findings of an origin a report carries or is named in; returns who carried them."""
    where = (
        S.findings.c.origin == origin,
        or_(S.findings.c.report_id == report_id, S.findings.c.other_report_id == report_id),
    )
    carriers = set(conn.execute(select(S.findings.c.report_id).where(*where).distinct()).scalars())
    if carriers:
        conn.execute(delete(S.findings).where(*where))
    return carriers


_BAND_QUERIES: dict[int, object] = {}


def band_hits(conn: Connection, bands: list[tuple[int, int]], limit: int, exclude: int | None = None) -> list[int]:
    """The ids of the reports sharing each band (the most recent ``limit`` per band, ``exclude``
    left out), band after band: one statement for all the bands."""
    if not bands:
        return []
    q = _BAND_QUERIES.get(len(bands))
    if q is None:
        parts = [
            f"SELECT * FROM (SELECT report_id FROM text_bands WHERE band = :b{i} AND value = :v{i} "
            f"AND report_id != :ex ORDER BY report_id DESC LIMIT :n) AS t{i}"
            for i in range(len(bands))
        ]
        q = _BAND_QUERIES[len(bands)] = text(" UNION ALL ".join(parts))
    params: dict = {"ex": -1 if exclude is None else exclude, "n": limit}
    for i, (b, v) in enumerate(bands):
        params[f"b{i}"], params[f"v{i}"] = b, v
    return list(conn.execute(q, params).scalars())


def _candidates(conn: Connection, report_id: int, bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(report id, bands shared) of the reports most like this one: the most recent reports sharing
    each band (bounded, however common the text), most bands first."""
    shared: dict[int, int] = {}
    for cid in band_hits(conn, bands, MAX_CANDIDATES, exclude=report_id):
        shared[cid] = shared.get(cid, 0) + 1
    return sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]


def _text(conn: Connection, report_id: int, text_hash: str | None) -> str | None:
    """A stored report's normalised text (cached by its digest; read from the stored JSON)."""
    text = sim.TEXTS.get(text_hash)
    if text is None:
        model = conn.execute(select(S.reports.c.model).where(S.reports.c.id == report_id)).scalar()
        if model is None:
            return None
        text = sim.normalised_text_json(model)
        sim.TEXTS.put(text_hash, text)
    return text


def _ratio(conn: Connection, text: str, text_hash: str, cid: int, other_hash: str | None) -> float | None:
    """How alike a candidate's text is (0–100) when near-identical, else None."""
    if other_hash == text_hash:  # the same normalised text: no need to read it
        return 100.0
    other = _text(conn, cid, other_hash)
    return sim.near_identical_text(text, other) if other is not None else None


def _earlier_same_text(conn: Connection, report_id: int, me, text_hash: str) -> int | None:
    """The first report of another agency with the same normalised text, when it came earlier."""
    r = S.reports
    other_agency = or_(r.c.agency_id.is_(None), r.c.agency_id != me.agency_id) if me.agency_id is not None else true()
    exact = conn.execute(
        select(r.c.id, r.c.year)
        .where(r.c.text_hash == text_hash, r.c.id != report_id, other_agency)
        .order_by(r.c.year, r.c.id)
        .limit(1)
    ).first()
    if exact is not None and (me.year or 0, report_id) > (exact.year or 0, exact.id):
        return exact.id
    return None


def _compare_candidates(
    conn: Connection, report: Report, report_id: int, me, text_hash: str, bands, copied: CopyFinding, touched: set[int]
) -> tuple[float, int] | None:
    """Confirm the candidates on their text: a later one without a copy finding gets one naming this
    report (its id added to ``touched``); returns the closest earlier one (ratio, id) for this report."""
    best: tuple[float, int] | None = None  # (ratio, earlier report id) for this report's own finding
    text = sim.normalised_text(report)
    sim.TEXTS.put(text_hash, text)
    found = _candidates(conn, report_id, bands)
    info = {
        c.id: c for c in conn.execute(
            select(S.reports.c.id, S.reports.c.year, S.reports.c.agency_id, S.reports.c.text_hash)
            .where(S.reports.c.id.in_([cid for cid, _ in found]))
        )
    } if found else {}
    for cid, _ in found:
        c = info.get(cid)
        if c is None or (c.agency_id is not None and c.agency_id == me.agency_id):
            continue
        ratio = _ratio(conn, text, text_hash, cid, c.text_hash)
        if ratio is None:
            continue
        if (me.year or 0, report_id) > (c.year or 0, cid):  # this report is the later one
            if best is None or ratio > best[0]:
                best = (ratio, cid)
        elif not conn.execute(
            select(S.findings.c.id).where(S.findings.c.report_id == cid, S.findings.c.origin == "corpus").limit(1)
        ).first():  # the other is later and has no copy finding yet: this report is its source
            conn.execute(insert(S.findings), [_copy_finding(conn, cid, report_id, ratio, copied)])
            touched.add(cid)
    return best


def refresh_similarity(
    conn: Connection, report_id: int, report: Report | None, copied: CopyFinding, fresh: bool = False
) -> set[int]:
    """Recompute the copied-text findings a report takes part in; returns the report ids touched."""
    touched = {report_id}
    if not fresh:
        touched |= _drop(conn, "corpus", report_id)
        conn.execute(delete(S.text_bands).where(S.text_bands.c.report_id == report_id))
    sig = sim.text_signature(report) if report is not None else None
    if sig is not None or not fresh:
        conn.execute(S.reports.update().where(S.reports.c.id == report_id).values(text_hash=sig[0] if sig else None))
    if sig is None:
        return touched
    bands = sim.bands(sig[1])
    conn.execute(insert(S.text_bands), [{"band": b, "value": v, "report_id": report_id} for b, v in bands])
    me = conn.execute(select(S.reports.c.year, S.reports.c.agency_id).where(S.reports.c.id == report_id)).first()
    exact = _earlier_same_text(conn, report_id, me, sig[0])
    if exact is not None:
        # the same normalised text published earlier by another agency: the closest match there is
        conn.execute(insert(S.findings), [_copy_finding(conn, report_id, exact, 100.0, copied)])
        return touched
    best = _compare_candidates(conn, report, report_id, me, sig[0], bands, copied, touched)
    if best is not None:
        conn.execute(insert(S.findings), [_copy_finding(conn, report_id, best[1], best[0], copied)])
    return touched
