"""Perturbed copies of the real reports: what a real publishing chain does to a report, numbers kept.

    python scripts/perturb.py [DIR] [--only NAME ...] [--docs SUBSTR ...] [--no-office] [--list]

writes every (document × transformation) case into DIR (default ``/tmp/probe/cases``) and prints
one line per file. ``bench/bench_robust.py`` reads the same cases in memory and scores them.

The sources are the real documents with hand-read truth (``tests/documents/{corpus,wild}``: crawler
text exports and one CMS page) and the five real seeds (``samples/seeds/``, copies of
``../shared/seeds``; their truth is the hand-written assertions of ``tests/test_seeds.py``, so the
benchmark takes the unperturbed seed's reading as their reference, which the test suite pins).

Every transformation keeps every printed number of the report and the place the truth gives it, so
the truth file stays valid for the perturbed copy. Each is modelled on a layout class of
``../shared/design/wild-layouts.md`` (its number in brackets) or on a plain fact of publishing
(encodings, line ends). Two families:

* text transformations (any text source): the page's own text is changed in place;
* rebuilt layouts (the crawler exports with truth): the real page is cut at its chapter headings,
  its prose kept character for character, and its three tables printed again from the truth file
  in the layout a real tool produces (markdown pipe tables from a PDF converter, OCR markdown,
  tab-separated PDF text, a CMS HTML table, and through LibreOffice (``/usr/bin/soffice``,
  headless) DOCX and PDF). A cell the truth marks ``"0?"`` (not printed) or ``null`` (printed
  blank) is printed blank.

Zeros hide a number read into the next cell, and most real cells are 0: each rebuilt layout also
has a ``+distinct`` copy whose tables print varied numbers (arithmetic and blanks kept, see
:func:`distinct_truth`); such a case carries its own truth (``Case.truth``), the printed numbers.

All choices (typo positions, separators) come from ``random.Random(seed + name)``: deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import html as htmllib
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nianbao import template as T  # noqa: E402  (labels only: one source of truth)
from nianbao.template import Field  # noqa: E402

DOCS = ROOT / "tests" / "documents"
SEEDS = ROOT / "samples" / "seeds"
SOFFICE = "/usr/bin/soffice"
CACHE = Path("/tmp/probe/cache")


# --------------------------------------------------------------------------- sources


@dataclass
class Source:
    name: str  # file stem
    path: Path
    raw: bytes
    truth: dict | None  # hand-read truth (None: a seed, whose reference is its pinned reading)
    truth_path: Path | None = None

    @property
    def suffix(self) -> str:
        return self.path.suffix

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8")

    @property
    def kind(self) -> str:
        if self.suffix in (".html", ".htm"):
            return "html"
        if self.text.startswith("标题:") and "==== 正文 ====" in self.text:
            return "crawler"
        return "seed"


def sources() -> list[Source]:
    out = []
    for folder in ("corpus", "wild"):
        for f in sorted((DOCS / folder).iterdir()):
            truth = DOCS / folder / "truth" / f"{f.stem}.json"
            if f.is_file() and f.suffix in (".txt", ".html") and truth.exists():
                out.append(Source(f"{folder}/{f.name}", f, f.read_bytes(),
                                  json.loads(truth.read_text(encoding="utf-8")), truth))
    for f in sorted(SEEDS.glob("*.txt")):
        out.append(Source(f"seeds/{f.name}", f, f.read_bytes(), None))
    return out


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    source: Source
    transform: str
    data: bytes
    suffix: str
    variant: str = ""  # e.g. which label got the typo
    truth: dict | None = None  # the truth of this copy when it is not the source's (``+distinct``)

    @property
    def file_name(self) -> str:
        stem = self.source.path.stem + ("_html" if self.source.kind == "html" else "")
        v = "__" + re.sub(r"[^\w.-]+", "_", self.variant).strip("_") if self.variant else ""
        return f"{stem}__{self.transform}{v}{self.suffix}"


@dataclass
class Transform:
    name: str
    layout_class: str  # the wild-layouts.md class number, or "enc" (publishing facts)
    fn: Callable[[Source, random.Random], Iterator[tuple[bytes, str, str]]]  # → (data, suffix, variant)
    doc: str
    office: bool = False


TRANSFORMS: dict[str, Transform] = {}


def transform(name: str, layout_class: str, office: bool = False):
    def deco(fn):
        TRANSFORMS[name] = Transform(name, layout_class, fn, (fn.__doc__ or "").strip().splitlines()[0], office)
        return fn
    return deco


def _text_only(src: Source) -> bool:
    return src.kind in ("crawler", "seed")


def _u(text: str, src: Source) -> Iterator[tuple[bytes, str, str]]:
    yield text.encode("utf-8"), src.suffix, ""


# --------------------------------------------------------------------------- segmentation of a crawler page

_NUM = "[一二三四五六七八]"
_CH = {
    "overview": re.compile(_NUM + r"、\s*(?:总体情况|基本情况|概述)"),
    "active": re.compile(_NUM + r"、\s*主动公开政府信息(?:情况)?"),
    "requests": re.compile(_NUM + r"、\s*收到和处理政府信息公开申请(?:情况)?"),
    "appeals": re.compile(_NUM + r"、\s*(?:因政府信息公开工作被申请行政复议|政府信息公开行政复议)[^\d五六]{0,16}?情况"),
    "after": re.compile(r"[五六]、\s*(?:存在|政府信息公开工作存在|信息处理费)"),
    "other": re.compile(r"[六七]、\s*(?:其他需要报告|其它需要报告|其他报告)"),
}


@dataclass
class Page:
    """A crawler export cut at its chapter headings (tables located between them)."""
    header: list[str]  # the crawler's metadata lines, up to and with the 正文 separator
    title: str
    published: str  # 发布时间 as printed
    before: str  # body up to and with the 二、 heading
    h_requests: str
    h_appeals: str
    after: str  # from chapter 五 on
    tables_text: dict[str, str] = field(default_factory=dict)  # the original table runs


def page(src: Source) -> Page | None:
    if src.kind != "crawler":
        return None
    text = src.text
    head, _, body = text.partition("==================== 正文 ====================")
    header = head.rstrip("\n").split("\n") + ["==================== 正文 ===================="]
    body = body.strip("\n")
    meta = dict(line.split(": ", 1) for line in header if ": " in line)
    m2 = _CH["active"].search(body)
    if not m2:
        return None
    m3 = _CH["requests"].search(body, m2.end())
    m4 = _CH["appeals"].search(body, m3.end()) if m3 else None
    m5 = _CH["after"].search(body, m4.end()) if m4 else None
    if not (m3 and m4 and m5):
        return None
    return Page(header, meta.get("标题", ""), meta.get("发布时间", ""), body[: m2.end()], m3.group(0),
                m4.group(0), body[m5.start():],
                {"active": body[m2.end(): m3.start()], "requests": body[m3.end(): m4.start()],
                 "appeals": body[m4.end(): m5.start()]})


def _heading_lines(text: str) -> list[str]:
    """Running prose broken before each chapter heading (as a PDF or a page prints them)."""
    cuts = sorted({m.start() for rx in _CH.values() for m in rx.finditer(text) if m.start() > 0})
    parts, last = [], 0
    for c in cuts:
        parts.append(text[last:c])
        last = c
    parts.append(text[last:])
    return [p.strip() for p in parts if p.strip()]


# --------------------------------------------------------------------------- tables from the truth


def _fmt(v, thousands: bool = False, fullwidth: bool = False) -> str:
    if v is None or v == "0?" or v == "?":
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = f"{v:,}" if thousands and isinstance(v, (int, float)) and abs(v) >= 1000 else str(v)
    if fullwidth:
        s = s.translate(_FULLWIDTH)
    return s


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Row:
    kind: str  # "caption", "header", "data"
    labels: list[str]  # label cells (data rows of table 3: [top, group, item], "" where merged)
    values: list[str]


def _version(truth: dict) -> str:
    return truth["meta"].get("template") or T.template_for_year(truth["meta"]["year"])


def _unit(row_key: str, field: Field) -> str:
    if field.kind == "amount":
        return "元" if row_key == "procurement" else "万元"
    return "个" if field.key in ("projects", "previous_items") else "件"


def table_rows(truth: dict, table: str, units: bool = False, **fmt) -> list[Row]:
    t = truth["tables"][table]
    version = _version(truth)
    rows: list[Row] = []
    if table == "active":
        caption = None
        for ar in T.ACTIVE_ROWS[version]:
            if ar.caption != caption or (version == "2019" and ar.key == "fees"):
                caption = ar.caption
                rows.append(Row("caption", [ar.caption], []))
                rows.append(Row("header", [T.ACTIVE_HEADER], [f.label for f in ar.fields]))
            vals = [_fmt(t[ar.key][f.key], **fmt) for f in ar.fields]
            if units:  # class 1: cells that carry their unit (1个, 246900元)
                vals = [v + _unit(ar.key, f) if v else v for v, f in zip(vals, ar.fields)]
            rows.append(Row("data", [ar.label], vals))
        return rows
    if table == "requests":
        rows.append(Row("header", [T.REQUEST_HEADER_NOTE, "", ""], [T.REQUEST_HEADER_APPLICANTS] + [""] * 6))
        rows.append(Row("header", ["", "", ""], ["自然人", T.REQUEST_HEADER_LEGAL_PERSONS, "", "", "", "", "总计"]))
        rows.append(Row("header", ["", "", ""], ["", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]))
        split = "other_other" in t
        seen: set[str] = set()
        for rr in T.request_rows(version, split):
            label = rr.number + rr.label
            if rr.key in ("new_received", "carried_over", "carried_forward"):
                labels = [label, "", ""]
            else:
                top = "" if "三" in seen else "三、本年度办理结果"
                seen.add("三")
                if rr.group is None or rr.group.startswith("三、"):
                    labels = [top, label, ""]
                else:
                    labels = [top, "" if rr.group in seen else rr.group, label]
                    seen.add(rr.group)
            rows.append(Row("data", labels, [_fmt(t[rr.key][c], **fmt) for c in T.REQUEST_COLUMN_KEYS]))
        return rows
    rows.append(Row("header", [], ["行政复议"] + [""] * 4 + ["行政诉讼"] + [""] * 9))
    rows.append(Row("header", [], [""] * 5 + ["未经复议直接起诉"] + [""] * 4 + ["复议后起诉"] + [""] * 4))
    rows.append(Row("header", [], [T.APPEAL_FIELD_LABEL[f] for f in T.APPEAL_FIELD_KEYS] * 3))
    rows.append(Row("data", [], [_fmt(t[b][f], **fmt) for b in T.APPEAL_BLOCK_KEYS for f in T.APPEAL_FIELD_KEYS]))
    return rows


def _label(row: Row) -> str:
    return "".join(x for x in row.labels if x)


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _pipe_table(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return [_pipe(rows[0]), _pipe(["---"] * width)] + [_pipe(r) for r in rows[1:]]


# --------------------------------------------------------------------------- rebuilt documents


def _md_head(p: Page) -> list[str]:
    return [f"# {p.title}", "", f"发布时间：{p.published}", ""]


def _prose(text: str) -> list[str]:
    out = []
    for line in _heading_lines(text):
        out += [line, ""]
    return out


def rebuild(src: Source, tables: Callable[[str, list[Row]], list[str]], head: str = "md",
            **fmt) -> str | None:
    """The page with its prose kept and its three tables printed by ``tables(table, rows)``."""
    p = page(src)
    if p is None or src.truth is None:
        return None
    lines = _md_head(p) if head == "md" else p.header[:]
    lines += _prose(p.before)
    lines += tables("active", table_rows(src.truth, "active", **fmt)) + [""]
    lines += [p.h_requests, ""] + tables("requests", table_rows(src.truth, "requests", **fmt)) + [""]
    lines += [p.h_appeals, ""] + tables("appeals", table_rows(src.truth, "appeals", **fmt)) + [""]
    lines += _prose(p.after)
    return "\n".join(lines) + "\n"


def _flat(row: Row) -> list[str]:
    return [x for x in row.labels] + row.values


def _tables_pipe(table: str, rows: list[Row]) -> list[str]:
    return _pipe_table([_flat(r) for r in rows])


def _tables_tsv(table: str, rows: list[Row]) -> list[str]:
    return ["\t".join(_flat(r)).rstrip("\t") for r in rows]


def _tables_cell_per_line(table: str, rows: list[Row]) -> list[str]:
    out = []
    for r in rows:
        out += [x for x in r.labels if x] + [x for x in r.values if x or r.kind == "data"]
    return out


def _tables_label_apart(table: str, rows: list[Row]) -> list[str]:
    out = []
    for r in rows:
        if r.kind == "data" and r.labels:
            out += [_label(r), "  ".join(r.values)]
        else:
            out.append("  ".join(x for x in _flat(r) if x))
    return out


def _tables_md_split(table: str, rows: list[Row], size: int = 5) -> list[str]:
    """Many small pipe tables, each under the repeated heading; each fragment's first row serves as
    its header (what a PDF→markdown converter does at page and block breaks)."""
    heading = f"## {T.TABLE_LABEL[table]}：{T.TABLE_TITLE[table]}"
    out: list[str] = []
    for i in range(0, len(rows), size):
        out += [heading, ""] + _pipe_table([_flat(r) for r in rows[i: i + size]]) + [""]
    return out


def _tables_md_offset(table: str, rows: list[Row]) -> list[str]:
    """Table 3's numbers one line late: each label printed with the previous row's numbers."""
    if table != "requests":
        return _tables_pipe(table, rows)
    head = [r for r in rows if r.kind != "data"]
    data = [r for r in rows if r.kind == "data"]
    out = [_flat(r) for r in head]
    prev: list[str] = [""] * 7
    for r in data:
        out.append(r.labels + prev)
        prev = r.values
    out.append(["", "", ""] + prev)
    return _pipe_table(out)


def _tables_loose_note(table: str, rows: list[Row]) -> list[str]:
    """A cell carrying a note falls out of the table as a loose line (class 4): the total of 一、本年新收
    is printed after its row as `N（含网上申请件数）`, the row's total cell left blank."""
    if table != "requests":
        return _tables_pipe(table, rows)
    out: list[list[str]] = [_flat(r) for r in rows]
    at = next((i for i, r in enumerate(rows) if r.kind == "data" and r.labels[0].startswith("一、") and r.values[-1]),
              None)
    if at is None:
        return _pipe_table(out)
    note = f"{out[at][-1]}（含网上申请件数）"
    out[at] = out[at][:-1] + [""]
    return _pipe_table(out[: at + 1]) + ["", note, ""] + _pipe_table(out[at + 1:])


