"""The extractor: a Document (lines from any reader) into the canonical Report.

The pipeline, each step a module of this package:

1. ``normalize``: matching keys, boilerplate of copied pages;
2. ``chapters``: the six chapter headings → the zones of the document;
3. ``tokens``: each table zone → one stream of label / value / blank tokens;
4. ``rows`` + ``tables`` (+ ``solve`` for what arithmetic can and cannot decide): tokens → cells;
5. ``meta``: title, agency, year, publication date.

Nothing is guessed: a cell that cannot be placed with certainty is null, and a note says why.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import template as T
from ..errors import NotAReport
from ..model import Meta, Note, Reading, Report, Sections, Source, Tables
from ..read.document import Document, Line
from .chapters import TABLE_ANCHORS, Heading, find_anchor, find_headings
from .agency import infer_agency, suggest_agency
from .meta import find_meta
from .normalize import display, is_boilerplate, is_page_end, is_page_meta, key
from .numbers import parse_number
from .notes import inferred_cells, note, unread_cells
from .segment import segment_document
from .cells import SeriesHint, TableRead, row_trace
from .table2 import read_active
from .table3 import read_requests
from .table4 import read_appeals
from .tokens import Token, tokenize
from .variants import label_notes

_GLUED = re.compile(r"[\u4e00-\u9fff)）]\s*\d")


def _is_prose(line: Line) -> bool:
    return line.cells is None and _is_prose_text(line.text)


_DIGIT_RUN = re.compile(r"\d{5,}")


@lru_cache(maxsize=65536)
def _is_prose_text(text: str) -> bool:
    if "\t" in text or text.count("|") >= 2:
        return False
    t = text.strip()
    # a long line of crawler text (规章000行政规范性文件4010…) has labels glued to numbers
    if "。" in t or "；" in t:
        return True
    if len(t) <= 90 or ("，" not in t and "," not in t and _DIGIT_RUN.search(t)):
        return False  # short, or a table's header words with its cells run together (no sentence has no comma)
    numbers = sum(1 for piece in t.split() if parse_number(piece) is not None)
    return numbers < 2 and len(_GLUED.findall(t)) < 2


def _zones(lines: list[Line], heads: dict[str, Heading]) -> dict[str, tuple[int, int]]:
    """Line ranges [start, end) of the three tables."""
    n = len(lines)
    order = [c.key for c in T.CHAPTERS]

    def next_heading(after: int) -> int:
        return min([h.index for h in heads.values() if h.index > after] + [n])

    zones: dict[str, tuple[int, int]] = {}
    # a table without its chapter heading is searched after chapter 一's heading line (whose run-on
    # text may hold the table's words: 公开信息内容 …), or from the top
    cursor = heads["overview"].index + 1 if "overview" in heads else 0
    for table in ("active", "requests", "appeals"):
        if table in heads:
            start = heads[table].index
        else:
            # no heading: the first anchor of the table after the previous one
            later = [heads[k].index for k in order[order.index(table) + 1:] if k in heads]
            limit = min(later + [n])
            start = find_anchor(lines, TABLE_ANCHORS[table], cursor, limit)
            if start is None:
                continue
            start -= 1
        end = next_heading(start)
        if table == "requests" and "appeals" not in heads:
            a = find_anchor(lines, ("行政复议",), start + 1, end)
            end = a if a is not None else end
        zones[table] = (start + 1, end)
        cursor = start + 1
    return zones


def _tokens(lines: list[Line], zone: tuple[int, int]) -> list[Token]:
    out: list[Token] = []
    for i in range(*zone):
        line = lines[i]
        if line.cells is None and (is_boilerplate(line.text) or _is_prose_text(line.text)):
            continue
        out.extend(tokenize(line, i))
    return out


def _section_text(lines: list[Line], start: int, end: int, skip: tuple[int, int] | None, first: str = "") -> str:
    """A chapter's prose: its lines less the table (a sentence inside the table's span is kept)."""
    out = [display(first)] if first.strip() else []
    for i in range(start, end):
        line = lines[i]
        if skip and skip[0] <= i <= skip[1] and not _is_prose(line):
            continue
        if line.cells is not None:
            continue
        if is_page_end(line.text):
            break
        if is_boilerplate(line.text):
            continue
        t = _prose_line(line.text)
        if t:
            out.append(t)
    return "\n".join(out)


_BOLD = re.compile(r"^\*\*(.+?)\*\*")


@lru_cache(maxsize=16384)
def _prose_line(text: str) -> str:
    """A line of a chapter as its text is kept: display form, markdown marks dropped."""
    t = display(text).lstrip("#*> ").strip()
    return _BOLD.sub(r"\1", t) if t.startswith("**") else t


def extract(doc: Document, path: str = "", trace: dict | None = None,
            series: dict[str, SeriesHint] | None = None) -> Report:
    """Turn a Document into a Report (``source`` is filled by the caller), stage by stage. With
    ``trace`` (a dict), what each stage found is recorded in it for ``nianbao explain``. ``series``:
    where the agency's adjacent years print table 3's blank cells (``nianbao.extract.series``)."""
    lines = segment_document(doc.lines)
    heads_list = find_headings(lines)
    heads = {h.key: h for h in heads_list}
    zones = _zones(lines, heads)
    reads = _read_tables(doc, lines, zones, series)
    template = _template_of(reads)
    if not heads_list and not any(r.table for r in reads.values()) and not doc.tables_as_images:
        raise NotAReport(
            f"{path or '文件'}: 不是政府信息公开工作年度报告（未找到六个部分的标题，也未找到统计表）"
            " (not an annual report: no chapter headings and no statutory tables found)",
            path,
        )
    report = Report(source=Source(path=path, sha256="", format=doc.format, reader=doc.reader))
    notes: list[Note] = [note("reader", n) for n in doc.notes]
    if doc.tables_as_images:
        notes.append(note("tables_as_images", "报告中的表格是图片，无法读取表格数据（表格不可机读）"))
    notes += _put_tables(report, reads, template, doc.tables_as_images, set(heads))
    sections = _sections(lines, heads_list, zones, reads)
    report.sections = Sections(**sections)
    notes += _chapter_notes(lines, heads)
    meta = find_meta(lines, doc.hints, sections.get("overview"))
    report.preamble = _preamble(lines, heads_list, meta["title_index"])
    inferred, suggested, agency_notes = _agency(meta, lines)
    report.meta = Meta(title=meta["title"], agency=meta["agency"], year=meta["year"], template=template,
                       published=meta["published"])
    report.notes = notes + agency_notes
    report.reading = reading_of(report, reads, heads)
    report.reading.inferred = inferred + inferred_cells(report.notes)
    report.reading.suggested = suggested
    if trace is not None:
        trace.update(_trace(doc, lines, heads_list, zones, reads))
    return report


def _read_tables(doc: Document, lines: list[Line], zones: dict, series: dict | None = None) -> dict[str, TableRead]:
    """Stages rows and place, for each table whose zone was located."""
    reads: dict[str, TableRead] = {}
    if doc.tables_as_images:
        return reads
    if "active" in zones:
        reads["active"] = read_active(_tokens(lines, zones["active"]), None)
    version = reads["active"].version if "active" in reads else None  # its header tells even with no row read
    if "requests" in zones:
        reads["requests"] = read_requests(_tokens(lines, zones["requests"]), version, series)
    if "appeals" in zones:
        reads["appeals"] = read_appeals(_tokens(lines, zones["appeals"]))
    return reads


def _template_of(reads: dict[str, TableRead]) -> str | None:
    """The template the tables follow: table 2's columns (seen even when none of its rows could be
    read), else how table 3 prints （六）."""
    if reads.get("active") and (reads["active"].table is not None or reads["active"].version):
        return reads["active"].version
    if reads.get("requests") and reads["requests"].table is not None:
        return "2021" if reads["requests"].other_split else "2019"
    return None


def _put_tables(report: Report, reads: dict[str, TableRead], template: str | None, images: bool,
                chapters: set[str]) -> list[Note]:
    """The tables read into the report, with their provenance; the notes they leave. A table whose
    chapter or zone is there but whose cells were not found: its note names every cell (unread)."""
    notes: list[Note] = []
    tables = Tables()
    for name in ("active", "requests", "appeals"):
        read = reads.get(name)
        if read is None or read.table is None:
            if not images:
                there = read is not None or name in chapters
                cells = [c.path for c in T.all_cells(template) if c.table == name] if there else []
                notes.append(note("table_missing", f"未找到{T.TABLE_LABEL[name]}（{T.TABLE_TITLE[name]}）的数据", cells))
            continue
        setattr(tables, name, read.table)
        report.provenance.update(read.provenance)
        notes.extend(read.notes)
        notes.extend(label_notes(name, read, template))
    requests = reads.get("requests")
    if template == "2021" and requests and requests.table and not requests.other_split:
        notes.append(note("other_single_row", "表三“（六）其他处理”按2019年格式印成一行，2021年格式应分为三个子项",
                          cells=[T.rq("other_handling", c) for c in T.REQUEST_COLUMN_KEYS]))
    report.tables = tables
    return notes


def _sections(lines: list[Line], heads_list: list[Heading], zones: dict, reads: dict) -> dict[str, str]:
    """Each chapter's text, from its heading to the next, less its table."""
    sections = {}
    starts = sorted((h.index, h.key, h.rest) for h in heads_list)
    for j, (idx, ch, rest) in enumerate(starts):
        end = starts[j + 1][0] if j + 1 < len(starts) else len(lines)
        read = reads.get(ch)
        skip = (zones[ch][0], read.lines[1]) if read is not None and read.lines and ch in zones else None
        sections[ch] = _section_text(lines, idx + 1, end, skip, rest)
    return sections


