"""The source beside a report's tables (issue 15 §5): the original's lines as the store kept them
at ingest, shown so that a reviewer can read them, and where each cell came from.

- **Rows.** Each kept line is one row, except a long line the reader's segment stage cut (a crawler
  page printed on one line): one row per piece, numbered ``line·piece``. A row of a real grid is
  shown as its cells, a merged cell once (not repeated over the columns it spans, and shown as 〃
  in the rows it spans below its first).
- **Origins.** :meth:`SourceView.locate` puts every cell of the report on the row it was read from
  (its provenance: line, page, raw text), on the grid cell or the printed characters when they can
  be told apart, and says why when they cannot: a cell printed blank, a cell the reader recorded no
  origin for (the other cells of its row point at the row), a line cut into several pieces that
  could each hold it.
- **Pages.** A PDF's page as PNG (pypdfium2), cached per page and zoom, and boxes where a value is
  printed on it (pdfplumber's words, cached per page).

No request reads an original to find its lines: a report stored before lines were kept says so.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Callable, Optional

from .. import template as T
from ..errors import NianbaoError

log = logging.getLogger(__name__)

MAX_ROWS = 3000  # rows of the panel; a longer original shows these and the rows its cells point at

NO_LINES = ("入库时没有保存这份原文的行（较早入库的报告）；点本页的“用当前读取程序重新读取”，"
            "或运行 nianbao reparse，重新读取后即可显示")


@dataclass(eq=False)
class Slot:
    """One cell of a grid row as printed: a merged cell once, with the columns it spans."""

    text: str
    span: int = 1
    above: bool = False  # the lower part of a cell merged over rows (its text is on the row above)
    paths: list[str] = field(default_factory=list)  # report cells read from this grid cell

    @property
    def cells(self) -> str:
        return " ".join(self.paths)

    @property
    def numeric(self) -> bool:
        return bool(_NUMERIC.fullmatch(self.text.strip()))


@dataclass
class Part:
    """A run of a row's text; ``cells`` names the report cells whose value was printed there."""

    text: str
    cells: str = ""


@dataclass(eq=False)
class Row:
    """One row of the source panel."""

    n: int  # 1-based position in the panel (the row's anchor)
    line: int  # the source line, as the reader numbered it
    page: Optional[int]
    text: str
    start: int = 0  # where the row starts in its source line (characters)
    piece: int = 0  # 1-based piece of its source line; 0 when the line is one row
    slots: Optional[list[Slot]] = None  # a row of a real grid
    paths: list[str] = field(default_factory=list)  # report cells read from this row (as a whole)
    marks: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, path) in ``text``
    scores: dict[tuple[str, str], int] = field(default_factory=dict, repr=False)  # see _score

    @property
    def label(self) -> str:
        return f"{self.line}·{self.piece}" if self.piece else str(self.line)

    @property
    def where(self) -> str:
        at = f"第 {self.line} 行第 {self.piece} 段" if self.piece else f"第 {self.line} 行"
        return f"第 {self.page} 页 {at}" if self.page else at

    @property
    def cells(self) -> str:
        return " ".join(self.paths)

    @cached_property
    def flat(self) -> str:
        """The row's text without spaces (what is compared with a cell's raw text)."""
        return _compact(self.text)

    @cached_property
    def labels(self) -> list[str]:
        """What names the row where it is printed: a grid row's label cells; else the words before
        the first number of each field of the line (tab, pipe or wide space), without numbering."""
        if self.slots is not None:
            return [_NUMBERING.sub("", _compact(s.text)) for s in self.slots if not _NUMERIC.fullmatch(s.text.strip() or "0")]
        out = []
        for part in _FIELDS.split(self.text):
            bare = _NUMBERING.sub("", _compact(part))
            end = _LABEL_END.search(bare)
            out.append(bare[: end.start()] if end else bare)
        return out

    def parts(self) -> list[Part]:
        """The row's text, cut where a cell's value is marked in it."""
        out, at = [], 0
        by_start: dict[tuple[int, int], list[str]] = {}
        for a, b, path in self.marks:
            by_start.setdefault((a, b), []).append(path)
        for (a, b), paths in sorted(by_start.items()):
            if a < at:
                continue
            if a > at:
                out.append(Part(self.text[at:a]))
            out.append(Part(self.text[a:b], " ".join(paths)))
            at = b
        if at < len(self.text) or not out:
            out.append(Part(self.text[at:]))
        return out


