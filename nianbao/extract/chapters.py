"""Finding the six chapters, even when headings are numbered irregularly or worded in variants.

A chapter heading is a short line whose text (after its numbering) holds one of the chapter's
keywords from the template. Headings are looked for in order, so that a row label such as
``一、本年新收政府信息公开申请数量`` (inside chapter 三) can never be taken for a heading of chapter 三,
and a sub-heading such as ``（一）主动公开`` (numbered with brackets, inside chapter 一) is not a chapter.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from .. import template as T
from ..read.document import Line
from .normalize import key

_MARKUP = re.compile(r"^[#*>\s]+|[*\s]+$")
# Top-level numbering: 一、 二. 三． 第四部分 第五章 四 (a numeral then space), 6、
_TOP = re.compile(r"^(第[一二三四五六七八九十]+(部分|章|节)|[一二三四五六七八九十]+\s*[、.．,，:：]|[一二三四五六](?=\s)|[1-6]\s*[、．])")
_BARE_NUMERAL = re.compile(r"^[一二三四五六](?=[\u4e00-\u9fff])")  # 一总体情况 (crawler text lost the 、)
_HEAD_START = frozenset("一二三四五六七八九十第123456")
_HEADING_TAIL = re.compile(r"(?:[及和与])?(?:下一步)?(?:工作)?(?:改进|整改)?(?:情况|措施|计划|打算)?")
_BRACKETED = re.compile(r"^[(（][一二三四五六七八九十\d]+[)）]")


@dataclass
class Heading:
    key: str  # chapter key
    index: int  # Document line index
    text: str
    numbered: bool
    rest: str = ""  # text that follows the heading on the same line


@lru_cache(maxsize=65536)
def headings_of(text: str, bracketed: bool = False) -> tuple[tuple[int, bool], ...]:
    """The chapters (by index in ``template.CHAPTERS``) whose heading ``text`` can be: with True when
    it is numbered and holds one of the chapter's keywords, False when it is unnumbered and in the
    exact standard wording (or a variant)."""
    t = _MARKUP.sub("", text).strip()
    if not t or len(t) > 48 or "。" in t:
        return ()
    m = _TOP.match(t)
    if m is None and _BRACKETED.match(t):
        if not bracketed:
            return ()
        m = _BRACKETED.match(t)
    body = key(t[m.end():] if m else t)
    if not body or len(body) > 32:
        return ()
    if m:
        if any(w in body for w in _table3_top_rows()):
            return ()  # 一、本年新收政府信息公开申请数量 / 四、结转下年度继续办理: table 3's rows, not chapters
        return tuple((j, True) for j, words in _keywords() if any(w in body for w in words))
    return tuple((j, False) for j in _unnumbered().get(body, ()))


@lru_cache(maxsize=1)
def _table3_top_rows() -> tuple[str, ...]:
    """The opening words of table 3's rows numbered like chapters (一、 二、 四、, and 三、本年度办理结果)."""
    words = [r.label[:4] for r in T.REQUEST_ROWS if r.number.endswith("、")]
    words += [g[2:6] for g, _ in T.REQUEST_GROUPS if g[1:2] == "、"]
    return tuple(key(w) for w in words)


@lru_cache(maxsize=1)
def _keywords() -> tuple[tuple[int, tuple[str, ...]], ...]:
    return tuple((j, tuple(key(k) for k in c.keywords)) for j, c in enumerate(T.CHAPTERS))


@lru_cache(maxsize=1)
def _unnumbered() -> dict[str, tuple[int, ...]]:
    """Matching key of each standard heading and variant (without its numbering) → chapters."""
    out: dict[str, tuple[int, ...]] = {}
    for j, c in enumerate(T.CHAPTERS):
        for form in {c.heading[2:], *(v[2:] for v in c.variants)}:
            out[key(form)] = out.get(key(form), ()) + (j,)
    return out


# Words that open each table: the heading of a table chapter is the last candidate before them.
TABLE_ANCHORS = {
    "active": ("第二十条第", "信息内容", "本年制发件数", "本年新制作数量"),
    "requests": ("勾稽关系", "申请人情况", "本年新收政府信息公开申请"),
    "appeals": ("结果维持", "未经复议直接起诉", "复议后起诉"),
}