def _chapter_notes(lines: list[Line], heads: dict[str, Heading]) -> list[Note]:
    notes = []
    for c in T.CHAPTERS:
        if c.key not in heads:
            notes.append(note("chapter_missing", f"未找到第{c.number}部分“{c.heading}”的标题"))
            continue
        printed = re.sub(r"^[#*\s]*(第[一二三四五六]+部分|[一二三四五六1-6]+\s*[、.．,，:：]?)", "", heads[c.key].text).strip(" *")
        if key(printed) != key(c.heading[2:]):
            notes.append(note("heading_variant",
                              f"第{c.number}部分标题“{heads[c.key].text.strip(' #*')}”与格式规定的“{c.heading}”不一致",
                              line=lines[heads[c.key].index].line))
    return notes


def _preamble(lines: list[Line], heads_list: list[Heading], title_index: int | None) -> str | None:
    """The text before chapter 一 (legal basis, statistical period, contact), less the title."""
    first = min((h.index for h in heads_list), default=None)
    if not first:
        return None
    pre = [display(lines[i].text) for i in range(first) if i != title_index and lines[i].cells is None
           and lines[i].text.strip() and not is_boilerplate(lines[i].text) and not is_page_meta(lines[i].text)]
    return "\n".join(pre) or None


def _agency(meta: dict, lines: list[Line]) -> tuple[list[str], dict[str, str], list[Note]]:
    """An agency inferred from the body where nothing names it, or a likely name where the printed
    one looks misread (``agency.py``). Fills ``meta["agency"]`` when inferred."""
    if meta["agency"] is None:
        found = infer_agency("\n".join(line.text for line in lines))
        if not found:
            return [], {}, []
        meta["agency"] = found[0]
        return ["meta.agency"], {}, [note("agency_inferred", f"报告未写明机关名称，由正文推定为“{found[0]}”（{found[1]}）")]
    likely = suggest_agency(meta["agency"])
    if likely is None:
        return [], {}, []
    return [], {"meta.agency": likely}, [
        note("agency_suggested", f"机关名称“{meta['agency']}”不是已知的行政区划名称，疑为“{likely}”之误")]


