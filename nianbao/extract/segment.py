"""Stage 2, segment: find the template's own words wherever they sit, and cut the text there.

A crawler export or a copied page may hold the whole report on ONE line: the preamble, the six
chapter headings in mid-line, the three tables with their cells run together
(``…二、主动公开政府信息情况第二十条第（一）项信息内容…规章000行政规范性文件8855698…``). A PDF
converter may glue a heading to the sentence before it. This stage looks for the template's
vocabulary (chapter headings, the captions and header words of each table, the numbered row labels
of table 3) inside every long line and cuts the line before each one, so that the later stages
see one heading, one caption or one table row per line, as in a well-formed document.

Nothing is dropped or changed: each piece keeps its source line, page and character offset, and
the pieces of a line joined again give the line. A line from a real grid (``cells``) is left whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import template as T
from ..read.document import Line

# Only lines at least this long are searched: a short line is already one heading or one row.
MIN_LENGTH = 60

_NUM = "一二三四五六七八"


@dataclass(frozen=True)
class Segment:
    """A cut: the kind of thing that starts at ``start`` in line ``index``."""

    kind: str  # "chapter", "caption", "header", "row", "table4"
    index: int  # index of the Line in the Document
    start: int  # character offset in the line
    what: str  # chapter key, table key or row text


def _alts(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def _chapter_re() -> re.Pattern:
    """A chapter heading: a top-level numeral (一 … 八, then 、 . ． or nothing) right before words
    only a heading has (``Chapter.phrases`` of the template). A numeral after a bracket or after
    another numeral is a sub-heading or a row label, not a chapter."""
    phrases = {c.key: c.phrases for c in T.CHAPTERS} | {f"x_{k}": v for k, v in T.EXTRA_CHAPTER_PHRASES.items()}
    parts = [f"(?P<{k}>{_alts(w)})" for k, w in phrases.items()]
    return re.compile(rf"(?<![（(、{_NUM}])([{_NUM}])[、.．，,]?\s*(?:{'|'.join(parts)})")


# What may follow a row's label as its cells: digits (also full width), spaces of any kind, signs,
# decimal points, the marks that stand for zero, and the units some reports print in cells.
_CELL_RUN = re.compile(r"(?:[0-9０-９\s\u00a0\u3000+\-.．,/／—－–]|万元|元|个|件|项|宗)+")
_FIRST_CELL = re.compile(r"[0-9０-９/／—－]")
_ACTIVE_HEADER = re.compile(r"信息内容\s*(?:本年制发|本年新制作|本年处理决定|上一年项目)")
_CAPTION = re.compile(r"第二十条第[（(][一二三四五六七八九十]+[)）]项")
_TABLE3_START = re.compile(r"[（(]本列数据的勾稽关系|申请人情况|(?:一、)?本年新收政府信息公开申请")
_TABLE4_START = re.compile(r"行政复议\s*行政诉讼|行政复议\s*结果维持")


@lru_cache(maxsize=1)
def _active_row_re() -> re.Pattern:
    labels = {r.label for v in T.VERSIONS for r in T.ACTIVE_ROWS[v]}
    # 规范性文件 inside 行政规范性文件 is the same row: never cut between 行政 and 规范性文件
    return re.compile(rf"(?<!行政)(?:{_alts(labels)})")


@lru_cache(maxsize=1)
def _request_row_re() -> re.Pattern:
    """A numbered row label of table 3: its numbering, then (within a few characters) one of the
    row's keywords. An item number glued to the previous row's digits (``00000002.重复申请``) is the
    single digit before the dot."""
    words = set()
    for r in T.REQUEST_ROWS:
        words.update(r.keywords)
        words.add(r.label[:4])
    words.update(g[3:] if g.startswith("（") else g[2:] for g, _ in T.REQUEST_GROUPS)
    words.add("申请数量")  # 一、本年新收… / 二、上年结转…政府信息公开申请数量, a word of the label mistyped
    words.discard("")
    numbering = rf"(?:[{_NUM}]、|[（(][{_NUM}][)）]|\d[.．、])"
    # an item number right after the previous row's cells opens a row even when its label is
    # misprinted (``00000002.其它法律…禁止公示``): a digit, a dot, then a Chinese character
    item = r"(?<=[\d\s])\d[.．、](?=[\u4e00-\u9fff])"
    return re.compile(rf"{numbering}\s*(?=.{{0,12}}?(?:{_alts(words)}))|{item}")


def _chapter_cuts(text: str, index: int) -> list[Segment]:
    out = []
    for m in _chapter_re().finditer(text):
        key = next(k for k, v in m.groupdict().items() if v is not None)
        out.append(Segment("chapter", index, m.start(), key))
    return out


def find_segments(text: str, index: int) -> list[Segment]:
    """Every cut in one line, in order of position."""
    cuts = _chapter_cuts(text, index)
    by_key = {c.what: c.start for c in cuts}
    n = len(text)
    # table 2: from its first caption (or, where the captions are left out, its first 信息内容 header)
    # to the start of chapter 三 (or of table 3)
    first = _CAPTION.search(text) or _ACTIVE_HEADER.search(text, by_key.get("active", 0))
    if first:
        t3 = _TABLE3_START.search(text, first.end())
        end = min([c.start for c in cuts if c.start > first.start()] + [t3.start() if t3 else n])
        if "requests" in by_key and by_key["requests"] > first.start():
            end = min(end, by_key["requests"])
        for m in _CAPTION.finditer(text, first.start(), end):
            cuts.append(Segment("caption", index, m.start(), "active"))
        for m in _active_row_re().finditer(text, first.start(), end):
            cuts.append(Segment("row", index, m.start(), m.group()))
    # table 3: from its header note (or 申请人情况) to the start of table 4 / chapter 四
    t3 = _TABLE3_START.search(text)
    t4 = _TABLE4_START.search(text, t3.end() if t3 else by_key.get("appeals", 0))
    if t3:
        cuts.append(Segment("header", index, t3.start(), "requests"))
        later = [c.start for c in cuts if c.kind == "chapter" and c.start > t3.start()]
        end = min(later + [t4.start() if t4 else n])
        for m in _request_row_re().finditer(text, t3.end(), end):
            cuts.append(Segment("row", index, m.start(), m.group()))
    if t4 and (t3 or "appeals" in by_key):
        cuts.append(Segment("table4", index, t4.start(), "appeals"))
    cuts.sort(key=lambda c: c.start)
    return cuts + _tails(text, index, cuts)


def _tails(text: str, index: int, cuts: list[Segment]) -> list[Segment]:
    """A table row is its label and its cells: whatever follows the cells before the next cut (a
    sentence that ran on after the table, a heading of another kind) is cut off as its own piece.
    Table 4's header words are cut from its fifteen cells in the same way."""
    out = []
    ends = [c.start for c in cuts] + [len(text)]
    for c, nxt in zip(cuts, ends[1:]):
        if c.kind == "caption":  # a caption whose row label is misprinted (行政事业收费): its cells end it too
            first = _first_cell_after_caption(text, c.start, nxt)
        elif c.kind in ("row", "table4"):
            first = _FIRST_CELL.search(text, c.start + (1 if c.kind == "row" else 0), nxt)
        else:
            continue
        if c.kind == "row" and first and first.start() == c.start:  # the row's own item number
            first = _FIRST_CELL.search(text, _label_end(text, c.start, nxt), nxt)
        if first is None:
            continue
        if c.kind == "table4":
            out.append(Segment("cells", index, first.start(), "appeals"))
        run = _CELL_RUN.match(text, first.start())
        end = run.end() if run else first.start()
        if end < nxt and _ITEM_AFTER.search(text, first.start(), end) and _is_cjk(text[end]):
            end -= 2  # the run ends in the next row's item number (``（三）不予公开1.属于…``): cut before it
        if end < nxt and text[end:nxt].strip():
            out.append(Segment("tail", index, end, ""))
    return out