def _candidates(lines: list[Line], bracketed: bool) -> list[list[Heading]]:
    cands: list[list[Heading]] = [[] for _ in T.CHAPTERS]
    for i, line in enumerate(lines):
        if line.cells is not None and len([c for c in line.cells if c.strip()]) > 1:
            continue  # a table row is no heading
        for j, text, numbered, rest in _line_headings(line.text, bracketed):
            cands[j].append(Heading(T.CHAPTERS[j].key, i, text, numbered, rest))
    return cands


@lru_cache(maxsize=65536)
def _line_headings(line: str, bracketed: bool) -> tuple[tuple[int, str, bool, str], ...]:
    """The chapters a line of text can head: (chapter index, heading text, numbered, text after it)."""
    text = line.strip()
    if not text or text[0].isdigit() and len(text) < 4:
        return ()
    # a numbered heading opens with its numbering (一、 第一部分 1、), after any markdown marks
    run_on = _run_on(text, 0) if text.lstrip("#*> ")[:1] in _HEAD_START else None
    if run_on:  # a numbered heading in the template's words, with or without text after it
        return ((run_on[0], run_on[1], True, run_on[2]),)
    if len(text) > 60:
        return ()
    return tuple((j, text, numbered, "") for j, numbered in headings_of(text, bracketed))


def find_anchor(lines: list[Line], words: tuple[str, ...], start: int, end: int | None = None) -> int | None:
    """The first line in [start, end) that holds one of ``words`` (a grid row's text holds its cells)."""
    found = _words_pattern(words).search
    for i in range(start, len(lines) if end is None else end):
        if found(key(lines[i].text)):
            return i
    return None


@lru_cache(maxsize=64)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(key(w)) for w in words))


def find_headings(lines: list[Line]) -> list[Heading]:
    """The chapter headings, in order. Candidates are every line that could head a chapter; for a
    table chapter the last candidate before its table's first words wins (so that a sub-heading
    such as ``一、主动公开情况`` inside chapter 一 does not take chapter 二's place)."""
    for bracketed in (False, True):
        cands = _candidates(lines, bracketed)
        out: list[Heading] = []
        cursor = -1
        for j, chapter in enumerate(T.CHAPTERS):
            options = [h for h in cands[j] if h.index > cursor]
            if not options:
                continue
            pick = options[0]
            if chapter.key in TABLE_ANCHORS:
                anchor = find_anchor(lines, TABLE_ANCHORS[chapter.key], cursor + 1)
                if anchor is not None:
                    before = [h for h in options if h.index < anchor]
                    if before:
                        pick = before[-1]
            out.append(pick)
            cursor = pick.index
        if len(out) >= 3:
            return out
    return out


@lru_cache(maxsize=1)
def _heading_forms() -> tuple[tuple[int, tuple[tuple[str, int], ...]], ...]:
    """Per chapter, the matching keys of its heading forms (official, variants, phrases of the
    template), longest first, with each form's length."""
    out = []
    for j, chapter in enumerate(T.CHAPTERS):
        forms = {chapter.heading[2:], *(v[2:] for v in chapter.variants), *chapter.phrases}
        out.append((j, tuple(sorted(((key(f), len(f)) for f in forms), key=lambda x: -x[1]))))
    return tuple(out)


def _run_on(text: str, nxt: int) -> tuple[int, str, str] | None:
    """A numbered official heading with the chapter's first sentence on the same line:
    ``一、总体情况。2021年，本局…`` → (chapter index, heading, rest)."""
    t = _MARKUP.sub("", text).strip()
    m = _TOP.match(t) or _BARE_NUMERAL.match(t)
    if not m:
        return None
    body = t[m.end():].lstrip()
    head = key(body[:40])
    for j, forms in _heading_forms()[nxt:]:
        for form_key, length in forms:
            if head.startswith(form_key):
                cut = length
                more = _HEADING_TAIL.match(body, cut)  # 存在的主要问题 + 及改进措施
                cut = more.end() if more else cut
                rest = body[cut:].lstrip("。：:，, \u3000")
                return j, t[: m.end()] + body[:cut], rest
    return None