def _trace(doc: Document, lines: list[Line], heads_list: list[Heading], zones: dict, reads: dict) -> dict:
    """What ``nianbao explain`` prints of the segment, locate and rows stages."""
    return {
        "segments": _segments_trace(lines),
        "headings": [{"chapter": h.key, "line": lines[h.index].line, "text": h.text} for h in heads_list],
        "tables": {
            name: {
                "start": _where(lines, zones[name][0]) if name in zones else None,
                "end": _where(lines, zones[name][1] - 1) if name in zones else None,
                "version": read.version,
                "rows": [row_trace(e) for e in read.trace],
            }
            for name, read in reads.items()
        },
    }


def _where(lines: list[Line], i: int) -> dict | None:
    if not 0 <= i < len(lines):
        return None
    return {"line": lines[i].line, "offset": lines[i].offset, "page": lines[i].page}


def _segments_trace(pieces: list[Line]) -> list[dict]:
    """The cuts the segment stage made: for every source line it cut, each piece's offset and start."""
    count: dict[int, int] = {}
    for p in pieces:
        count[p.line] = count.get(p.line, 0) + 1
    return [{"line": p.line, "offset": p.offset, "text": p.text.strip()[:40]} for p in pieces if count[p.line] > 1]


def reading_of(report: Report, reads: dict[str, TableRead], heads: dict[str, Heading]) -> Reading:
    """Spec §8: which template cells the reader could not place. A null cell with provenance was
    seen printed blank; a null cell without provenance was not placed, unless its row is one the
    report does not print (a ``row_absent`` note); a table whose chapter is there but whose cells
    were not found is unread as a whole."""
    absent = {c for n in report.notes if n.code == "row_absent" for c in n.cells}
    unread = dict.fromkeys(unread_cells(report.notes))
    version = report.meta.template
    for name in ("active", "requests", "appeals"):
        table = getattr(report.tables, name)
        if table is None:
            if name in heads or name in reads:
                unread.update(dict.fromkeys(c.path for c in T.all_cells(version) if c.table == name))
            continue
        for row, cols in table.items():
            for col, value in cols.items():
                if value is None:
                    path = T.CellPath(name, row, col)
                    if path not in report.provenance and path not in absent:
                        unread[path] = None
    unread_list = [p for p in unread if p not in absent]
    return Reading(status="partial" if unread_list else "complete", unread=unread_list)
