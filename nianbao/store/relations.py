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

from bisect import bisect_left, bisect_right
from types import SimpleNamespace
from typing import Callable

from sqlalchemy import Connection

from ..model import Finding, Report
from . import similarity as sim
from .raw import Raw, raw
from .write import finding_tuple, insert_findings

RULE_COPY_OTHER = "corpus.copied_text_other_agency"  # the finding :func:`refresh_similarity` is given
PairCheck = Callable[[Report, Report], list[Finding]]
CopyFinding = Callable[[str, float], Finding]
MAX_CANDIDATES = 20  # reports sharing the most bands, confirmed on their text; one finding per report


def _model_json(r: Raw, report_id: int, loaded: dict) -> str | None:
    """A stored report's JSON (kept in ``loaded`` for its other pairs)."""
    if report_id not in loaded:
        loaded[report_id] = r.scalar("SELECT model FROM reports WHERE id = ?", (report_id,))
    return loaded[report_id]


def load_model(conn: Connection, report_id: int) -> Report | None:
    model = raw(conn).scalar("SELECT model FROM reports WHERE id = ?", (report_id,))
    return None if model is None else Report.model_validate_json(model)


def earlier_of(prev: list[int], same: list[int], report_id: int) -> int | None:
    """The report a report is paired with (the earlier of its cross-year pair): of its agency's
    readable reports of the year before (``prev``, ids ascending), the latest stored before the
    next report of its own year (``same``: the readable reports of its agency and year, ids
    ascending) was stored; the latest of all when it is the latest of its year.

    With one report a year (the usual case) that is the previous year's report. With several
    (another agency of the same name, a revised report whose text differs) it is a function of
    the reports' ids alone, so a corpus ends with the same pairs whatever order or batches its
    reports were written in: each report of a year is compared with the previous year's report
    that was the latest while it was the latest of its year."""
    i = bisect_right(same, report_id)
    if i == len(same):
        return prev[-1] if prev else None
    j = bisect_left(prev, same[i])
    return prev[j - 1] if j else None


def pairs_of(
    groups: dict[tuple, list[int]], new: dict[int, tuple], fresh: set[int]
) -> dict[int, tuple[int | None, int]]:
    """The pairs to make when ``new`` reports (id → (agency, year)) were just stored: later report
    → (earlier report, or None when it has none now; the earlier one's year), for each new report
    and each stored one of their agencies' years and the next whose earlier report they change.
    ``groups``: :func:`readable_groups` of those agencies and years, the new reports in; ``fresh``: the
    reports just stored (the new ones, and any whose pairs another call makes)."""
    pairs: dict[int, tuple[int | None, int]] = {}
    for rid, (a, y) in sorted(new.items()):
        earlier = earlier_of(groups.get((a, y - 1), []), groups.get((a, y), []), rid)
        if earlier is not None:
            pairs[rid] = (earlier, y - 1)
    for a, y in {(a, y + d) for a, y in new.values() for d in (0, 1)}:  # a stored report is in one of them
        prev, same = groups.get((a, y - 1), []), groups.get((a, y), [])
        prev_before, same_before = [i for i in prev if i not in fresh], [i for i in same if i not in fresh]
        for rid in same_before:
            earlier = earlier_of(prev, same, rid)
            if earlier != earlier_of(prev_before, same_before, rid):
                pairs[rid] = (earlier, y - 1)
    return pairs


def readable_groups(r: Raw, agencies: list[int], years: list[int]) -> dict[tuple[int, int], list[int]]:
    """The readable reports of some agencies and years: (agency id, year) → ids ascending."""
    groups: dict[tuple[int, int], list[int]] = {}
    q = ("SELECT agency_id, year, id FROM reports WHERE status != 'unreadable' "
         f"AND agency_id IN ({{ids}}) AND year IN ({r.in_list(len(years))}) ORDER BY id")
    for a, y, i in r.chunked(q, agencies, 400, years):  # an agency's reports in one statement: ascending
        groups.setdefault((a, y), []).append(i)
    return groups


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
    rows = []
    for f in check_pair(earlier, later):
        other = {"report_id": earlier_id, "year": earlier_year, "cells": _other_cells(f)}
        d = f.model_dump()
        d.pop("other_cells", None)
        d["other"] = other
        rows.append(finding_tuple(later_id, Finding(**d), "cross_year", other_report_id=earlier_id))
    insert_findings(conn, rows)


