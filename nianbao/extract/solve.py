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
        return Placed(list(printed), list(range(n)))
    if k > n or k == 0:
        return Placed([None] * n, [None] * n)
    outcomes: list[tuple[list, list]] = []
    count = 0
    for slots in combinations(range(n), k):
        count += 1
        if count > MAX_PLACEMENTS:
            return Placed([None] * n, [None] * n)
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
        return Placed([None] * n, [None] * n)
    values: list = []
    sources: list = []
    for i in range(n):
        vs = {o[0][i] for o in outcomes}
        ss = {o[1][i] for o in outcomes}
        if len(vs) == 1 and None not in vs:
            values.append(vs.pop())
            sources.append(ss.pop() if len(ss) == 1 else None)
        else:
            values.append(None)
            sources.append(None)
    return Placed(values, sources)


class _TooMany(Exception):
    pass


def split_runs(runs: Sequence[str], n: int, groups: Sequence[Group] = ()) -> list[list[int]]:
    """The splits of digit runs into ``n`` cells (no leading zeros, each run at least one cell)
    that satisfy every identity group. A depth-first search checks each group as soon as its last
    cell is cut, so long runs stay cheap.

    Returns at most ``MAX_SPLITS + 1`` candidates (more means: too ambiguous to use)."""
    total_digits = sum(len(r) for r in runs)
    if not runs or total_digits < n or total_digits > 80 or len(runs) > n:
        return []
    check_at: dict[int, list[Group]] = {}
    for parts, tot in groups:
        check_at.setdefault(max((*parts, tot)), []).append((parts, tot))
    out: list[list[int]] = []
    vals: list = [None] * n
    tries = 0

    def rec(ri: int, pos: int, i: int) -> None:
        nonlocal tries
        if i == n:
            if ri == len(runs):
                out.append(list(vals))
                if len(out) > MAX_SPLITS:
                    raise _TooMany
            return
        if ri == len(runs):
            return
        run = runs[ri]
        later = sum(len(r) for r in runs[ri + 1:])
        for end in range(pos + 1, len(run) + 1):
            piece = run[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            cells_left = n - i - 1
            runs_left = (1 if end < len(run) else 0) + len(runs) - ri - 1
            digits_left = len(run) - end + later
            if cells_left > digits_left:
                break
            if cells_left < runs_left:
                continue
            tries += 1
            if tries > MAX_SPLIT_TRIES:
                raise _TooMany
            vals[i] = int(piece)
            if all(sum(vals[p] for p in parts) == vals[tot] for parts, tot in check_at.get(i, ())):
                if end == len(run):
                    rec(ri + 1, 0, i + 1)
                else:
                    rec(ri, end, i + 1)
        vals[i] = None

    try:
        rec(0, 0, 0)
    except _TooMany:
        return out + [[]] * (MAX_SPLITS + 1 - len(out))  # too many to tell apart: ambiguous
    return out