@dataclass
class SourceView:
    rows: list[Row]
    format: str
    pages: int  # number of pages for paged formats, else 0
    error: Optional[str] = None
    notes: dict[str, str] = field(default_factory=dict)  # cell path → what the panel says about its origin
    segmented: bool = False  # some line was cut into pieces
    located: bool = False
    total: int = 0  # rows before :data:`MAX_ROWS` cut a very long original (0: none left out)
    first: int = 0  # the rows kept from its start

    def locate(self, report) -> dict[str, str]:
        """Put the report's cells on the rows they were read from (once); returns :attr:`notes`."""
        if not self.located and report is not None:
            self.located = True
            try:
                _locate(self, report)
            except Exception:  # a bug here must not take the report page down: the lines still show
                log.exception("source panel: locating the cells failed")
                self.error = "无法在原文中标出单元格的出处（内部错误，已记入日志）"
            self.shorten()
        return self.notes

    def shorten(self, limit: int | None = None) -> None:
        """Keep the first ``limit`` rows (:data:`MAX_ROWS`) and every row a cell points at: an
        original of hundreds of thousands of lines must not make a page of as many."""
        limit = MAX_ROWS if limit is None else limit
        if len(self.rows) <= limit:
            return
        self.total, self.first = len(self.rows), limit
        self.rows = [r for i, r in enumerate(self.rows)
                     if i < limit or r.paths or r.marks or any(s.paths for s in r.slots or ())]


# --------------------------------------------------------------------------- rows from kept lines


def source_view(stored=None) -> SourceView:
    """The panel's rows from the lines the store kept at ingest (``stored``, a
    :class:`nianbao.store.source.StoredLines`). The original is never read here."""
    if stored is None:
        return SourceView([], "", 0, NO_LINES)
    return rows_view(stored.lines, stored.extras, stored.format or "", stored.pages)


def rows_view(lines: list, extras: dict[int, dict[str, Any]], fmt: str, pages: int) -> SourceView:
    rows: list[Row] = []
    prev: Optional[dict] = None
    for i, (line, page, text) in enumerate(lines):
        extra = extras.get(i) or {}
        if extra.get("cells") is not None:
            slots = grid_slots(extra["cells"], extra.get("origins"), prev)
            rows.append(Row(0, line, page, text, slots=slots))
            prev = extra
            continue
        prev = None
        cuts = [c for c in extra.get("cuts") or () if 0 < c < len(text)]
        bounds = [0, *sorted(set(cuts)), len(text)]
        for a, b in zip(bounds, bounds[1:]):
            if text[a:b].strip() or len(bounds) == 2:
                rows.append(Row(0, line, page, text[a:b], start=a))
    count: dict[int, int] = {}
    for r in rows:
        count[r.line] = count.get(r.line, 0) + 1
    seen: dict[int, int] = {}
    for n, r in enumerate(rows, start=1):
        r.n = n
        if count[r.line] > 1:
            seen[r.line] = r.piece = seen.get(r.line, 0) + 1
    return SourceView(rows, fmt, pages, segmented=any(r.piece for r in rows))


def grid_slots(cells: list[str], origins: Optional[list], prev: Optional[dict]) -> list[Slot]:
    """A grid row's cells, a merged cell once: slots of one source cell side by side are one slot;
    a slot of the same source cell as the row above, with the same text, is that cell's lower part."""
    above_cells = (prev or {}).get("cells") or []
    above_origins = (prev or {}).get("origins") or []
    out: list[Slot] = []
    for j, text in enumerate(cells):
        o = origins[j] if origins and j < len(origins) else None
        if o is not None and j > 0 and origins[j - 1] == o and out:
            out[-1].span += 1
            continue
        above = (o is not None and j < len(above_origins) and above_origins[j] == o
                 and j < len(above_cells) and above_cells[j] == text and text.strip() != "")
        out.append(Slot(text, 1, above))
    return out