def refresh_cross_year(
    conn: Connection, report_id: int, check_pair: PairCheck, report: Report | None = None, fresh: bool = False
) -> set[int]:
    """Recompute the cross-year findings a report takes part in; returns the report ids touched.
    ``report`` is the report as just written (saves reading it back); ``fresh``: it was just
    inserted, so no finding names it yet.

    Made again: its own pair, the pairs of the reports that named it (its agency or year may have
    changed), and those of its agency's reports of its year and the next (which report each is
    paired with depends on which reports there are: :func:`earlier_of`)."""
    r = raw(conn)
    touched = {report_id}
    known = {report_id: report} if report is not None else {}
    redo = {report_id}
    if not fresh:
        carriers = _drop(r, "cross_year", report_id)
        touched |= carriers
        redo |= carriers
    row = r.first("SELECT agency_id, year, status FROM reports WHERE id = ?", (report_id,))
    if row is not None and row[2] != "unreadable" and row[0] is not None and row[1] is not None:
        redo |= set(r.column("SELECT id FROM reports WHERE agency_id = ? AND year IN (?, ?) AND status != 'unreadable'",
                             (row[0], row[1], row[1] + 1)))
    later = {i: (a, y) for i, a, y, status in r.all(
        f"SELECT id, agency_id, year, status FROM reports WHERE id IN ({r.in_list(len(redo))})", sorted(redo))
        if status != "unreadable" and a is not None and y is not None}
    groups = readable_groups(r, sorted({a for a, _ in later.values()}), sorted({y + d for _, y in later.values() for d in (-1, 0)}))
    for rid in sorted(redo):
        if rid != report_id or not fresh:
            r.run("DELETE FROM findings WHERE origin = 'cross_year' AND report_id = ?", (rid,))
        touched.add(rid)
        if rid not in later:
            continue
        a, y = later[rid]
        earlier = earlier_of(groups.get((a, y - 1), []), groups.get((a, y), []), rid)
        if earlier is not None:
            _pair(conn, earlier, y - 1, rid, known, check_pair)
    return touched


def _copy_finding(r: Raw, later_id: int, earlier_id: int, ratio: float, copied: CopyFinding) -> tuple:
    agency, year = r.first(f"SELECT agency_raw, year FROM {r.indexed('reports', 'ix_reports_list')} WHERE id = ?",
                           (earlier_id,))
    made = copied(f"{agency or '另一机关'}{year or ''}年", ratio)
    f = Finding(**made.model_dump(), other={"report_id": earlier_id, "year": year, "agency": agency, "cells": []})
    return finding_tuple(later_id, f, "corpus", other_report_id=earlier_id)


def _drop(r: Raw, origin: str, report_id: int) -> set[int]:
    """Delete the findings of an origin a report carries or is named in; returns who carried them."""
    where = "origin = ? AND (report_id = ? OR other_report_id = ?)"
    carriers = set(r.column(f"SELECT DISTINCT report_id FROM findings WHERE {where}", (origin, report_id, report_id)))
    if carriers:
        r.run(f"DELETE FROM findings WHERE {where}", (origin, report_id, report_id))
    return carriers


NO_SIGNATURE = ("", [])  # a signature made already: none, the text being too short
_BAND_QUERIES: dict[int, str] = {}


def _per_band(columns: str, n: int) -> str:
    """The most recent reports of each of ``n`` bands but one (parameters a band: band, value, the
    report left out, how many), one query: ``columns`` of ``text_bands``, band after band."""
    part = (f"SELECT * FROM (SELECT {columns} FROM text_bands WHERE band = ? AND value = ? "
            "AND report_id != ? ORDER BY report_id DESC LIMIT ?) AS t{i}")
    return " UNION ALL ".join(part.format(i=i) for i in range(n))


def band_hits(conn: Connection, bands: list[tuple[int, int]], limit: int, exclude: int | None = None) -> list[int]:
    """The ids of the reports sharing each band (the most recent ``limit`` per band, ``exclude``
    left out), band after band: one statement for all the bands."""
    return [i for _, i in band_hits_by_band(conn, bands, limit, exclude)]


def band_hits_by_band(
    conn: Connection, bands: list[tuple[int, int]], limit: int, exclude: int | None = None
) -> list[tuple[int, int]]:
    """:func:`band_hits` as (band number, report id) pairs, band after band, most recent first."""
    if not bands:
        return []
    q = _BAND_QUERIES.get(len(bands))
    if q is None:
        q = _BAND_QUERIES[len(bands)] = _per_band("band, report_id", len(bands))
    ex = -1 if exclude is None else exclude
    params = [x for b, v in bands for x in (b, v, ex, limit)]
    return [(b, i) for b, i in raw(conn).all(q, params)]


