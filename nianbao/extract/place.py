"""Stage 5, place: the numbers a row prints, into the row's cells.

A row prints *atoms*: pieces of text separated by spaces or tab stops, each a number, a mark that
stands for zero (``/``, ``—``, ``无``) or a run of digits in which several cells ran together
(crawler text: ``110000011``; ``0 0 00 0 0 0`` where two zeros lost their space). Placing means
splitting each atom into one or more cells so that the row gets exactly its number of cells:

* every piece is a well-formed number: no leading zero (``07`` is two cells, 0 and 7), a decimal
  point inside a piece, a sign (``+17``) only at the start of an atom and only in a signed cell,
  a decimal only in an amount cell;
* when exactly one split exists at all, it is the reading, whatever the arithmetic says: the
  printed numbers stand, and a row that breaks its own identity is the checker's finding
  (spec §8; the report itself may not balance);
* when several splits exist, only those that satisfy the row's identities (总计 = the sum of the
  applicant columns; a table-4 block's 总计) are kept; one left is the reading; several left give
  values only to the cells on which they all agree, and the rest stay null with the candidates kept
  for the table's column identities (``table3._resolve_candidates``);
* when no split exists (fewer digits than cells: a row short of a cell, a blank lost in copying),
  the row's cells are not placed: which cell was blank cannot be told, and nothing is guessed.

A placement never changes a digit: candidates differ only in where the cuts are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Sequence

from .numbers import ZERO_MARKS

Group = tuple[tuple[int, ...], int]  # sum(cells[parts]) == cells[total]
MAX_CANDIDATES = 400
MAX_STEPS = 200_000

_ATOM = re.compile(r"^(?P<sign>[+-]?)(?P<body>\d+(?:\.\d+)?)(?:件|个|项|条|次|宗|元|万元|万)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:件|个|项|条|次|宗|元|万元|万)?$")


@dataclass(frozen=True)
class Atom:
    """One printed piece of a row. ``fixed`` holds the value of a piece that cannot be split (a
    zero mark, a number with thousands separators); otherwise ``body`` is its digits."""

    raw: str
    sign: str = ""
    body: str = ""
    fixed: int | float | None = None
    split: bool = True  # may hold several cells (see ``cells.fused``)

    @property
    def malformed(self) -> bool:
        """Digits that cannot be one number (``00``, ``0011``): certainly several cells."""
        return self.body.startswith("0") and self.fixed is None and len(self.body.split(".")[0]) > 1


@lru_cache(maxsize=65536)
def atom_of(raw: str, split: bool = True) -> Atom | None:
    t = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    if t in ZERO_MARKS or raw.strip() in ZERO_MARKS:
        return Atom(raw, fixed=0)
    if _THOUSANDS.match(t):
        num = re.sub(r"[^\d.+-]", "", t)
        return Atom(raw, fixed=float(num) if "." in num else int(num))
    m = _ATOM.match(t)
    if not m:
        return None
    return Atom(raw, m.group("sign"), m.group("body"), split=split)


@dataclass
class Placement:
    """The outcome for one row: a value or None per cell; for each cell the index of the atom its
    value came from; a note code; the candidate splits still open (for the column identities)."""

    values: list
    sources: list[int | None]
    code: str | None = None
    candidates: list[list] | None = None


def _well_formed(piece: str) -> bool:
    if not piece or piece[0] == "." or piece[-1] == "." or piece.count(".") > 1:
        return False
    whole = piece.split(".")[0]
    return whole == "0" or not whole.startswith("0")


def _value(piece) -> int | float:
    if not isinstance(piece, str):
        return piece
    return float(piece) if "." in piece else int(piece)


def _fits(piece, kind: str) -> bool:
    if not isinstance(piece, str):
        return True
    if piece[0] in "+-" and kind != "signed":
        return False
    if "." in piece and kind != "amount":
        return False
    return True


class _Cutter:
    """Depth-first cutting of the atoms into cells, one piece at a time, left to right. A piece is
    checked as soon as it is cut (well formed, fits its cell's kind), and every identity group as
    soon as its last cell is filled, so a long run (a whole table 4 as ``000001000100022``) costs
    little. ``count`` counts the splits without identities (memoised); ``cut`` lists those that
    satisfy the identities."""

    def __init__(self, atoms: Sequence[Atom], n: int, kinds: Sequence[str], groups: Sequence[Group] = ()):
        self.atoms, self.n, self.kinds = list(atoms), n, list(kinds)
        self.check_at: dict[int, list[Group]] = {}
        for parts, total in groups:
            self.check_at.setdefault(max((*parts, total)), []).append((parts, total))
        # most cells the atoms from i on can fill
        self.room = [0] * (len(self.atoms) + 1)
        for i in range(len(self.atoms) - 1, -1, -1):
            a = self.atoms[i]
            most = 1 if a.fixed is not None or not (a.split or a.malformed) else len(a.body.replace(".", ""))
            self.room[i] = self.room[i + 1] + most

    def _options(self, ai: int, pos: int, ci: int):
        """(piece, next position, atom done) for the next cell, cut from atom ``ai`` at ``pos``."""
        atom = self.atoms[ai]
        if atom.fixed is not None:
            if pos == 0:
                yield atom.fixed, 0, True
            return
        body = atom.body
        whole_only = not (atom.split or atom.malformed)
        cells_after = self.n - ci - 1
        for end in range(pos + 1, len(body) + 1):
            if whole_only and (pos != 0 or end != len(body)):
                continue
            piece = body[pos:end]
            if len(piece) > 1 and piece[0] == "0" and piece[1] != ".":
                break  # a leading zero: this piece and every longer one are malformed
            done = end == len(body)
            if cells_after < (0 if done else 1) + (len(self.atoms) - ai - 1):
                continue  # too few cells left for the rest; only a longer piece may do
            if cells_after > len(body[end:].replace(".", "")) + self.room[ai + 1]:
                break  # too many cells left for the digits after it, and longer pieces leave fewer
            if not _well_formed(piece):
                continue
            yield (atom.sign + piece if pos == 0 else piece), end, done

    def count(self, cap: int = 2) -> int:
        memo: dict[tuple[int, int, int], int] = {}

        def rec(ai: int, pos: int, ci: int) -> int:
            if ai == len(self.atoms):
                return 1 if ci == self.n else 0
            if ci == self.n:
                return 0
            k = (ai, pos, ci)
            if k in memo:
                return memo[k]
            total = 0
            for piece, end, done in self._options(ai, pos, ci):
                if not _fits(piece, self.kinds[ci]):
                    continue
                total += rec(ai + 1, 0, ci + 1) if done else rec(ai, end, ci + 1)
                if total >= cap:
                    total = cap
                    break
            memo[k] = total
            return total

        return rec(0, 0, 0)

    def cut(self) -> list[list]:
        """Every split whose identities hold (see :func:`splits`)."""
        self._out: list[list] = []
        self._vals: list = [None] * self.n
        self._srcs: list = [None] * self.n
        self._steps = 0
        self._cut_from(0, 0, 0)
        return self._out

    def _holds(self, ci: int) -> bool:
        """The identities that cell ``ci`` completes hold."""
        vals = self._vals
        for parts, total in self.check_at.get(ci, ()):
            if abs(sum(vals[p] for p in parts) - vals[total]) > 1e-9:
                return False
        return True

    def _cut_from(self, ai: int, pos: int, ci: int) -> None:
        """Fill cells ``ci``… from atom ``ai`` at digit ``pos``, recording each complete split."""
        if ai == len(self.atoms) or ci == self.n:
            if ai == len(self.atoms) and ci == self.n:
                self._out.append(list(zip(self._vals, self._srcs)))
                if len(self._out) > MAX_CANDIDATES:
                    raise TooManySplits
            return
        for piece, end, done in self._options(ai, pos, ci):
            self._steps += 1
            if self._steps > MAX_STEPS:
                raise TooManySplits
            if not _fits(piece, self.kinds[ci]):
                continue
            self._vals[ci], self._srcs[ci] = _value(piece), ai
            if self._holds(ci):
                if done:
                    self._cut_from(ai + 1, 0, ci + 1)
                else:
                    self._cut_from(ai, end, ci + 1)
        self._vals[ci] = self._srcs[ci] = None


def count_splits(atoms: Sequence[Atom], n: int, kinds: Sequence[str], cap: int = 2) -> int:
    """How many splits of the atoms into n cells exist, ignoring identities (at most ``cap``)."""
    return _Cutter(atoms, n, kinds).count(cap)


class TooManySplits(Exception):
    pass


def splits(atoms: Sequence[Atom], n: int, kinds: Sequence[str], groups: Sequence[Group] = ()) -> list[list]:
    """Every split of the atoms into n cells that satisfies the identity groups, as lists of (value,
    atom index). More than ``MAX_CANDIDATES``, or too long a search: raises ``TooManySplits``."""
    return _Cutter(atoms, n, kinds, groups).cut()


def place_atoms(atoms: Sequence[Atom], n: int, kinds: Sequence[str] | None = None,
                groups: Sequence[Group] = ()) -> Placement:
    """Place one row's atoms into its n cells (see the module docstring). The outcome depends only
    on the atoms, the kinds and the groups, and rows repeat (``0000000``): it is memoised."""
    key = tuple(atoms), n, tuple(kinds) if kinds is not None else None, tuple(groups)
    try:
        got = _placed(*key)
    except TypeError:  # an unhashable argument (a list of groups): placed afresh
        got = _placed.__wrapped__(*key)
    values, sources, code, candidates = got
    return Placement(list(values), list(sources), code, [list(c) for c in candidates] if candidates else None)


@lru_cache(maxsize=16384)
def _placed(atoms: tuple, n: int, kinds: tuple | None, groups: tuple) -> tuple:
    p = _place(atoms, n, kinds, groups)
    return (tuple(p.values), tuple(p.sources), p.code,
            tuple(tuple(c) for c in p.candidates) if p.candidates else None)


def _place(atoms: Sequence[Atom], n: int, kinds: Sequence[str] | None = None,
           groups: Sequence[Group] = ()) -> Placement:
    kinds = list(kinds) if kinds is not None else ["count"] * n
    none = Placement([None] * n, [None] * n)
    if len(atoms) > n:
        none.code = "too_many_values"
        return none
    if len(atoms) == n:
        values = [a.fixed if a.fixed is not None else _value(a.sign + a.body) for a in atoms]
        return Placement(values, list(range(n)))
    ways = count_splits(atoms, n, kinds)
    if ways == 0:
        return _with_blanks(atoms, n, kinds)
    try:
        found = splits(atoms, n, kinds, () if ways == 1 else groups)
    except TooManySplits:
        none.code = "digits_ambiguous"
        return none
    if not found:
        none.code = "digits_unsplittable"
        return none
    if len(found) == 1:
        (only,) = found
        return Placement([v for v, _ in only], [s for _, s in only], "digits_split")
    values, sources = [], []
    for i in range(n):
        seen = {c[i][0] for c in found}
        if len(seen) == 1:
            values.append(seen.pop())
            srcs = {c[i][1] for c in found}
            sources.append(srcs.pop() if len(srcs) == 1 else None)
        else:
            values.append(None)
            sources.append(None)
    return Placement(values, sources, "digits_ambiguous", [[v for v, _ in c] for c in found])


def _with_blanks(atoms: Sequence[Atom], n: int, kinds: Sequence[str]) -> Placement:
    """Fewer cells printed than the row has: some cells were left blank (or lost in copying), and
    which ones cannot be told. A cell gets a value only when every way of placing the printed
    numbers gives it the same printed number (``5 0 0 0 0 5`` in seven cells: the middle three
    are 0 wherever the blank is); the others stay null. Nothing is computed."""
    outcomes = _blank_outcomes(atoms, n, kinds)
    if outcomes is None:
        return Placement([None] * n, [None] * n, "cells_unplaced")
    values: list = [None] * n
    sources: list = [None] * n
    if outcomes:
        for i in range(n):
            seen = {o[i] for o in outcomes}
            if len(seen) == 1:
                values[i], sources[i] = seen.pop()
            elif len({v for v, _ in seen}) == 1 and None not in {v for v, _ in seen}:
                values[i] = next(iter(seen))[0]
    return Placement(values, sources, "cells_unplaced")


def _blank_outcomes(atoms: Sequence[Atom], n: int, kinds: Sequence[str]) -> list[list] | None:
    """Every row the printed numbers make with the fewest blank cells: (value, atom) per cell, a
    blank as (None, None). None when there are too many to weigh."""
    outcomes: list[list] = []
    for m in range(n - 1, max(len(atoms), 1) - 1, -1):
        try:
            found = splits(atoms, m, _loosest(kinds, m))
        except TooManySplits:
            return None
        for cand in found:
            for blanks in combinations(range(n), n - m):
                it = iter(cand)
                row = [(None, None) if i in blanks else next(it) for i in range(n)]
                if all(_fits_value(v, kinds[i]) for i, (v, _) in enumerate(row)):
                    outcomes.append(row)
                if len(outcomes) > 20000:
                    return None
        if found:
            break
    return outcomes


def _loosest(kinds: Sequence[str], m: int) -> list[str]:
    """Kinds for a shorter row whose cells may sit anywhere: the loosest kind present."""
    k = "amount" if "amount" in kinds else "count"
    return ["signed" if "signed" in kinds else k] * m


def _fits_value(v, kind: str) -> bool:
    if v is None:
        return True
    if v < 0 and kind != "signed":
        return False
    if isinstance(v, float) and kind != "amount":
        return False
    return True
