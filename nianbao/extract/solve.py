"""Placing printed numbers into a row's cells, only as far as the template's arithmetic allows.

Two situations need more than "the i-th number is the i-th cell":

* a row prints fewer numbers than it has cells (a blank cell lost in copying, a shifted column):
  every order-preserving placement of the printed numbers is tried; a cell gets a value only when
  all placements consistent with the row's identities give it the same value (e.g. every printed
  value 0 and counts non-negative); otherwise it stays null;
* the cells ran together into digit runs (crawler text, ``713000074``): every split of the runs
  into cells is tried; a split is kept only when it satisfies the row's identities, and the row is
  filled only when exactly one split is left (possibly after the column identities of the whole
  table have been applied: see ``resolve_with_identities``).

An identity group ``(parts, total)`` says ``sum(cells[parts]) == cells[total]``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Sequence

Group = tuple[tuple[int, ...], int]
MAX_PLACEMENTS = 20000
MAX_SPLITS = 400
MAX_SPLIT_TRIES = 300000


@dataclass
class Placed:
    """The outcome for one row: a value (or None) per cell, and for each cell the index of the
    printed token it came from (None when the value was forced by arithmetic or is unknown)."""

    values: list[int | float | None]
    sources: list[int | None]
    inferred: list[bool]
    candidates: list[list[int]] | None = None  # several digit splits left: for the table pass


def _forced(known: list, groups: Sequence[Group], nonneg: Sequence[bool]) -> list | None:
    """Fill unknown cells whose value the groups force. Returns None when inconsistent."""
    vals = list(known)
    changed = True
    while changed:
        changed = False
        for parts, total in groups:
            members = list(parts) + [total]
            unknown = [i for i in members if vals[i] is None]
            if not unknown:
                continue
            s = sum(vals[i] for i in parts if vals[i] is not None)
            if len(unknown) == 1:
                u = unknown[0]
                value = vals[total] - s if u != total else s
                if nonneg[u] and value < 0:
                    return None
                vals[u] = value
                changed = True
            elif total not in unknown:
                rest = vals[total] - s
                if rest < 0 and all(nonneg[i] for i in unknown):
                    return None
                if rest == 0 and all(nonneg[i] for i in unknown):
                    for u in unknown:
                        vals[u] = 0
                    changed = True
    return vals


def _consistent(vals: list, groups: Sequence[Group]) -> bool:
    for parts, total in groups:
        members = list(parts) + [total]
        if any(vals[i] is None for i in members):
            continue
        if abs(sum(vals[i] for i in parts) - vals[total]) > 1e-9:
            return False
    return True


def place(
    printed: Sequence[int | float],
    n: int,
    groups: Sequence[Group] = (),
    nonneg: Sequence[bool] | None = None,
) -> Placed:
    """Place ``printed`` numbers (in order) into ``n`` cells."""
    nonneg = list(nonneg) if nonneg is not None else [True] * n
    k = len(printed)
    if k == n:
        return Placed(list(printed), list(range(n)), [False] * n)
    if k > n or k == 0:
        return Placed([None] * n, [None] * n, [False] * n)
    outcomes: list[tuple[list, list]] = []
    count = 0
    for slots in combinations(range(n), k):
        count += 1
        if count > MAX_PLACEMENTS:
            return Placed([None] * n, [None] * n, [False] * n)
        known: list = [None] * n
        src: list = [None] * n
        for j, s in enumerate(slots):
            known[s] = printed[j]
            src[s] = j
        vals = _forced(known, groups, nonneg)
        if vals is None or not _consistent(vals, groups):
            continue
        outcomes.append((vals, src))
    if not outcomes:
        return Placed([None] * n, [None] * n, [False] * n)
    values: list = []
    sources: list = []
    inferred: list = []
    for i in range(n):
        vs = {o[0][i] for o in outcomes}
        ss = {o[1][i] for o in outcomes}
        if len(vs) == 1 and None not in vs:
            values.append(vs.pop())
            src = ss.pop() if len(ss) == 1 else None
            sources.append(src)
            inferred.append(src is None)
        else:
            values.append(None)
            sources.append(None)
            inferred.append(False)
    return Placed(values, sources, inferred)


def _splits(run: str, parts: int):
    """Every way to cut a digit string into ``parts`` numbers without leading zeros."""
    if parts == 1:
        if len(run) == 1 or run[0] != "0":
            yield [int(run)]
        return
    for cut in range(1, len(run) - parts + 2):
        head = run[:cut]
        if len(head) > 1 and head[0] == "0":
            break
        for rest in _splits(run[cut:], parts - 1):
            yield [int(head)] + rest


def _distribute(runs: Sequence[str], n: int):
    """Every way to cut several digit runs into ``n`` numbers in all (each run at least one)."""
    if not runs:
        if n == 0:
            yield []
        return
    first, rest = runs[0], runs[1:]
    min_rest = len(rest)
    max_rest = sum(len(r) for r in rest)
    for k in range(1, min(len(first), n - min_rest) + 1):
        if n - k > max_rest:
            continue
        for head in _splits(first, k):
            for tail in _distribute(rest, n - k):
                yield head + tail


def split_runs(runs: Sequence[str], n: int, groups: Sequence[Group] = ()) -> list[list[int]]:
    """The splits of digit runs into ``n`` cells that satisfy every identity group.

    Returns at most ``MAX_SPLITS + 1`` candidates (more means: too ambiguous to use)."""
    if sum(len(r) for r in runs) < n or sum(len(r) for r in runs) > 60:
        return []
    out: list[list[int]] = []
    for tries, cand in enumerate(_distribute(list(runs), n)):
        if tries > MAX_SPLIT_TRIES:
            return out + [[]] * (MAX_SPLITS + 1)  # too many to try: treat as ambiguous
        if _consistent(cand, groups):
            out.append(cand)
            if len(out) > MAX_SPLITS:
                break
    return out