_TOP_QUERIES: dict[int, str] = {}


def top_candidates_of(conn: Connection, bands: list[tuple[int, int]], exclude: int) -> list[tuple[int, int]]:
    """:func:`top_candidates` of :func:`band_hits_by_band` (``MAX_CANDIDATES`` a band), counted
    and ranked in the database: one statement, at most :data:`MAX_CANDIDATES` rows back."""
    if not bands:
        return []
    q = _TOP_QUERIES.get(len(bands))
    if q is None:
        q = _TOP_QUERIES[len(bands)] = ("SELECT report_id, count(*) FROM (" + _per_band("report_id", len(bands))
                                        + ") AS h GROUP BY report_id ORDER BY count(*) DESC, report_id LIMIT ?")
    params = [x for b, v in bands for x in (b, v, exclude, MAX_CANDIDATES)] + [MAX_CANDIDATES]
    return [(i, n) for i, n in raw(conn).all(q, params)]


def top_candidates(hits: list[tuple[int, int]], per_band: int = MAX_CANDIDATES) -> list[tuple[int, int]]:
    """(report id, bands shared) of the reports most like this one, from :func:`band_hits_by_band`
    (the most recent ``per_band`` of each band counted), most bands first."""
    by_band: dict[int, list[int]] = {}
    for band, cid in hits:
        by_band.setdefault(band, []).append(cid)
    shared: dict[int, int] = {}
    for ids in by_band.values():
        for cid in sorted(set(ids), reverse=True)[:per_band]:
            shared[cid] = shared.get(cid, 0) + 1
    return sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]


def stored_text(r: Raw, report_id: int, text_hash: str | None) -> str | None:
    """A stored report's normalised text (cached by its digest; read from the stored JSON)."""
    text = sim.TEXTS.get(text_hash)
    if text is None:
        model = r.scalar("SELECT model FROM reports WHERE id = ?", (report_id,))
        if model is None:
            return None
        text = sim.normalised_text_json(model)
        sim.TEXTS.put(text_hash, text)
    return text


def _earlier_same_text(r: Raw, report_id: int, year, agency_id, text_hash: str) -> int | None:
    """The first report of another agency with the same normalised text, when it came earlier."""
    q = "SELECT id, year FROM reports WHERE text_hash = ? AND id != ?"
    params: tuple = (text_hash, report_id)
    if agency_id is not None:
        q += " AND (agency_id IS NULL OR agency_id != ?)"
        params += (agency_id,)
    exact = r.first(q + " ORDER BY year, id LIMIT 1", params)
    if exact is not None and (year or 0, report_id) > (exact[1] or 0, exact[0]):
        return exact[0]
    return None


def _compare_candidates(
    r: Raw, report: Report, report_id: int, year, agency_id, text_hash: str, found: list[tuple[int, int]],
    copied: CopyFinding, touched: set[int], new: list[tuple],
) -> tuple[float, int] | None:
    """Confirm the candidates on their text: a later one without a copy finding gets one naming this
    report (its id added to ``touched``, the finding to ``new``); returns the closest earlier one
    (ratio, id) for this report."""
    best: tuple[float, int] | None = None  # (ratio, earlier report id) for this report's own finding
    if not found:
        return None
    ids = [cid for cid, _ in found]
    info = {row[0]: row for row in r.all(  # from the index: the candidates' own rows are large and far apart
        f"SELECT id, year, agency_id, text_hash FROM {r.indexed('reports', 'ix_reports_list')} "
        f"WHERE id IN ({r.in_list(len(ids))})", ids)}
    ids = [cid for cid in ids if cid in info and not (info[cid][2] is not None and info[cid][2] == agency_id)]
    later = [cid for cid in ids if (year or 0, report_id) < (info[cid][1] or 0, cid)]
    # the later ones that carry a copy finding already: nothing to compare them for
    settled = set(r.column("SELECT DISTINCT report_id FROM findings WHERE origin = 'corpus' "
                           f"AND report_id IN ({r.in_list(len(later))})", later)) if later else set()
    todo = []  # (candidate, whether this report is the later one), in rank order
    for cid in ids:
        c = info[cid]
        earlier = (year or 0, report_id) > (c[1] or 0, cid)  # this report is the later one
        if not earlier and (cid in settled or any(row[0] == cid for row in new)):
            continue
        todo.append((cid, earlier))
    # the texts that differ from this one compared at once (one rapidfuzz call), then the
    # decisions made in rank order
    differ = [cid for cid, _ in todo if info[cid][3] != text_hash]
    ratios: dict[int, float | None] = {cid: 100.0 for cid, _ in todo if info[cid][3] == text_hash}
    if differ:
        text = sim.TEXTS.get(text_hash)
        if text is None:
            text = sim.normalised_text(report)
            sim.TEXTS.put(text_hash, text)
        others = {cid: stored_text(r, cid, info[cid][3]) for cid in differ}
        known = [cid for cid in differ if others[cid] is not None]
        ratios.update(zip(known, sim.near_identical_texts(text, [others[cid] for cid in known])))
    for cid, earlier in todo:
        ratio = ratios.get(cid)
        if ratio is None:
            continue
        if earlier:
            if best is None or ratio > best[0]:
                best = (ratio, cid)
        else:  # the other is later and has no copy finding yet: this report is its source
            new.append(_copy_finding(r, cid, report_id, ratio, copied))
            touched.add(cid)
    return best


