"""Recognising the rows of a table in a token stream, with the template's keywords.

A row's label may arrive whole, split over several tokens (a label wrapped over lines, merged
cells repeated by a grid, a group label in front: ``三、本年度办理结果 （三）不予公开 1.属于国家秘密``).
The labels gathered since the last number are joined and the *rightmost* keyword found names the
row: the label nearest to the numbers is the row's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from .. import template as T
from .normalize import key
from .tokens import BLANK, LABEL, VALUE, Token

_NUMBERING = re.compile(r"^(\(?[一二三四五六七八九十]+[)、.]|\d+[.、]?|[(（]\d+[)）])")


@dataclass
class Matcher:
    keywords: list[tuple[str, str]]  # (normalised keyword, row key)
    exact: dict[str, str] = field(default_factory=dict)  # whole label → row key
    exact_after: dict[str, tuple[str, ...]] = field(default_factory=dict)  # row key → rows it may follow

    groups: frozenset[str] = frozenset()  # group labels (（四）无法提供 …) that may interleave a wrapped label
    weak: frozenset[str] = frozenset()  # rows named by a word that is also a group label (（六）其他处理)
    barrier: re.Pattern | None = None  # a label that opens a new block (表二's 第二十条第（九）项): no row
    #   label printed before it names the numbers after it
    memo: dict = field(default_factory=dict, repr=False)  # (labels, previous) → row: labels repeat

    def match(self, labels: list[str], previous: str | None) -> str | None:
        k = (tuple(labels), previous)
        if k in self.memo:
            return self.memo[k]
        if len(self.memo) > 65536:
            self.memo.clear()
        row = self.memo[k] = self._match_groups(labels, previous)
        return row

    def _match_groups(self, labels: list[str], previous: str | None) -> str | None:
        if self.groups:
            inner = [t for t in labels if _NUMBERING.sub("", key(t)) not in self.groups]
            if inner and len(inner) < len(labels):
                row = self._match(inner, previous)
                if row is not None:
                    return row
        return self._match(labels, previous)

    def _match(self, labels: list[str], previous: str | None) -> str | None:
        if not labels:
            return None
        last = key(labels[-1])
        bare = _NUMBERING.sub("", last)
        for form in (last, bare):
            row = self.exact.get(form)
            if row is None:
                continue
            allowed = self.exact_after.get(row)
            numbered = last != bare  # "3.其他", "（七）总计": the numbering makes it unambiguous
            if allowed is None or numbered or previous in allowed:
                return row
        joined = key("".join(labels))  # one conversion: 反 + 覆申請 → 反复申请
        best: tuple[int, int, str] | None = None
        for kw, row in self.keywords:
            pos = joined.rfind(kw)
            if pos < 0:
                continue
            cand = (pos + len(kw), len(kw), row)
            if best is None or cand[:2] > best[:2]:
                best = cand
        return best[2] if best else None


@lru_cache(maxsize=1)
def request_matcher() -> Matcher:
    kws = [(key(kw), r.key) for r in T.REQUEST_ROWS for kw in r.keywords]
    exact: dict[str, str] = {}
    for r in T.REQUEST_ROWS:
        for form in r.exact:
            exact[key(form)] = r.key
    results = tuple(r.key for r in T.REQUEST_ROWS if r.is_result)
    groups = frozenset(_NUMBERING.sub("", key(g)) for g, _ in T.REQUEST_GROUPS)
    return Matcher(
        kws,
        exact,
        {
            # a bare 其他 is （六）3 only right after （六）1 or 2; a bare 总计 only after the results
            "other_other": ("other_no_correction", "other_no_fee"),
            "processed_total": results,
        },
        groups,
        frozenset({"other_handling"}),
    )


@lru_cache(maxsize=4)
def active_matcher(version: str) -> Matcher:
    kws = [(key(kw), r.key) for r in T.ACTIVE_ROWS[version] for kw in r.keywords]
    return Matcher(kws, barrier=_ARTICLE)


_ARTICLE = re.compile(r"第二十条第\s*[(（][一二三四五六七八九十]+[)）]\s*项")


@dataclass
class RowHit:
    key: str | None
    labels: list[Token]
    cells: list[Token]  # VALUE and BLANK tokens, in order
    by_order: bool = False  # named by its place in the template's order, not by its label

    @property
    def values(self) -> list[Token]:
        return [t for t in self.cells if t.kind == VALUE]

    @property
    def first_line(self) -> int:
        return (self.labels or self.cells)[0].line


def collect_rows(tokens: list[Token], matcher: Matcher, keep_unnamed: bool = False) -> tuple[list[RowHit], list[Token]]:
    """Walk the tokens; return the rows found (in order) and the numbers no row claimed. With
    ``keep_unnamed``, numbers after a label that names no row are kept as a row of key ``None``, for
    :func:`align_by_order` to name by its place.

    A label wrapped around its numbers (PDF text of a tall cell: ``1.本机关不掌`` / numbers /
    ``握相关政府信息``) is joined with the fragment that follows the numbers, when the first part
    alone names no row, and the fragment either names none alone or is itself followed by a label
    (then it cannot be the next row's whole label)."""
    hits: list[RowHit] = []
    orphans: list[Token] = []
    buffer: list[Token] = []
    pending_blanks: list[Token] = []
    current: RowHit | None = None
    previous: str | None = None
    absorbed: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.kind == LABEL:
            if i in absorbed:
                continue
            if current is not None:
                hits.append(current)
                previous = current.key
                buffer = []
                current = None
            if matcher.barrier is not None and matcher.barrier.search(tok.raw):
                buffer = []  # a block's caption: what came before it names nothing after it
            buffer.append(tok)
            pending_blanks = []
            continue
        if current is None:
            if tok.kind == BLANK:
                pending_blanks.append(tok)
                continue
            row, buffer, tail = _name_row(tokens, i, buffer, matcher, previous)
            absorbed.update(tail)
            if row is None:
                if keep_unnamed and buffer and tok.kind == VALUE:
                    current = RowHit(None, buffer, list(pending_blanks))  # named later by its place
                    buffer = []
                    pending_blanks = []
                    current.cells.append(tok)
                    continue
                orphans.append(tok)
                buffer = []
                continue
            current = RowHit(row, buffer, list(pending_blanks))
            buffer = []
            pending_blanks = []
        current.cells.append(tok)
    if current is not None:
        hits.append(current)
    return hits, orphans


def _name_row(tokens: list[Token], i: int, buffer: list[Token], matcher: Matcher, previous: str | None
              ) -> tuple[str | None, list[Token], list[int]]:
    """The row named by the label words in ``buffer`` before the number at ``i``: (row, the label
    words that name it, indexes of a label fragment after the numbers joined to them)."""
    row = matcher.match([t.raw for t in buffer], previous)
    if row is not None and row == previous and not _NUMBERING.match(key(buffer[-1].raw)):
        # (a label that opens with its numbering is the row printed again, not a tail)
        # the words that name it are the last row's wrapped tail: look past them
        while buffer and matcher.match([t.raw for t in buffer], previous) == previous:
            buffer = buffer[1:]
        row = matcher.match([t.raw for t in buffer], previous)
    if (row is None or row in matcher.weak) and buffer:
        tail = _fragment_after(tokens, i)
        joined = _joined_with(tokens, tail, buffer, matcher, previous)
        if joined is not None and joined != row:
            return joined, buffer + [tokens[j] for j in tail], tail
    return row, buffer, []


def _joined_with(tokens: list[Token], tail: list[int], buffer: list[Token], matcher: Matcher,
                 previous: str | None) -> str | None:
    """The row named by a label wrapped around its numbers: the words before them joined with the
    fragment after them (``tail``), when the fragment names no row alone or is itself followed by
    a label (then it cannot be the next row's whole label)."""
    if not tail:
        return None
    after = tail[-1] + 1
    while after < len(tokens) and tokens[after].kind == BLANK:
        after += 1
    followed_by_label = after < len(tokens) and tokens[after].kind == LABEL
    if not followed_by_label and matcher.match([tokens[j].raw for j in tail], previous) is not None:
        return None
    joined = matcher.match([t.raw for t in buffer] + [tokens[j].raw for j in tail], previous)
    if joined is None:
        joined = matcher.match(_columns_joined(buffer[-1].raw, tokens[tail[0]].raw), previous)
    return joined


def _fragment_after(tokens: list[Token], i: int) -> list[int]:
    """Indexes of the label tokens right after the run of numbers that starts at ``i``."""
    j = i
    while j < len(tokens) and tokens[j].kind != LABEL:
        j += 1
    out = []
    while j < len(tokens) and tokens[j].kind == LABEL and len(out) < 1:
        out.append(j)
        j += 1
    return out


def _columns_joined(first: str, second: str) -> list[str]:
    """Two lines of a borderless table whose label columns both wrapped: ``（六）其他 1.申请人…逾期不补``
    over ``处理 正、行政机关…``. Join them column by column: ``（六）其他处理``, ``1.申请人…不补正、…``."""
    a, b = first.split(), second.split()
    if len(a) < 2 or len(a) != len(b):
        return []
    return [x + y for x, y in zip(a, b)]


# an item number: bracketed anywhere (``本年度办理结果（一）予以公开``), else at the start or after a space
_ITEM_NUMBER = re.compile(r"[(（]([一二三四五六七八九十]+)[)）]|(?:^|(?<=\s))\s*(?:([一二三四五六七八九十]+)、|(\d+)[.．、])")


def _anchors(named: list[RowHit], pos: dict[str, int]) -> set[int]:
    """The ids of the longest run of named rows in template order (ties: the earliest)."""
    at = [pos[h.key] for h in named]
    length = [1] * len(named)
    before = [-1] * len(named)
    for i in range(len(named)):
        for j in range(i):
            if at[j] < at[i] and length[j] + 1 > length[i]:
                length[i], before[i] = length[j] + 1, j
    anchors: set[int] = set()
    i = max(range(len(named)), key=lambda k: (length[k], -k), default=-1)
    while i >= 0:
        anchors.add(id(named[i]))
        i = before[i]
    return anchors


def align_by_order(hits: list[RowHit], order: list[str], numbers: dict[str, str] | None = None,
                   labels: dict[str, str] | None = None) -> tuple[list[RowHit], list[RowHit]]:
    """Name the rows the keywords could not (a label with a typo: 其他法律行政法规禁止公开 printed
    without a word, 大量反复申请 with a character changed) by the template's order: the rows the
    keywords named in template order are anchors; between two anchors, the template rows not found
    and the unnamed rows printed there are paired in order when their counts agree and, where the
    printed label carries an item number, it is the template row's number. When the counts differ
    (a row the report does not print: no 规章 row), an unnamed row is named only by a label close to
    one missing row's official words (``labels``) and far from the others (:func:`_by_likeness`).
    A row named out of order counts as unnamed. Returns (rows, rows left unnamed)."""
    pos = {k: i for i, k in enumerate(order)}
    anchors = _anchors([h for h in hits if h.key in pos], pos)
    out: list[RowHit] = []
    loose: list[RowHit] = []
    gap: list[RowHit] = []
    last = -1

    def close(upto: int) -> None:
        nonlocal gap
        if not gap:
            return
        found = {h.key for h in out}
        missing = [k for k in order[last + 1: upto] if k not in found]
        if gap and len(gap) == len(missing) and all(_number_fits(g, k, numbers) for g, k in zip(gap, missing)):
            pairs = list(zip(gap, missing))
        else:
            pairs = _by_likeness(gap, missing, labels or {}) if gap and missing else []
        named = {id(g) for g, _ in pairs}
        for g, k in pairs:
            g.key = k
            g.by_order = True
            out.append(g)
        loose.extend(g for g in gap if id(g) not in named)
        gap = []

    for h in hits:
        if h.key is not None and h.key not in pos and h.values:
            h.key = None  # a row this template does not have (（六）其他处理 over a mistyped 1.…): unnamed
        if id(h) in anchors:
            close(pos[h.key])
            out.append(h)
            last = pos[h.key]
        elif h.key is None and h.values:
            gap.append(h)
        elif h.key is not None:
            out.append(h)  # a row named again, or out of order: the table reader decides
    close(len(order))
    out.sort(key=lambda h: (h.labels or h.cells)[0].index)
    return out, loose


LIKENESS = 0.6  # an unnamed label must share this much with one missing row's words (difflib ratio) …
LIKENESS_MARGIN = 0.25  # … and this much more than with any other missing row


def _by_likeness(gap: list[RowHit], missing: list[str], labels: dict[str, str]) -> list[tuple[RowHit, str]]:
    """Unnamed rows paired with missing rows by the likeness of their labels (``规性文件`` is
    规范性文件, not 规章), in order and each missing row once; a row alike to none is left out."""
    pairs: list[tuple[RowHit, str]] = []
    after = -1
    for g in gap:
        if not g.labels:
            continue
        printed = _NUMBERING.sub("", key(g.labels[-1].raw))
        scores = sorted(((_likeness(printed, key(labels[k])), i) for i, k in enumerate(missing) if k in labels),
                        reverse=True)
        if not scores or scores[0][0] < LIKENESS:
            continue
        best, i = scores[0]
        if len(scores) > 1 and scores[1][0] > best - LIKENESS_MARGIN or i <= after:
            continue
        pairs.append((g, missing[i]))
        after = i
    return pairs


def _likeness(printed: str, official: str) -> float:
    """How alike a printed label's end is to a row's official words: the best difflib ratio of its
    last len-1 … len+1 characters (a caption or header run into the label is no part of it)."""
    n = len(official)
    return max(SequenceMatcher(None, printed[-m:], official).ratio() for m in range(max(1, n - 1), n + 2))


def _number_fits(hit: RowHit, row: str, numbers: dict[str, str] | None) -> bool:
    """A printed item number (``4.``, ``（二）``) must be the template row's own, when both exist."""
    if not numbers or not hit.labels or row not in numbers:
        return True
    printed = item_number(hit)
    return printed is None or printed in numbers[row]


def item_number(hit: RowHit) -> str | None:
    """The item number printed nearest a row's numbers (``三、… （一）予以开`` → 一), if any."""
    if not hit.labels:
        return None
    found = list(_ITEM_NUMBER.finditer(hit.labels[-1].raw))
    return next(g for g in found[-1].groups() if g) if found else None