def _tables_merged_repeated(table: str, rows: list[Row]) -> list[str]:
    """Merged label cells repeated on every row they span (a converter that fills merged cells, as
    camelot or pandas do): `| 三、本年度办理结果 | （三）不予公开 | 2.其他法律… |` on each row (class 4)."""
    if table != "requests":
        return _tables_pipe(table, rows)
    out, top, group = [], "", ""
    for r in rows:
        if r.kind == "data" and (r.labels[1] or r.labels[2]):
            top = r.labels[0] or top
            group = (r.labels[1] or group) if r.labels[2] else ""
            out.append([top, group, r.labels[2] or r.labels[1]] + r.values if r.labels[2] else
                       [top, r.labels[1], r.labels[1]] + r.values)
        else:
            out.append(_flat(r))
    return _pipe_table(out)


def _tables_wrong_headings(table: str, rows: list[Row]) -> list[str]:
    """md_split whose fragments are all headed `## 表二：主动公开政府信息情况` (an OCR/LLM that re-heads
    blocks wrongly; class 5)."""
    return [x.replace(f"## {T.TABLE_LABEL[table]}：{T.TABLE_TITLE[table]}", f"## 表二：{T.TABLE_TITLE['active']}")
            for x in _tables_md_split(table, rows)]


def _tables_ocr(table: str, rows: list[Row]) -> list[str]:
    """Class 5: table 3 as one pipe table per row under placeholder headers, table 4 as three tables."""
    if table == "requests":
        out = []
        for r in rows:
            if r.kind != "data":
                continue
            out += _pipe_table([["项目"] + [f"数据{i}" for i in range(1, 8)], [_label(r)] + r.values]) + [""]
        return out
    if table == "appeals":
        vals = rows[-1].values
        out = []
        for i, (_, name) in enumerate(T.APPEAL_BLOCKS):
            out += [f"**{name.replace('·', '（') + ('）' if '·' in name else '')}**", ""]
            out += _pipe_table([[T.APPEAL_FIELD_LABEL[f] for f in T.APPEAL_FIELD_KEYS], vals[5 * i: 5 * i + 5]]) + [""]
        return out
    return _tables_pipe(table, rows)


