"""Lines into tokens: labels, values and blank cells, each remembering where it came from.

Whatever the layout (a cell per line, pipes, tabs, crawler text with no separators, a real grid),
a table becomes one stream of tokens. The row readers walk that stream with the template.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..read.document import Line
from .numbers import is_blank, parse_number

LABEL, VALUE, BLANK = "label", "value", "blank"

_PIPE_RULE = re.compile(r"^\s*:?-{2,}:?\s*$")
_ANY_DIGIT = re.compile(r"[0-9０-９/／\\\-—－–无]")  # digits or a mark that stands for zero
# Column headers that conversion tools make up when a table's header is lost: 数据1, 列2, Column 3 …
PLACEHOLDER = re.compile(r"^\s*(?:数据|列|栏|字段|项|column|col|data|field)\s*[_-]?\d{1,2}\s*$", re.I)
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGITS = re.compile(r"([+-]?\d+(?:\.\d+)?)")  # a sign glued to digits is the number's (行政许可20+1737)
# A unit printed in a cell (政府集中采购1个246900元) ends the cell's number; it is not a label.
_CELL_UNIT = re.compile(r"^(万元|元|个|件|项|宗)")
_ITEM_START = re.compile(r"^[.．、][\u3400-\u9fff]")
# A number glued to one of these is part of the text (a year, a date, a percentage), not a cell.
_TEXT_UNIT = re.compile(r"^(年|月|日|号|%|％|个百分点|倍|位|岁|时|分)")


@dataclass(slots=True)
class Token:
    kind: str  # LABEL, VALUE or BLANK
    raw: str  # the text as printed
    index: int  # index of the Line in the Document
    line: int  # source line number
    page: int | None
    value: int | float | None = None
    slot: int | None = None  # column index when the line is a row of a real grid
    run: bool = False  # a digit run cut out of crawler text (cells ran together)
    origin: int | None = None  # a grid row's source cell: slots with one origin are one merged cell


def tokenize(line: Line, index: int) -> list[Token]:
    """The tokens of one line."""
    if line.cells is not None:
        return _grid_tokens(line, index)
    if not line.text:
        return []
    return [Token(kind, raw, index, line.line, line.page, value, slot, run)
            for kind, raw, value, slot, run in _text_tokens(line.text)]


Parts = tuple[tuple[str, str, "int | float | None", "int | None", bool], ...]


@lru_cache(maxsize=65536)
def _text_tokens(text: str) -> Parts:
    """(kind, raw, value, slot, run) of each token of a line of text. A line's tokens depend only on
    its text, and lines repeat (row labels, rows of zeros): memoised."""
    if text.strip() == "":
        # A line holding only NBSP / ideographic spaces: an empty cell copied from a table.
        # A truly empty line is only a paragraph break and yields nothing.
        return ((BLANK, text, None, None, False),) if text.replace(" ", "") else ()
    if "\t" not in text and "|" not in text:
        value = parse_number(text)
        if value is not None:  # the commonest line of all: one number
            return ((VALUE, text.strip(), value, None, False),)
    cells = split_fields(text)
    if cells == []:
        return ()  # a markdown rule line
    if cells is None:
        return _field_tokens([text], separated=False, positional=False)
    # a pipe table keeps its columns; tabs from PDFs do not
    return _field_tokens(cells, separated=True, positional="\t" not in text)


def _grid_tokens(line: Line, index: int) -> list[Token]:
    out = [_cell_token(c, line, index, slot) for slot, c in enumerate(line.cells)]
    if line.origins is not None and len(line.origins) == len(out):
        for tok, origin in zip(out, line.origins):
            tok.origin = origin
    return out


def split_fields(text: str) -> list[str] | None:
    """A line's fields when tab stops or pipes separate them (``[]`` for a markdown rule line);
    None for a line of running text."""
    if "\t" in text:
        return text.split("\t")
    if text.count("|") < 2 and not text.strip().startswith("|"):
        return None
    body = text.rstrip()  # " | 0 | …" (space first): the first cell is empty, not a border
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    cells = body.split("|")
    return [] if all(_PIPE_RULE.match(c) or not c.strip() for c in cells) else cells


def _field_tokens(cells: list[str], separated: bool, positional: bool) -> Parts:
    """Tokens of a line's fields: a blank field is a BLANK (where fields are separated), a field of
    text is cut into labels and numbers; in a pipe table each one-token field keeps its slot."""
    if separated and len(cells) > 1 and sum(1 for c in cells if PLACEHOLDER.match(c)) >= 2:
        # a header row an OCR/LLM tool invented (数据1 … 数据6): no words and no cells of the report
        cells = [None if PLACEHOLDER.match(c) else c for c in cells]
    out: list[list] = []
    for slot, cell in enumerate(cells):
        if cell is None:
            continue
        if "（" in cell or "(" in cell:
            cell = REMARK.sub("", cell)
        if is_blank(cell):
            if separated:
                out.append([BLANK, cell, None, slot if positional else None, False])
            continue
        parts = [[kind, raw, value, None, run] for kind, raw, value, run in _cell_parts(cell)]
        if positional and len(parts) == 1:
            parts[0][3] = slot
        elif positional:
            positional = False
            for t in out:
                t[3] = None
        out.extend(parts)
    return tuple(tuple(t) for t in out)


# A remark printed with a number in a cell ("12（含依申请转主动公开3件）"): the cell's value is the
# number; the remark's own figures are no cells of the table.
REMARK = re.compile(r"[（(](?:含|其中|包括|另有|另|注[:：]?|备注[:：]?)[^（()）]{0,60}[)）]")


def _cell_token(text: str, line: Line, index: int, slot: int) -> Token:
    if REMARK.search(text) and any(ch.isdigit() for ch in text.split("（")[0].split("(")[0]):
        text = REMARK.sub("", text)
    if is_blank(text):
        return Token(BLANK, text, index, line.line, line.page, slot=slot)
    value = parse_number(text)
    if value is not None:
        return Token(VALUE, text.strip(), index, line.line, line.page, value, slot=slot)
    return Token(LABEL, text.strip(), index, line.line, line.page, slot=slot)


@lru_cache(maxsize=65536)
def _cell_parts(cell: str) -> tuple[tuple[str, str, int | float | None, bool], ...]:
    """(kind, text, value, run) of each token of a cell's text (cells repeat: ``0``, row labels)."""
    if not _ANY_DIGIT.search(cell):
        return ((LABEL, " ".join(cell.split()), None, False),)
    out: list[tuple[str, str, int | float | None, bool]] = []
    label_parts: list[str] = []

    def flush_label() -> None:
        if label_parts:
            out.append((LABEL, " ".join(label_parts), None, False))
            label_parts.clear()

    for piece in cell.split():
        value = parse_number(piece)
        if value is not None:
            flush_label()
            out.append((VALUE, piece, value, False))
            continue
        if _HAS_CJK.search(piece) and any(ch.isdigit() for ch in piece):
            for kind, text in _glued(unicodedata.normalize("NFKC", piece)):  # ５８８７．９２ → 5887.92
                if kind == LABEL:
                    label_parts.append(text)
                else:
                    flush_label()
                    out.append((VALUE, text, parse_number(text), True))
            continue
        label_parts.append(piece)
    flush_label()
    return tuple(out)