# --------------------------------------------------------------------------- where each cell came from

_SPACE = re.compile(r"\s+")
_NUMBERING = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]?")
_NUMERIC = re.compile(r"[\d\s/／—－\-.．,，+]+")


def _compact(text: str) -> str:
    return _SPACE.sub("", text or "")


@lru_cache(maxsize=None)
def _row_words(path: T.CellPath) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """How a cell's row is named where it is printed: (whole labels, words a label holds)."""
    if path.table == "requests":
        r = T.REQUEST_ROW_BY_KEY.get(path.row)
        if r is None:
            return (), ()
        short = T.short_label(r.label)
        return tuple(_compact(w) for w in (short, *r.exact)), tuple(_compact(w) for w in (*r.keywords, short))
    if path.table == "active":
        for rows in T.ACTIVE_ROWS.values():
            for r in rows:
                if r.key == path.row:
                    return (_compact(r.label),), tuple(_compact(w) for w in (*r.keywords, r.label))
    return (), ()


_BLOCK_WORDS = {"reconsideration": ("行政复议",), "litigation_direct": ("直接起诉",), "litigation_after_reconsideration": ("复议后起诉",)}
_REMARK = re.compile(r"[（(][^）)]*[）)]")  # 部分公开（区分处理的，…） → 部分公开
_FIELDS = re.compile(r"\t|\||\s{2,}|\u3000")
_LABEL_END = re.compile(r"[\d０-９/／—－\-]")


def _score(row: Row, path: T.CellPath, key: tuple[str, str]) -> int:
    """:func:`_row_score`, once per row of the panel and row of a table (``key``)."""
    if key not in row.scores:
        row.scores[key] = _row_score(row, path, _row_words(path))
    return row.scores[key]


def _row_score(row: Row, path: T.CellPath, words: tuple[tuple[str, ...], tuple[str, ...]]) -> int:
    """How well a row looks like the printed row of a cell: 3 its label is the row's label, 2 its
    label starts with it (or, for 表四, it holds only numbers), 1 it holds it somewhere, 0 not."""
    whole, held = words
    text = row.flat
    if path.table == "appeals":  # its numbers: all fifteen on one row, or five on a row naming the block
        if row.slots is not None:
            numbers = sum(1 for s in row.slots if not s.above and _NUMERIC.fullmatch(s.text.strip() or "0"))
            named = any(w in text for w in _BLOCK_WORDS[path.row])
            return 3 if numbers == 15 else 2 if numbers == 5 and named else 0
        return 2 if text and _NUMERIC.fullmatch(text) else 0
    labels = row.labels
    if any(label in whole or _REMARK.sub("", label) in whole for label in labels):
        return 3
    if any(label.startswith(w) for label in labels for w in held):
        return 2
    return 1 if any(w in text for w in held) else 0


def _columns(path: T.CellPath, report, n_values: int) -> tuple[int, int] | None:
    """(number of value cells of the printed row, index of the cell among them)."""
    if path.table == "requests":
        return len(T.REQUEST_COLUMN_KEYS), T.REQUEST_COLUMN_KEYS.index(path.column)
    if path.table == "appeals":
        field_i = T.APPEAL_FIELD_KEYS.index(path.column)
        if n_values >= 15:
            return 15, T.APPEAL_BLOCK_KEYS.index(path.row) * 5 + field_i
        return 5, field_i
    versions = [report.meta.template] if report.meta.template else list(T.VERSIONS)
    for v in versions:
        for r in T.ACTIVE_ROWS.get(v, ()):
            keys = [f.key for f in r.fields]
            if r.key == path.row and path.column in keys:
                return len(keys), keys.index(path.column)
    return None


def _same(printed: str, raw: str) -> bool:
    return _compact(printed) == _compact(raw)