def refresh_similarity(
    conn: Connection, report_id: int, report: Report | None, copied: CopyFinding, fresh: bool = False,
    signature=None, hits: list[tuple[int, int]] | None = None, text: str | None = None,
) -> set[int]:
    """Recompute the copied-text findings a report takes part in; returns the report ids touched.

    ``signature``: the report's :func:`similarity.text_signature` made already (in a worker; its
    ``text_hash`` already written when ``fresh``), :data:`NO_SIGNATURE` for a text too short to
    have one, None to make it here; ``hits``: its bands' hits (:func:`band_hits_by_band`, at least
    :data:`MAX_CANDIDATES` a band) when looked up already; ``text``: its normalised text, made
    already (``report`` may then be None)."""
    r = raw(conn)
    touched = {report_id}
    if not fresh:
        touched |= _drop(r, "corpus", report_id)
        r.run("DELETE FROM text_bands WHERE report_id = ?", (report_id,))
    if signature is NO_SIGNATURE:
        sig = None
    else:
        sig = signature if signature is not None else (sim.text_signature(report) if report is not None else None)
    if not (fresh and signature is not None) and (sig is not None or not fresh):
        r.run("UPDATE reports SET text_hash = ? WHERE id = ?", (sig[0] if sig else None, report_id))
    if sig is None:
        return touched
    bands = sim.bands_of(sig)
    r.many("INSERT INTO text_bands (band, value, report_id) VALUES (?, ?, ?)", [(b, v, report_id) for b, v in bands])
    year, agency_id = r.first("SELECT year, agency_id FROM reports WHERE id = ?", (report_id,))
    new: list[tuple] = []
    exact = _earlier_same_text(r, report_id, year, agency_id, sig[0])
    if exact is not None:
        # the same normalised text published earlier by another agency: the closest match there is
        new.append(_copy_finding(r, report_id, exact, 100.0, copied))
    else:
        if hits is None:
            found = top_candidates_of(conn, bands, report_id)
        else:
            found = top_candidates([(b, i) for b, i in hits if i != report_id])
        if text is not None:
            sim.TEXTS.put(sig[0], text)
        best = _compare_candidates(r, report, report_id, year, agency_id, sig[0], found, copied, touched, new)
        if best is not None:
            new.append(_copy_finding(r, report_id, best[1], best[0], copied))
    insert_findings(conn, new)
    return touched


def as_report(model: Report | str) -> Report | PairReport:
    """A report of a pair (as a pair check in a worker process is given it): the Report itself, or
    a :class:`PairReport` of its stored JSON (``reports.model``)."""
    return as_pair_report(model)


class PairReport:
    """What the cross-year rules read of a stored report — its meta, chapters, tables and reading,
    with :class:`Report`'s own ``get``, ``has`` and ``cells`` — made from its JSON
    (``reports.model``) with :func:`similarity.loads` (plain dicts and lists, as ``json.loads`` gives,
    in half its time): the same values as the Report (plain fields, no
    validator changes them; a field missing from the JSON takes the model's default), for a third
    of the cost of building the Report."""

    __slots__ = ("meta", "sections", "tables", "reading")
    get = Report.get
    has = Report.has
    cells = Report.cells

    def __init__(self, model_json: str) -> None:
        d = sim.loads(model_json)
        self.meta = _fields(d.get("meta"), _META)
        self.sections = _fields(d.get("sections"), _SECTIONS)
        self.tables = _fields(d.get("tables"), _TABLES)
        self.reading = _fields(d.get("reading"), _READING)