_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")


def _first_cell_after_caption(text: str, start: int, stop: int) -> re.Match | None:
    """The first cell after a table-2 caption and its header words, a unit note in brackets
    (``（单位：万元，保留4位小数）``) skipped."""
    caption = _CAPTION.match(text, start)
    if caption is None:
        return None
    after = caption.end()
    blanked = _BRACKETED.sub(lambda m: " " * len(m.group()), text[after:stop])  # this caption's words only
    m = _FIRST_CELL.search(blanked)
    return _FIRST_CELL.match(text, after + m.start()) if m else None


_ITEM_AFTER = re.compile(r"\d[.．、]$")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _label_end(text: str, start: int, stop: int) -> int:
    """Past a row label's numbering (``2.`` or ``（三）``) and its words, to its first cell."""
    i = start
    while i < stop and (text[i].isdigit() or text[i] in ".．、（()）一二三四五六七"):
        i += 1
    while i < stop and not _FIRST_CELL.match(text, i):
        i += 1
    return i


def segment_line(line: Line, index: int) -> list[Line]:
    """One line cut at its segments; a short line, or one with no segment inside, stays whole."""
    text = line.text
    if line.cells is not None or len(text) < MIN_LENGTH:
        return [line]
    starts = sorted({c.start for c in find_segments(text, index) if c.start > 0})
    if not starts:
        return [line]
    bounds = [0] + starts + [len(text)]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        piece = text[a:b]
        if piece.strip():
            out.append(Line(piece, line.line, line.page, offset=line.offset + a))
    return out


def segment_document(lines: list[Line]) -> list[Line]:
    """Every line of the document cut at the template's words (see the module docstring)."""
    out: list[Line] = []
    for i, line in enumerate(lines):
        out.extend(segment_line(line, i))
    return out