def _mark(row: Row, raw: str) -> Optional[tuple[int, int]]:
    """Where ``raw`` is printed in a row, when it is printed there exactly once (as a whole number)."""
    raw = _compact(raw)
    if not raw:
        return None
    edge = r"(?<![\d.．])" if raw[0].isdigit() else ""
    tail = r"(?![\d.．])" if raw[-1].isdigit() else ""
    printed = r"\s*".join(re.escape(ch) for ch in raw)  # as printed, spaces or not between its characters
    found = list(re.finditer(edge + printed + tail, row.text))
    if len(found) != 1:
        return None
    return found[0].start(), found[0].end()


def _place(row: Row, path: T.CellPath, raw: str, report) -> bool:
    """Mark a cell on its grid cell or its printed characters; False: only the row can be shown."""
    if row.slots is not None:
        values = [s for s in row.slots if not s.above]
        cols = _columns(path, report, len(values))
        if cols is None or len(values) < cols[0]:
            return False
        slot = values[len(values) - cols[0] + cols[1]]
        if not _same(slot.text, raw):
            return False
        slot.paths.append(path)
        return True
    at = _mark(row, raw)
    if at is None:
        return False
    row.marks.append((at[0], at[1], path))
    return True


def _locate(view: SourceView, report) -> None:
    by_line: dict[int, list[Row]] = {}
    for r in view.rows:
        by_line.setdefault(r.line, []).append(r)
    placed: dict[tuple[str, str], list[Row]] = {}  # (table, row) → rows its cells were found on
    for key, prov in report.provenance.items():
        if prov is None or prov.line is None or T.cell_table(key) is None:  # no line, or no cell of the template
            continue
        path = T.CellPath.parse(key)
        cands = [r for r in by_line.get(prov.line, []) if prov.page is None or r.page in (None, prov.page)]
        if not cands:
            view.notes[key] = f"出处第 {prov.line} 行不在保存的原文行中"
            continue
        raw = prov.raw or ""
        blank = raw.strip() == ""
        if len(cands) > 1 and not blank:
            flat = _compact(raw)
            holding = [r for r in cands if flat in r.flat]
            cands = holding or cands
        if len(cands) > 1:
            key_row = (path.table, path.row)
            scores = [_score(r, path, key_row) for r in cands]
            best = max(scores)
            cands = [r for r, s in zip(cands, scores) if s == best]
        if len(cands) == 1:
            row = cands[0]
            exact = _place(row, path, raw, report)
            if not exact:
                row.paths.append(key)
            if blank:
                view.notes[key] = ("原文此格空白，已标出这个空白格" if exact else
                                   f"原文此格空白；读取时只记录了它所在的行（{row.where}），已标出该行")
            placed.setdefault((path.table, path.row), []).append(row)
        else:
            for row in cands:
                row.paths.append(key)
            view.notes[key] = f"第 {prov.line} 行有 {len(cands)} 段都可能是此格的出处，均已标出"
    _locate_unrecorded(view, report, placed)


def _locate_unrecorded(view: SourceView, report, placed: dict[tuple[str, str], list[Row]]) -> None:
    """Cells with no recorded origin (a blank the reader did not place, an unread cell): the rows
    their row's other cells were read from, with a note saying so."""
    for spec in T.all_cells(report.meta.template):
        key = str(spec.path)
        if key in report.provenance or not report.has(key):
            continue
        rows = placed.get((spec.table, spec.row))
        if rows:
            note = "读取时没有记录此格的出处（空白或未能读取）；已标出同一行其他格所在的原文"
        else:
            rows = _rows_named(view, spec.path)
            note = ("读取时没有记录此格的出处（空白或未能读取），同一行的其他格也没有；已按行名标出原文中的这一行" if rows else
                    "读取时没有记录此格的出处（空白或未能读取），同一行的其他格也没有")
        for row in dict.fromkeys(rows):
            row.paths.append(key)
        view.notes[key] = note


def _rows_named(view: SourceView, path: T.CellPath) -> list[Row]:
    """The one row of the panel whose label is the cell's row label (none when not exactly one)."""
    if path.table == "appeals":
        return []
    key = (path.table, path.row)
    found = [r for r in view.rows if _score(r, path, key) == 3]
    return found if len(found) == 1 else []


