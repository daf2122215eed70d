"""The registry of reader notes (spec §8 ``notes``): every code the reader may write, defined once.

A note says what the reader met: which stage wrote it, and whether the cells it names are *unread*
(the reader could not place them: their null is the reader's, not the report's). The checker and
the UI read notes by code, never by parsing their messages; ``reading.unread`` is made from the
notes whose kind is ``unread`` and from the cells the stages did not place.

Codes are permanent, like rule ids: reword a message, never rename a code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..model import Note

STAGES = ("decode", "segment", "locate", "rows", "place", "meta")


@dataclass(frozen=True)
class NoteKind:
    code: str
    stage: str
    title: str  # short Chinese name, for `explain` and listings
    unread: bool = False  # the cells it names are unread (reading.unread)
    inferred: bool = False  # the cells it names were placed by inference (reading.inferred)


_KINDS = (
    NoteKind("reader", "decode", "读取器提示"),
    NoteKind("extra_chapter", "segment", "格式之外的部分（保留为正文）"),
    NoteKind("tables_as_images", "locate", "统计表为图片", unread=True),
    NoteKind("table_missing", "locate", "未找到统计表", unread=True),
    NoteKind("chapter_missing", "locate", "未找到规定的部分标题"),
    NoteKind("heading_variant", "locate", "部分标题与格式不一致"),
    NoteKind("row_missing", "rows", "未找到规定的行", unread=True),
    NoteKind("row_absent", "rows", "报告未印出规定的行"),
    NoteKind("row_repeated", "rows", "同一行印出两次且数字不同", unread=True),
    NoteKind("row_by_order", "rows", "行名有误，按格式顺序认定"),
    NoteKind("label_variant", "rows", "行名、栏名与格式不一致"),
    NoteKind("readers_disagree", "rows", "按行名与按行序的读取不一致"),
    NoteKind("subtotal_column", "rows", "多出的小计列已略去"),
    NoteKind("other_single_row", "rows", "（六）印成一行"),
    NoteKind("blank_cells", "place", "空白单元格"),
    NoteKind("too_many_values", "place", "数字多于栏数", unread=True),
    NoteKind("digits_split", "place", "连在一起的数字已唯一拆分"),
    NoteKind("digits_ambiguous", "place", "连在一起的数字有多种拆分", unread=True),
    NoteKind("digits_unsplittable", "place", "连在一起的数字无法拆分", unread=True),
    NoteKind("cells_unplaced", "place", "数字少于栏数，无法确定位置", unread=True),
    NoteKind("cells_inferred", "place", "空白栏位置按相邻年度报告推定", inferred=True),
    NoteKind("digits_by_series", "place", "连在一起的数字按相邻年度报告的结转数拆分", inferred=True),
    NoteKind("agency_inferred", "meta", "机关名称由正文推定"),
    NoteKind("agency_suggested", "meta", "机关名称疑有误读"),
)
NOTE_KINDS: dict[str, NoteKind] = {k.code: k for k in _KINDS}
UNREAD_CODES = frozenset(k.code for k in _KINDS if k.unread)
INFERRED_CODES = frozenset(k.code for k in _KINDS if k.inferred)


def note(code: str, message: str, cells: Iterable[str] = (), line: int | None = None) -> Note:
    """A note of a registered kind (an unknown code is a programming error)."""
    kind = NOTE_KINDS.get(code)
    if kind is None:
        raise ValueError(f"unknown reader note code {code!r}; register it in nianbao.extract.notes")
    return Note(code=code, stage=kind.stage, message=message, cells=list(cells), line=line)


def unread_cells(notes: Iterable[Note]) -> list[str]:
    """The cells named by notes that say the reader could not place them, in order, once each."""
    return _cells_noted(notes, UNREAD_CODES)


def inferred_cells(notes: Iterable[Note]) -> list[str]:
    """The cells named by notes that say the reader placed them by inference, in order, once each."""
    return _cells_noted(notes, INFERRED_CODES)


def _cells_noted(notes: Iterable[Note], codes: frozenset[str]) -> list[str]:
    out: dict[str, None] = {}
    for n in notes:
        if n.code in codes:
            out.update(dict.fromkeys(n.cells))
    return list(out)