# ---- HTML (CMS page, official merged cells) and its LibreOffice conversions


def _td(text: str, rs: int = 1, cs: int = 1) -> str:
    a = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    return f"<td{a}>{htmllib.escape(text)}</td>"


def html_table(table: str, rows: list[Row], spans: bool = False) -> str:
    """One official table as a Word-pasted CMS table. ``spans``: table 2's data cells span grid
    columns other than their header's (class 2); each value overlaps its own header cell most."""
    trs: list[str] = []
    if table == "active":
        for r in rows:
            if r.kind == "caption":
                trs.append(_td(r.labels[0], cs=11 if spans else 4))
            elif not spans:
                n = len(r.values)
                widths = [1] * (n - 1) + [4 - n] if n < 3 else [1] * n
                trs.append(_td(r.labels[0]) + "".join(_td(v, cs=w) for v, w in zip(r.values, widths)))
            elif r.kind == "header":
                n = len(r.values)
                widths = [3, 3, 3] if n == 3 else ([3, 6] if n == 2 else [9])
                trs.append(_td(r.labels[0], cs=2) + "".join(_td(v, cs=w) for v, w in zip(r.values, widths)))
            else:
                n = len(r.values)
                widths = [3, 3, 4] if n == 3 else ([3, 7] if n == 2 else [10])
                trs.append(_td(r.labels[0]) + "".join(_td(v, cs=w) for v, w in zip(r.values, widths)))
    elif table == "requests":
        trs.append(_td(T.REQUEST_HEADER_NOTE, rs=3, cs=3) + _td(T.REQUEST_HEADER_APPLICANTS, cs=7))
        trs.append(_td("自然人", rs=2) + _td(T.REQUEST_HEADER_LEGAL_PERSONS, cs=5) + _td("总计", rs=2))
        trs.append("".join(_td(x) for x in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")))
        data = [r for r in rows if r.kind == "data"]
        in_result = [i for i, r in enumerate(data) if r.labels[1] or r.labels[2]]
        for i, r in enumerate(data):
            top, group, item = r.labels
            if i not in in_result:  # 一、 二、 四、
                cells = _td(top, cs=3)
            else:
                cells = _td(top, rs=len(in_result)) if top else ""
                if item:
                    if group:
                        size = 1
                        while i + size < len(data) and not data[i + size].labels[1] and data[i + size].labels[2]:
                            size += 1
                        cells += _td(group, rs=size)
                    cells += _td(item)
                else:
                    cells += _td(group, cs=2)
            trs.append(cells + "".join(_td(v) for v in r.values))
    else:
        trs.append(_td("行政复议", cs=5) + _td("行政诉讼", cs=10))
        trs.append("".join(_td(T.APPEAL_FIELD_LABEL[f], rs=2) for f in T.APPEAL_FIELD_KEYS)
                   + _td("未经复议直接起诉", cs=5) + _td("复议后起诉", cs=5))
        trs.append("".join(_td(T.APPEAL_FIELD_LABEL[f]) for f in T.APPEAL_FIELD_KEYS) * 2)
        trs.append("".join(_td(v) for v in rows[-1].values))
    body = "\n".join(f"<tr>{tr}</tr>" for tr in trs)
    return f'<table border="1" cellspacing="0" cellpadding="0">\n{body}\n</table>'


def html_page(src: Source, spans: bool = False, units: bool = False) -> str | None:
    p = page(src)
    if p is None or src.truth is None:
        return None

    def paras(text):
        return "\n".join(f"<p>{htmllib.escape(x)}</p>" for x in _heading_lines(text))

    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>' + htmllib.escape(p.title) + "</title></head><body>",
        f"<h1>{htmllib.escape(p.title)}</h1>",
        f"<p>发布时间：{htmllib.escape(p.published)}</p>",
        paras(p.before),
        html_table("active", table_rows(src.truth, "active", units=units), spans),
        f"<p>{htmllib.escape(p.h_requests)}</p>",
        html_table("requests", table_rows(src.truth, "requests")),
        f"<p>{htmllib.escape(p.h_appeals)}</p>",
        html_table("appeals", table_rows(src.truth, "appeals")),
        paras(p.after),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def office_convert(items: list[tuple[str, bytes, str]], target: str) -> dict[str, bytes]:
    """Convert HTML files with LibreOffice (one headless run for all that are not cached).
    ``items``: (key, html bytes, suffix of the input); ``target``: "docx", "pdf" or "txt"."""
    out: dict[str, bytes] = {}
    todo = []
    CACHE.mkdir(parents=True, exist_ok=True)
    for key, data, suffix in items:
        h = hashlib.sha1(data + b"writer:" + target.encode()).hexdigest()[:16]
        cached = CACHE / f"{h}.{target}"
        if cached.exists():
            out[key] = cached.read_bytes()
        else:
            todo.append((key, data, suffix, h))
    if todo and Path(SOFFICE).exists():
        with tempfile.TemporaryDirectory(prefix="probe-office-") as tmp:
            files = []
            for key, data, suffix, h in todo:
                f = Path(tmp) / f"{h}{suffix}"
                f.write_bytes(data)
                files.append(str(f))
            filt = {"docx": "docx:MS Word 2007 XML", "pdf": "pdf:writer_pdf_Export", "txt": "txt:Text (encoded):UTF8"}[target]
            # loaded as a Writer document (not Writer/Web): the page as Word would print it
            subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                            "--infilter=HTML (StarWriter)", "--convert-to", filt, "--outdir", tmp, *files],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
            for key, data, suffix, h in todo:
                f = Path(tmp) / f"{h}.{target}"
                if f.exists():
                    shutil.copy(f, CACHE / f.name)
                    out[key] = f.read_bytes()
    return out


# --------------------------------------------------------------------------- text transformations


@transform("utf8_bom", "enc")
def t_bom(src, rng):
    """UTF-8 with a byte order mark (Windows Notepad, many CMS exports)."""
    yield b"\xef\xbb\xbf" + src.raw, src.suffix, ""


@transform("gb18030", "enc/9")
def t_gb(src, rng):
    """Re-encoded in GB18030 (the same page in another encoding, class 9); HTML declares it."""
    text = src.text
    if src.kind == "html":
        text = re.sub(r'charset="?utf-8"?', 'charset="gb2312"', text, count=1, flags=re.I)
    yield text.encode("gb18030"), src.suffix, ""


@transform("utf16", "enc")
def t_utf16(src, rng):
    """UTF-16 LE with BOM (Notepad's "Unicode" save of a copied page)."""
    if _text_only(src):
        yield src.text.encode("utf-16"), src.suffix, ""


@transform("crlf", "enc")
def t_crlf(src, rng):
    """CRLF line ends."""
    yield src.text.replace("\n", "\r\n").encode("utf-8"), src.suffix, ""


_RUN_SPACE = re.compile(r"(?<=\d) (?=\d)")


@transform("nbsp", "1")
def t_nbsp(src, rng):
    """Every space between two digits becomes U+00A0 (an &nbsp; cell unescaped; class 1)."""
    if _text_only(src) and _RUN_SPACE.search(src.text):
        yield from _u(_RUN_SPACE.sub("\u00a0", src.text), src)


@transform("nbsp_entity", "1")
def t_nbsp_entity(src, rng):
    """Every space between two digits becomes a literal `&nbsp;` (a crawler that did not unescape)."""
    if _text_only(src) and _RUN_SPACE.search(src.text):
        yield from _u(_RUN_SPACE.sub("&nbsp;", src.text), src)


@transform("ideographic_space", "1")
def t_ideo(src, rng):
    """Spaces between digits become U+3000 or doubled, chosen at random (class 1, ` 00 00000`)."""
    if _text_only(src) and _RUN_SPACE.search(src.text):
        yield from _u(_RUN_SPACE.sub(lambda m: rng.choice(["\u3000", "  ", "\u00a0 "]), src.text), src)


_ZERO_RUN = re.compile(r"(?<![\d.])(?:[0-9] ){2,}[0-9](?![\d.])")


@transform("squeeze_digits", "1")
def t_squeeze(src, rng):
    """Separators dropped inside runs of single-digit cells (` 0 0 0 0 0 0 0` → `0000000`, each
    digit still one cell, so the truth still determines them; class 1)."""
    if not _text_only(src):
        return
    new = _ZERO_RUN.sub(lambda m: m.group(0).replace(" ", ""), src.text)
    if new != src.text:
        yield from _u(new, src)


@transform("fullwidth_digits", "enc")
def t_fullwidth(src, rng):
    """Every ASCII digit printed full-width (０１２, Word with a Chinese font, IME input)."""
    if _text_only(src):
        yield from _u(src.text.translate(_FULLWIDTH), src)


def _labels() -> list[tuple[str, str, str]]:
    """(table, row key, official label) of every table-2/3 row label of four characters or more."""
    out = [("requests", rr.key, rr.label) for rr in T.REQUEST_ROWS if len(rr.label) >= 4]
    out += [("active", ar.key, ar.label) for v in T.VERSIONS for ar in T.ACTIVE_ROWS[v] if len(ar.label) >= 4]
    return list(dict.fromkeys(out))


def _table_start(text: str, table: str) -> int:
    keys = ("申请人情况", "自然人") if table == "requests" else ("第二十条", "信息内容")
    found = [text.find(k) for k in keys if text.find(k) >= 0]
    return min(found) if found else -1


def _typo(kind: str):
    def fn(src, rng):
        if not _text_only(src):
            return
        text = src.text
        for table, key, label in _labels():
            start = _table_start(text, table)
            at = text.find(label, start) if start >= 0 else -1
            if at < 0:
                continue
            r = random.Random(f"{kind}:{label}:{src.name}")
            i = r.randrange(1, len(label) - 1)
            if kind == "drop":
                new = label[:i] + label[i + 1:]
            elif kind == "double":
                new = label[:i] + label[i] + label[i:]
            elif kind == "space":
                new = label[:i] + " " + label[i:]
            else:
                new = label[:i] + "，" + label[i:]
            yield (text[:at] + new + text[at + len(label):]).encode("utf-8"), src.suffix, f"{key}:{new}"
    return fn


for _k, _d in (("drop", "a character dropped"), ("double", "a character doubled"),
               ("space", "a space added"), ("comma", "a comma added")):
    _fn = _typo(_k)
    _fn.__doc__ = f"Label typo in a table-2/3 row label: {_d} (class 3); one label per case, every label in turn."
    transform(f"typo_{_k}", "3")(_fn)


def _wrap(line: str, width: int) -> list[str]:
    out, cur = [], ""
    tokens = re.findall(r"[0-9A-Za-z.,:/%+\-]+|.", line)
    for tok in tokens:
        if len(cur) + len(tok) > width and cur:
            out.append(cur)
            cur = ""
        cur += tok
    if cur:
        out.append(cur)
    return out


@transform("wrap_prose", "6")
def t_wrap(src, rng):
    """Prose wrapped mid-sentence at 36 characters, chapter headings on their own lines, tables left
    as printed (PDF text, class 6). A number is never cut (PDF line breaking keeps digit runs)."""
    if src.kind == "crawler":
        p = page(src)
        if p is None:
            return
        lines = p.header[:]
        for part in _heading_lines(p.before):
            lines += _wrap(part, 36)
        lines += [p.tables_text["active"].strip(), p.h_requests, p.tables_text["requests"].strip(), p.h_appeals,
                  p.tables_text["appeals"].strip()]
        for part in _heading_lines(p.after):
            lines += _wrap(part, 36)
        yield from _u("\n".join(lines) + "\n", src)
    elif src.kind == "seed":
        lines = []
        for line in src.text.split("\n"):
            if len(line) > 40 and "|" not in line and "\t" not in line and ("，" in line or "," in line or "。" in line):
                lines += _wrap(line, 36)
            else:
                lines.append(line)
        yield from _u("\n".join(lines), src)


@transform("capture_wrapper", "7")
def t_capture(src, rng):
    """A capture tool's header and footer around the page, with its own (later) capture date (class 7)."""
    url = "https://www.pingtan.gov.cn/zwgk/zfxxgk/" if src.kind != "seed" else "http://www.example.gov.cn/xxgk/"
    if src.kind == "html":
        text = src.text
        mark = f"<!--\n Page saved with SingleFile \n url: {url} \n saved date: Fri Nov 20 2026 09:13:52 GMT+0800 (中国标准时间)\n-->"
        yield (mark + "\n" + text).encode("utf-8"), src.suffix, ""
    else:
        head = f"网页快照\n抓取时间：2026-11-20 09:13:52\n来源网址：{url}\n----------------------------------------\n"
        foot = "\n----------------------------------------\n本快照由网页存档工具于2026年11月20日生成，仅供参考。\n"
        yield from _u(head + src.text + foot, src)


@transform("no_title", "8")
def t_notitle(src, rng):
    """The title removed (crawler 标题/本地目录 lines, the title line of the body): the agency is only
    in the body, the signature or the footer (class 8)."""
    if src.kind == "crawler":
        lines = [x for x in src.text.split("\n") if not x.startswith(("标题:", "本地目录:"))]
        p = page(src)
        text = "\n".join(lines)
        if p and p.title:
            text = text.replace(p.title, "")
        yield from _u(text, src)
    elif src.kind == "seed":
        lines = src.text.split("\n")
        kept = [x for x in lines if not ("年度报告" in x and len(x.strip().lstrip("#").strip()) < 40)]
        if len(kept) < len(lines):
            yield from _u("\n".join(kept), src)


@transform("title_split", "6")
def t_title_split(src, rng):
    """The title broken over two lines inside a word, as a PDF or a narrow page prints a long title
    (`…管理局2022年政府信` / `息公开工作年度报告`; class 6). Crawler pages: the title line of the body."""
    if not _text_only(src):
        return
    text = src.text
    start = text.find("==================== 正文") if src.kind == "crawler" else 0
    title = page(src).title if src.kind == "crawler" and page(src) else None
    if title is None:
        title = next((x.strip().lstrip("# ").strip() for x in text.split("\n")
                      if "年度报告" in x and len(x.strip()) < 60 and not re.search("[，,。]", x)), None)
    at = text.find(title, max(start, 0)) if title else -1
    if at < 0:
        return
    cut = at + len(title) - 7  # inside 政府信息公开…: the second line holds 年度报告 but not the year
    yield from _u(text[:cut] + "\n" + text[cut:], src)


def _renumber(src: Source, fn) -> str | None:
    p = page(src)
    if p is None:
        return None
    text = src.text
    body_at = text.find("==================== 正文")
    head, body = text[:body_at], text[body_at:]
    for key in ("active", "requests", "appeals"):
        m = _CH[key].search(body)
        if m:
            body = body[: m.start()] + fn(key, m.group(0)) + body[m.end():]
    return head + body


@transform("chapter_unnumbered", "1")
def t_unnumbered(src, rng):
    """Chapters 二–四 headed without their number (`主动公开政府信息情况`; class 1)."""
    if src.kind == "crawler":
        text = _renumber(src, lambda key, h: re.sub("^" + _NUM + "、\\s*", "", h))
        if text:
            yield from _u(text, src)


@transform("chapter_misnumbered", "1")
def t_misnumbered(src, rng):
    """Chapters 三 and 四 numbered one too low (table 3 under `二、`, table 4 under `三、`; class 1)."""
    if src.kind == "crawler":
        down = {"三": "二", "四": "三"}
        text = _renumber(src, lambda key, h: down.get(h[0], h[0]) + h[1:] if key != "active" else h)
        if text:
            yield from _u(text, src)


@transform("letter_form", "1")
def t_letter(src, rng):
    """The report written as a 函: a salutation and `现将…函告如下` before it, `此函。` after (class 1)."""
    if src.kind != "crawler":
        return
    text = src.text
    at = text.find("==================== 正文 ====================")
    if at < 0:
        return
    at = text.index("\n", at) + 1
    end = text.rstrip("\n")
    yield from _u(text[:at] + "平潭综合实验区管委会办公室：现将我单位政府信息公开工作年度报告函告如下。" + end[at:]
                  + " 此函。\n", src)


_WORD_IF = "<!--[if !supportMisalignedColumns]-->"


@transform("word_comments", "1")
def t_word_comments(src, rng):
    """Word conditional comments leaked into the text at the tables (class 1)."""
    p = page(src)
    if p is None:
        return
    text = src.text
    for key in ("requests", "appeals"):
        m = _CH[key].search(text, text.find("==================== 正文"))
        if m:
            text = text[: m.start()] + _WORD_IF + "<!--[endif]-->" + text[m.start():]
    yield from _u(text, src)


@transform("oneline", "1")
def t_oneline(src, rng):
    """A seed page joined onto one line after a crawler header (class 1): lines concatenated with no
    separator, except a space between two digits (so every number keeps its cell)."""
    if src.kind != "seed":
        return
    lines = [x.strip() for x in src.text.split("\n") if x.strip()]
    body = ""
    for x in lines:
        x = re.sub(r"\s*[|\t]\s*", " ", x).strip(" |")
        x = re.sub(r"^#+\s*|\*\*", "", x)  # markdown marks are not on a web page
        if body and body[-1].isdigit() and x[:1].isdigit():
            body += " "
        body += x
    title = next((x.lstrip("# ") for x in lines if "年度报告" in x and len(x) < 60 and not re.search("[，,。]", x)), "")
    header = [f"标题: {title}", "发布时间: ", "文号: ", "发布机构: ", "栏目: 政府信息公开年报",
              "原文链接: http://www.example.gov.cn/", "本地目录: ", "页面链接与图片详见 links.tsv(同目录)",
              "==================== 正文 ===================="]
    yield from _u("\n".join(header) + "\n" + body + "\n", src)


# --------------------------------------------------------------------------- rebuilt layouts


def _rebuilt(name: str, layout_class: str, tables, suffix: str = ".md", head: str = "md", **fmt):
    def fn(src, rng):
        text = rebuild(src, tables, head=head, **fmt)
        if text is not None:
            yield text.encode("utf-8"), suffix, ""
    fn.__doc__ = (tables.__doc__ or "").strip().splitlines()[0] if tables.__doc__ else name
    transform(name, layout_class)(fn)
    return fn


_rebuilt("md_pipe", "4", _tables_pipe).__doc__ = "Markdown, each table one pipe table, merged cells blank (PDF→markdown)."
_rebuilt("md_split", "4", _tables_md_split)
_rebuilt("md_offset", "4", _tables_md_offset)
_rebuilt("ocr_md", "5", _tables_ocr)
_rebuilt("md_loose_note", "4", _tables_loose_note)
_rebuilt("md_merged_repeated", "4", _tables_merged_repeated)
_rebuilt("md_wrong_headings", "5", _tables_wrong_headings)
_rebuilt("md_units", "1", _tables_pipe, units=True).__doc__ = "md_pipe whose table-2 cells carry units (1个, 15件, 246900元; class 1)."

_rebuilt("tsv", "4", _tables_tsv, suffix=".txt").__doc__ = "Tab-separated table rows (PDF text), markdown prose."
_rebuilt("cell_per_line", "1", _tables_cell_per_line, suffix=".txt", head="crawler").__doc__ = (
    "Crawler page whose tables became one cell per line (HTML block cells, as seeds 000/004).")
_rebuilt("label_apart", "4", _tables_label_apart, suffix=".txt").__doc__ = (
    "Each table row's label on one line and its numbers on the next (PDF text extraction).")
_rebuilt("md_thousands", "4", _tables_pipe, thousands=True).__doc__ = "md_pipe with thousands separators (1,234)."
_rebuilt("md_fullwidth", "4", _tables_pipe, fullwidth=True).__doc__ = "md_pipe with full-width digits in the cells."
for _n in ("md_pipe", "md_thousands", "md_fullwidth", "tsv", "cell_per_line", "label_apart", "md_units"):
    TRANSFORMS[_n].doc = TRANSFORMS[_n].fn.__doc__


@transform("html_table", "2")
def t_html(src, rng):
    """The page as a CMS HTML page, tables with the official merged cells (Word pasted into a CMS)."""
    text = html_page(src)
    if text:
        yield text.encode("utf-8"), ".html", ""


@transform("html_spans", "2")
def t_html_spans(src, rng):
    """html_table whose table-2 data cells span other grid columns than their header cells (class 2)."""
    text = html_page(src, spans=True)
    if text:
        yield text.encode("utf-8"), ".html", ""


@transform("html_units", "1")
def t_html_units(src, rng):
    """html_table whose table-2 cells carry their units (1个, 15件, 246900元; class 1)."""
    text = html_page(src, units=True)
    if text:
        yield text.encode("utf-8"), ".html", ""


def _office(target: str, spans: bool = False):
    def fn(src, rng):
        if src.kind == "html":
            data = src.raw
        else:
            text = html_page(src, spans=spans)
            if text is None:
                return
            data = text.encode("utf-8")
        got = office_convert([(src.name, data, ".html")], target)
        if src.name in got:
            yield got[src.name], f".{target}", ""
    return fn


for _t in ("docx", "pdf"):
    _f = _office(_t)
    _f.__doc__ = (f"The real CMS page, or html_table of a crawler page, converted to {_t.upper()} by "
                  f"LibreOffice headless (a Word/PDF edition of the same report, class 9).")
    transform(f"office_{_t}", "9", office=True)(_f)
_f = _office("txt")
_f.__doc__ = ("The real CMS page, or html_table of a crawler page, saved as plain text by LibreOffice "
              "(Word's 'save as text': one table cell per line; class 1/9).")
transform("office_txt", "9", office=True)(_f)


@transform("pdf_text", "6", office=True)
def t_pdf_text(src, rng):
    """The text copied out of office_pdf (pdfplumber, page by page): PDF lines, a title wrapped,
    table rows as runs of space-separated cells (class 6)."""
    import pdfplumber

    for data, _, _ in TRANSFORMS["office_pdf"].fn(src, rng):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        yield text.encode("utf-8"), ".txt", ""


def distinct_truth(src: Source) -> dict | None:
    """The source's truth with every printed number replaced by a varied one, the table's arithmetic
    kept (row totals, （七）总计, 一+二 = 三+四, table 4 totals); blanks stay blank. Zeros hide a number
    read into the neighbouring cell: these copies make such a shift visible. Deterministic per source."""
    if src.truth is None:
        return None
    rng = random.Random(f"distinct:{src.name}")
    truth = json.loads(json.dumps(src.truth))
    num = (int, float)

    def put(d, k, v):
        if isinstance(d.get(k), num) and not isinstance(d.get(k), bool):
            d[k] = v

    version = _version(truth)
    for ar in T.ACTIVE_ROWS[version]:
        for f in ar.fields:
            if f.kind == "amount":
                v = round(rng.uniform(1, 900), 2)
            elif f.kind == "signed":
                v = rng.choice([-1, 1]) * rng.randint(1, 30)
            else:
                v = rng.randint(1, 400)
            put(truth["tables"]["active"][ar.key], f.key, v)
    req = truth["tables"]["requests"]
    parts = T.REQUEST_PARTS
    rows = [r.key for r in T.request_rows(version, "other_other" in req)]
    results = T.result_row_keys(rows)

    def val(key, col):
        v = req[key][col]
        return v if isinstance(v, num) and not isinstance(v, bool) else 0

    for key in results + ("carried_forward", "carried_over"):
        for c in parts:
            put(req[key], c, rng.randint(0, 9))
    for c in parts:
        put(req["processed_total"], c, sum(val(k, c) for k in results))
        put(req["new_received"], c, max(0, val("processed_total", c) + val("carried_forward", c) - val("carried_over", c)))
        if val("new_received", c) + val("carried_over", c) != val("processed_total", c) + val("carried_forward", c):
            put(req["carried_forward"], c, val("new_received", c) + val("carried_over", c) - val("processed_total", c))
    for key in rows:
        put(req[key], "total", sum(val(key, c) for c in parts))
    for b in T.APPEAL_BLOCK_KEYS:
        blk = truth["tables"]["appeals"][b]
        for f in T.APPEAL_PARTS:
            put(blk, f, rng.randint(0, 6))
        put(blk, "total", sum(blk[f] for f in T.APPEAL_PARTS if isinstance(blk[f], num)))
    return truth


def _distinct(name: str):
    base = TRANSFORMS[name]

    def fn(src, rng):
        truth = distinct_truth(src)
        if truth is None or src.kind == "html":
            return
        for data, suffix, variant, *_ in base.fn(replace(src, truth=truth), rng):
            yield data, suffix, variant, truth
    fn.__doc__ = f"{name} with varied numbers (arithmetic kept; the truth is the printed numbers)."
    transform(f"{name}+distinct", base.layout_class, office=base.office)(fn)


for _n in ("md_pipe", "md_split", "md_offset", "md_loose_note", "md_merged_repeated", "md_wrong_headings", "md_units",
           "html_units", "ocr_md", "tsv", "cell_per_line", "label_apart", "md_thousands",
           "html_table", "html_spans", "office_docx", "office_pdf", "office_txt", "pdf_text"):
    _distinct(_n)


def prefetch_office(srcs: list[Source]) -> None:
    """Convert every office case in two LibreOffice runs (instead of one per file)."""
    for target in ("docx", "pdf", "txt"):
        items = []
        for src in srcs:
            if src.kind == "html":
                items.append((src.name, src.raw, src.suffix))
            else:
                for variant in (src, replace(src, truth=distinct_truth(src))):
                    text = html_page(variant) if variant.truth else None
                    if text:
                        items.append((src.name + str(len(items)), text.encode("utf-8"), ".html"))
        office_convert(items, target)


# --------------------------------------------------------------------------- driver


def cases(srcs: list[Source] | None = None, only: list[str] | None = None, office: bool = True,
          seed: int = 0) -> Iterator[Case]:
    srcs = sources() if srcs is None else srcs
    names = [n for n in TRANSFORMS if (not only or n in only) and (office or not TRANSFORMS[n].office)]
    if office and any(TRANSFORMS[n].office for n in names):
        prefetch_office(srcs)
    for name in names:
        for src in srcs:
            rng = random.Random(f"{seed}:{name}:{src.name}")
            for data, suffix, variant, *truth in TRANSFORMS[name].fn(src, rng):
                yield Case(src, name, data, suffix, variant, truth[0] if truth else None)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="/tmp/probe/cases")
    ap.add_argument("--only", nargs="*", help="transformations to apply (default: all)")
    ap.add_argument("--docs", nargs="*", help="only sources whose name contains one of these")
    ap.add_argument("--no-office", action="store_true", help="skip the LibreOffice conversions")
    ap.add_argument("--list", action="store_true", help="list the transformations and exit")
    args = ap.parse_args(argv)
    if args.list:
        for t in TRANSFORMS.values():
            print(f"{t.name:20s} [{t.layout_class}] {t.doc}")
        return 0
    srcs = [s for s in sources() if not args.docs or any(d in s.name for d in args.docs)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for case in cases(srcs, args.only, office=not args.no_office):
        (out / case.file_name).write_bytes(case.data)
        print(f"{case.file_name}\t{case.source.name}\t{case.transform}\t{case.variant}")
        n += 1
    print(f"{n} files in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