# --------------------------------------------------------------------------- PDF pages

ZOOMS = (1, 2, 3)  # the page image at 1.5×, 3× and 4.5× the PDF's 72 dpi
BASE_SCALE = 1.5
MAX_BOXES = 3  # a value printed more often than this on a page is not pointed at (too ambiguous)

_PAGES: "OrderedDict[tuple[str, int, int], bytes]" = OrderedDict()
_PAGES_SIZE = 48
_WORDS: "OrderedDict[tuple[str, int], tuple[float, float, list[dict]]]" = OrderedDict()
_WORDS_SIZE = 32
_COUNTS: dict[str, int] = {}
_lock = threading.Lock()


def _cached(cache: OrderedDict, key, size: int, make: Callable[[], Any]):
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    value = make()
    with _lock:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)
    return value


def pdf_page_count(sha: str, data: Callable[[], bytes]) -> int:
    """Pages of a stored PDF (counted once per file; ``data`` gives its bytes when not yet counted)."""
    if sha not in _COUNTS:
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(data())
        except Exception:  # a broken copy shows no pages
            return 0
        try:
            _COUNTS[sha] = len(pdf)
        finally:
            pdf.close()
    return _COUNTS[sha]


def page_png(sha: str, data: Callable[[], bytes], page: int, zoom: int = 1) -> bytes:
    """One page of a stored PDF as PNG at a zoom of :data:`ZOOMS`, cached per file, page and zoom
    (``data`` gives the file's bytes, asked for only when the page is not cached)."""
    if zoom not in ZOOMS:
        raise NianbaoError(f"不支持的缩放倍数 {zoom}（可选 {'、'.join(map(str, ZOOMS))}）")
    return _cached(_PAGES, (sha, page, zoom), _PAGES_SIZE, lambda: pdf_page_png(data(), page, BASE_SCALE * zoom))


def pdf_page_png(data: bytes, page: int, scale: float = BASE_SCALE) -> bytes:
    """One page of a PDF as PNG (1-based page number). Raises NianbaoError on a bad page."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:  # pdfium raises its own error types for broken files
        raise NianbaoError(f"无法打开 PDF：{e}") from e
    try:
        if not 1 <= page <= len(pdf):
            raise NianbaoError(f"PDF 没有第 {page} 页（共 {len(pdf)} 页）")
        image = pdf[page - 1].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        pdf.close()


def _page_words(data: bytes, page: int) -> tuple[float, float, list[dict]]:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not 1 <= page <= len(pdf.pages):
                return 1.0, 1.0, []
            p = pdf.pages[page - 1]
            words = [{k: w[k] for k in ("text", "x0", "x1", "top", "bottom")} for w in p.extract_words()]
            return float(p.width), float(p.height), words
    except Exception:  # a page we cannot analyse just gets no box; the page image still shows
        return 1.0, 1.0, []


def page_boxes(sha: str, data: Callable[[], bytes], page: int, raw: str) -> list[dict]:
    """:func:`pdf_word_boxes` with the page's words cached per file and page."""
    if not raw.strip():
        return []
    width, height, words = _cached(_WORDS, (sha, page), _WORDS_SIZE, lambda: _page_words(data(), page))
    return _boxes(width, height, words, raw)


def pdf_word_boxes(data: bytes, page: int, raw: str) -> list[dict]:
    """Where ``raw`` is printed on a PDF page, as fractions of the page (x, y, w, h); empty when
    it is not found or found more than :data:`MAX_BOXES` times."""
    return _boxes(*_page_words(data, page), raw)


def _boxes(width: float, height: float, words: list[dict], raw: str) -> list[dict]:
    raw = raw.strip()
    if not raw:
        return []
    found = [w for w in words if w["text"].strip() == raw]
    if not found or len(found) > MAX_BOXES:
        return []
    return [
        {"x": w["x0"] / width, "y": w["top"] / height, "w": (w["x1"] - w["x0"]) / width, "h": (w["bottom"] - w["top"]) / height}
        for w in found
    ]
