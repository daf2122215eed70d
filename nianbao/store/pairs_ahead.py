"""Cross-year pairs checked ahead, in a process of their own, while the writer writes the batch.

Before a batch is written, most of the cross-year pairs it will make are already known: a new
report's agency and year are in its :class:`~nianbao.store.write.Prepared`, and the earlier report
of a pair is either stored already or in the same batch (the later one too, for a report whose
next year is stored). :func:`guess` finds them the way :func:`relations.cross_year_batch` will, and
:class:`PairsAhead` sends them to one worker process (a :class:`~nianbao.limits.LimitedPool` of
one: forked warm, stopped at the time limit, ending with the writer), which checks them while the
writer writes the batch's rows and copied-text findings.

When the batch then makes its pairs, a pair checked ahead takes the worker's findings; any other
(a guess that turned out wrong, a worker that died or was stopped) is checked by the writer as
before. A pair check is a pure function of the two reports' stored JSON, and a pair checked ahead
is found by that JSON itself, so the findings are the same either way; what is guessed only
decides how much of the work the writer is spared.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Callable

from .raw import Raw
from .relations import PairCheck, check_pairs, pairs_of, readable_groups

Pair = tuple[str, str]  # (earlier report's JSON, later report's JSON)


def guess(r: Raw, items: list[tuple[str, int, str]]) -> list[Pair]:
    """The cross-year pairs a batch of new reports will most likely make, from what is stored.

    ``items``: (agency key, year, stored JSON) of the batch's new readings, in batch order. As
    :func:`relations.cross_year_batch` will make them once written (:func:`relations.pairs_of`),
    the batch's reports taking the ids after the highest stored one, in order (a reading that
    turns out a copy of a stored report, or fails, shifts them: a wrong guess only leaves its
    pairs to the writer)."""
    if not items:
        return []
    keys = sorted({k for k, _, _ in items})
    agency = dict(r.chunked("SELECT key, id FROM agencies WHERE key IN ({ids})", keys))
    missing = [k for k in keys if k not in agency]
    if missing:  # a name merged away or renamed lands on its agency (write.agency_id)
        agency.update(r.chunked("SELECT key, agency_id FROM agency_aliases WHERE key IN ({ids})", missing))
    # an agency not stored yet is known by its key alone: only the batch has its reports
    top = r.scalar("SELECT max(id) FROM reports") or 0
    new: dict[int, tuple] = {}
    models: dict[int, str] = {}
    for n, (key, year, model) in enumerate(items, 1):
        new[top + n] = (agency.get(key, ("new", key)), year)
        models[top + n] = model
    stored = sorted({a for a, _ in new.values() if isinstance(a, int)})
    years = sorted({y + d for _, y in new.values() for d in (-1, 0, 1)})
    groups = readable_groups(r, stored, years) if stored else {}
    for rid, group in new.items():  # after the stored ones: ids ascending
        groups.setdefault(group, []).append(rid)
    pairs = {later: e for later, (e, _) in pairs_of(groups, new, set(new)).items() if e is not None}
    ids = sorted({x for later, e in pairs.items() for x in (later, e) if x not in models})
    models.update(r.chunked("SELECT id, model FROM reports WHERE id IN ({ids})", ids) if ids else [])
    out = []
    for later, e in sorted(pairs.items()):
        em, lm = models.get(e), models.get(later)
        if isinstance(em, str) and isinstance(lm, str):
            out.append((em, lm))
    return out


def check_json_pairs(check_pair: PairCheck, pairs: list[Pair]) -> list[list]:
    """The findings of pairs given as JSON (what the worker runs)."""
    return check_pairs(check_pair, pairs)


class Ahead:
    """The pairs of one batch sent ahead, and their findings once checked."""

    def __init__(self, pairs: list[Pair], future: Future | None, timeout: float | None = None,
                 owner: PairsAhead | None = None) -> None:
        self.pairs = pairs
        self.future = future
        self.timeout = timeout  # beyond the worker's own time limit: a pool that can no longer answer
        self.owner = owner

    def run(self, check_pair: PairCheck, pairs: list) -> list[list]:
        """:func:`relations.check_pairs` of the batch's pairs, as ``cross_year_batch``'s ``run``:
        the findings of a pair checked ahead taken from the worker (waited for), the others
        checked here."""
        done: dict[Pair, list] = {}
        if self.future is not None:
            try:
                done = dict(zip(self.pairs, self.future.result(self.timeout)))
            except Exception:  # noqa: BLE001  the worker died or was stopped: every pair checked here
                done = {}
                self.future.cancel()
                if self.owner is not None:
                    self.owner.failed += 1
        out: list = [done.get(p) if isinstance(p[0], str) and isinstance(p[1], str) else None for p in pairs]
        rest = [i for i, found in enumerate(out) if found is None]
        if rest:
            for i, found in zip(rest, check_pairs(check_pair, [pairs[i] for i in rest])):
                out[i] = found
        return out


class PairsAhead:
    """One worker process checking each batch's likely pairs while the writer writes the batch
    (started at the first batch that has any; :meth:`close` ends it)."""

    MIN_PAIRS = 4  # fewer are checked by the writer: not worth a message to another process
    MAX_FAILURES = 3  # batches whose pairs the worker did not check: then the writer checks them all

    def __init__(self, check_pair: PairCheck, pool_factory: Callable | None = None) -> None:
        self.check_pair = check_pair
        self._factory = pool_factory
        self._pool = None
        self.failed = 0

    def send(self, r: Raw, items: list[tuple[str, int, str]]) -> Ahead | None:
        if self.failed >= self.MAX_FAILURES:
            return None
        pairs = guess(r, items)
        if len(pairs) < self.MIN_PAIRS:
            return None
        if self._pool is None:
            if self._factory is None:
                from ..limits import LimitedPool

                self._factory = lambda: LimitedPool(1)
            self._pool = self._factory()
        try:
            future = self._pool.submit(check_json_pairs, self.check_pair, pairs, path="")
        except RuntimeError:  # shut down meanwhile
            return None
        return Ahead(pairs, future, getattr(self._pool, "hard_seconds", 60.0) + 30.0, self)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