def _defaults(model) -> dict:
    return {k: f.get_default(call_default_factory=True) for k, f in model.model_fields.items()}


_META, _SECTIONS, _TABLES, _READING = (_defaults(Report.model_fields[k].annotation)
                                       for k in ("meta", "sections", "tables", "reading"))


def _fields(given: dict | None, defaults: dict) -> SimpleNamespace:
    given = given or {}
    return SimpleNamespace(**{k: given[k] if k in given else (type(v)() if isinstance(v, (list, dict)) else v)
                              for k, v in defaults.items()})


def as_pair_report(model: Report | str) -> Report | PairReport:
    """A report of a pair as the cross-year rules read it: the Report itself, or a
    :class:`PairReport` of its stored JSON."""
    return PairReport(model) if isinstance(model, str) else model


def check_pairs(check_pair: PairCheck, pairs: list[tuple[Report | str, Report | str]]) -> list[list[Finding]]:
    """The cross-year findings of (earlier, later) pairs, in this process (a report given as JSON is
    read once however many pairs it is in, as a :class:`PairReport`)."""
    made: dict[int, Report | PairReport] = {}

    def get(x):
        if not isinstance(x, str):
            return x
        r = made.get(id(x))
        if r is None:
            r = made[id(x)] = as_pair_report(x)
        return r

    return [check_pair(get(e), get(later)) for e, later in pairs]


def _pair_model(x) -> Report | str:
    """What a pair check is given for a report of the batch: its Report when at hand, else its JSON
    (an ingest ``Parsed`` from a worker: made into a Report where the pair is checked)."""
    return x.pair_model() if hasattr(x, "pair_model") else x


def cross_year_batch(
    conn: Connection, written: list[tuple[int, object]], check_pair: PairCheck,
    run: Callable[[PairCheck, list[tuple[Report | str, Report | str]]], list[list[Finding]]] = check_pairs,
    batch: set[int] = frozenset(),
) -> set[int]:
    """The cross-year findings of reports just inserted (no finding names them yet), for a whole
    batch at once: one statement finds the readable reports of their agencies' years, each new
    report is paired by :func:`earlier_of` and so is each stored report whose earlier one the new
    reports change, the pairs are checked together (``run``: maps the pair check over the pairs, in this process by
    default, or in worker processes; a report is given as a Report or as its JSON, see
    :func:`as_report`) and their findings inserted in one ``executemany``. ``written``: (id, the
    Report, or an ingest ``Parsed``). The same
    findings as :func:`refresh_cross_year` on each report; returns the report ids touched.
    ``batch``: more reports just inserted, whose own pairs are made by another call (one report
    at a time: each pair is then made with its later report, the one its findings belong to)."""
    r = raw(conn)
    known = {i: _pair_model(x) for i, x in written}
    touched = set(known)
    ids = list(known)
    mine = {i: (a, y) for i, a, y in r.all(f"SELECT id, agency_id, year FROM reports WHERE id IN ({r.in_list(len(ids))})", ids)
            if a is not None and y is not None}
    if not mine:
        return touched
    groups = readable_groups(r, sorted({a for a, _ in mine.values()}), sorted({y + d for _, y in mine.values() for d in (-1, 0, 1)}))
    pairs = pairs_of(groups, mine, set(known) | set(batch))
    redo = sorted(set(pairs) - set(known))
    if redo:
        r.run(f"DELETE FROM findings WHERE origin = 'cross_year' AND report_id IN ({r.in_list(len(redo))})", redo)
        touched |= set(redo)
    pairs = {later: p for later, p in pairs.items() if p[0] is not None}
    todo = []
    loaded: dict[int, str | None] = {}
    for later_id, (earlier_id, _) in sorted(pairs.items()):
        earlier = known.get(earlier_id) or _model_json(r, earlier_id, loaded)
        later = known.get(later_id) or _model_json(r, later_id, loaded)
        if earlier is not None and later is not None:
            todo.append((later_id, earlier_id, earlier, later))
    found = run(check_pair, [(e, later) for _, _, e, later in todo]) if todo else []
    rows = []
    for (later_id, earlier_id, _, _), fs in zip(todo, found):
        for f in fs:
            d = f.model_dump()
            d.pop("other_cells", None)
            d["other"] = {"report_id": earlier_id, "year": pairs[later_id][1], "cells": _other_cells(f)}
            rows.append(finding_tuple(later_id, Finding(**d), "cross_year", other_report_id=earlier_id))
    insert_findings(conn, rows)
    return touched