def _glued(piece: str) -> list[tuple[str, str]]:
    """Cut a piece where labels and digit runs ran together. An item number (``2.重复申请``) stays
    with its label, even when it ran into the digits before it (``00000002.重复申请``)."""
    parts = [p for p in _DIGITS.split(piece) if p != ""]
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if not (part[0].isdigit() or part[0] in "+-" and len(part) > 1 and i > 0 and parts[i - 1][-1:].isdigit()):
            if part[0] in "+-" and len(part) > 1:  # a sign that follows no number is text
                out.append((LABEL, part[0]))
                parts[i] = part[1:]
                continue
            out.append((LABEL, part))
            i += 1
            continue
        nxt = parts[i + 1] if i + 1 < len(parts) else ""
        unit = _CELL_UNIT.match(nxt)
        if unit and "." not in part or unit and nxt[: unit.end()] in ("元", "万元"):
            out.append((VALUE, part + unit.group()))
            rest = nxt[unit.end():]
            if rest:
                parts[i + 1] = rest
                i += 1
            else:
                i += 2
            continue
        if _TEXT_UNIT.match(nxt):
            out.append((LABEL, part + nxt))
            i += 2
            continue
        if "." not in part and _ITEM_START.match(nxt):
            if len(part) == 1:  # the item number itself
                out.append((LABEL, part + nxt))
                i += 2
                continue
            out.append((VALUE, part[:-1]))
            out.append((LABEL, part[-1] + nxt))
            i += 2
            continue
        out.append((VALUE, part))
        i += 1
    return _labels_merged(out)


def _labels_merged(pieces: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Adjacent label pieces as one."""
    merged: list[tuple[str, str]] = []
    for kind, text in pieces:
        if merged and kind == LABEL and merged[-1][0] == LABEL:
            merged[-1] = (LABEL, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    return merged
