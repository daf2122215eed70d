"""Render a :class:`~nianbao.model.Report` into the text of a published report, in the layouts
reports arrive in (the seeds in ``samples/seeds/`` and the wild).

Each layout is a plain function ``to_<layout>(report, rng=None, **options) -> str``:

- ``to_cell_per_line``: every cell on its own line, blank lines between, labels split over lines
  (``商业`` / ``企业``), NBSP lines (seeds 000, 004: text copied from a web page);
- ``to_pipe``: ``label | v | v | … |`` with ``||`` padding (seed 001);
- ``to_tsv_shifted``: tab-separated PDF extraction: merged label columns leave empty fields, numbers
  shifted by a field or two, label fragments broken over lines (seeds 002, 003);
- ``to_markdown_pdf``: markdown from a PDF converter: pipe tables, rows whose label and numbers land
  on different lines, page breaks with repeated headers;
- ``to_run_together``: crawler text where a row's cells ran together with no separator
  (``规章000行政规范性文件8855698``).

Without ``rng`` a layout renders plainly (official labels, ``0`` for zero, LF); with an ``rng`` every
presentation option not given explicitly is drawn at random. Options common to all layouts:

``zero``            the token for a zero cell: ``"0"``, ``"/"``, ``"—"``, ``"-"``, ``"无"``, or
                    ``"mixed"`` (drawn per cell);
``blank``           dotted cell paths to leave empty (as if the report left them blank);
``thousands``       write counts ≥ 1000 as ``1,234``;
``decimals``        write whole 万元 amounts with two decimals (``12.00``);
``traditional``     labels in traditional characters (opencc s2t);
``halfwidth``       labels with half-width punctuation (``(一)``, ``:``, ``,``);
``crlf``            CRLF line ends;
``chrome``          breadcrumbs, share buttons, page headers/footers around the text;
``wrap``            break long labels over two lines;
``other_split``     is taken from the report (three （六） sub-rows or one row);
``appeals_flat``    table 4 as one flat row of 15 numbers (else one labelled row per block);
``signature``       state the publication date as a signature at the end instead of 发布日期;
``fullwidth_digits`` print numbers in full-width digits (``１２``), as some word processors do.

Labels come from :mod:`nianbao.template` only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from .. import template as T
from ..model import Report

ZERO_TOKENS = ("0", "/", "—", "-", "无")
LAYOUTS = ("cell_per_line", "pipe", "tsv_shifted", "markdown_pdf", "run_together")

_HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ",", "；": ";"})
_FULL_DIGITS = str.maketrans("0123456789.", "０１２３４５６７８９．")

# Variants of labels met in published reports, accepted by the template's keywords.
_ROW_LABEL_VARIANTS = {
    "denied_prohibited": ("其他法律法规禁止公开",),
}
_ACTIVE_LABEL_VARIANTS = {"normative_documents": ("规范性文件", "行政规范性文件")}


@lru_cache(maxsize=1)
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


# --------------------------------------------------------------------------- style


@dataclass
class Style:
    zero: str = "0"
    blank: frozenset = frozenset()
    thousands: bool = False
    decimals: bool = False
    traditional: bool = False
    halfwidth: bool = False
    crlf: bool = False
    chrome: bool = False
    wrap: bool = False
    appeals_flat: bool = True
    signature: bool = False
    variants: bool = False
    fullwidth_digits: bool = False
    drawn: bool = False  # options were drawn from an rng (else the plain rendering)
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    extra: dict = field(default_factory=dict)

    def label(self, text: str) -> str:
        if self.halfwidth:
            text = text.translate(_HALF)
        if self.traditional:
            text = _s2t().convert(text)
        return text

    def number(self, value, path: str = "") -> str:
        """The printed form of a cell value; ``""`` for a blank cell."""
        text = self._number(value, path)
        return text.translate(_FULL_DIGITS) if self.fullwidth_digits else text

    def _number(self, value, path: str = "") -> str:
        if path in self.blank or value is None:
            return ""
        if value == 0 and not isinstance(value, float):
            z = self.zero
            return self.rng.choice(ZERO_TOKENS) if z == "mixed" else z
        if isinstance(value, float):
            text = f"{value:,.2f}" if self.thousands else f"{value:.2f}"
            if not self.decimals:
                text = text.rstrip("0").rstrip(".") if "." in text else text
                if text in ("", "-"):
                    text = "0"
            return text
        if path.endswith(".amount") and self.decimals:
            return f"{value:,.2f}" if self.thousands else f"{value:.2f}"
        if self.thousands and abs(value) >= 1000:
            return f"{value:,}"
        return str(value)


_STYLE_FIELDS = {
    "zero", "blank", "thousands", "decimals", "traditional", "halfwidth", "crlf", "chrome", "wrap",
    "appeals_flat", "signature", "variants", "fullwidth_digits",
}


def make_style(rng: Optional[random.Random], options: dict) -> Style:
    """The presentation of one rendering: options given win; the rest drawn from ``rng`` (or plain)."""
    unknown = set(options) - _STYLE_FIELDS
    style = Style(rng=rng or random.Random(0))
    if rng is not None:
        style.drawn = True
        style.zero = rng.choice(ZERO_TOKENS + ("mixed",)) if rng.random() < 0.5 else "0"
        style.thousands = rng.random() < 0.2
        style.decimals = rng.random() < 0.3
        style.traditional = rng.random() < 0.1
        style.halfwidth = rng.random() < 0.4
        style.crlf = rng.random() < 0.2
        style.chrome = rng.random() < 0.5
        style.wrap = rng.random() < 0.3
        style.appeals_flat = rng.random() < 0.8
        style.signature = rng.random() < 0.3
        style.variants = rng.random() < 0.3
        style.fullwidth_digits = rng.random() < 0.05
    for k, v in options.items():
        if k in _STYLE_FIELDS:
            setattr(style, k, frozenset(v) if k == "blank" else v)
    style.extra = {k: options[k] for k in unknown}
    return style


# --------------------------------------------------------------------------- the document as rows


@dataclass
class Row:
    """One table row: label fragments (merged group columns first) and printed values."""

    labels: list[str]
    values: list[str]
    key: str = ""  # "active.<row>", "requests.<row>", "appeals" or "appeals.<block>"
    raw: list = field(default_factory=list)  # the model values, for run-together decisions


@dataclass
class Table:
    key: str  # active / requests / appeals
    headers: list[list[str]]  # header lines, each a list of cells
    rows: list  # Row, or a list of str for an in-table header line (table 2 sub-headers)


def _active_table(r: Report, s: Style) -> Optional[Table]:
    act = r.tables.active
    if act is None:
        return None
    version = r.meta.template or "2021"
    rows: list = []
    caption = None
    fields = None
    for ar in T.ACTIVE_ROWS[version]:
        if ar.key not in act:
            continue
        field_labels = [f.label for f in ar.fields]
        if ar.key == "procurement" and s.variants:
            field_labels = [ar.fields[0].label, "采购总金额（单位：万元，保留4位小数）"]
        if ar.caption != caption or field_labels != fields:
            rows.append([s.label(ar.caption)])
            rows.append([s.label("信息内容")] + [s.label(x) for x in field_labels])
            caption, fields = ar.caption, field_labels
        label = ar.label
        if s.variants and ar.key in _ACTIVE_LABEL_VARIANTS:
            label = s.rng.choice(_ACTIVE_LABEL_VARIANTS[ar.key])
        vals = [act[ar.key].get(f.key) for f in ar.fields]
        rows.append(
            Row(
                [s.label(label)],
                [s.number(v, T.ac(ar.key, f.key)) for v, f in zip(vals, ar.fields)],
                f"active.{ar.key}",
                vals,
            )
        )
    return Table("active", [], rows)


def _request_rows(r: Report) -> list[T.RequestRow]:
    present = r.tables.requests or {}
    return [row for row in T.REQUEST_ROWS if row.key in present]


def _requests_table(r: Report, s: Style) -> Optional[Table]:
    req = r.tables.requests
    if req is None:
        return None
    rows = []
    seen_groups: set = set()
    for rr in _request_rows(r):
        label = rr.label
        if s.variants and rr.key in _ROW_LABEL_VARIANTS:
            label = s.rng.choice(_ROW_LABEL_VARIANTS[rr.key])
        labels = []
        # the merged group cells: 三、本年度办理结果 sits before （一）; （三）不予公开 before 1. …
        groups = []
        if rr.group is not None:
            outer = "三、本年度办理结果"
            if rr.group == outer:
                groups = [outer]
            else:
                groups = [outer, rr.group] if outer not in seen_groups else [rr.group]
        elif rr.key in ("other_handling", "processed_total") and "三、本年度办理结果" not in seen_groups:
            groups = ["三、本年度办理结果"]
        for g in groups:
            if g not in seen_groups:
                labels.append(g)
                seen_groups.add(g)
        labels.append(f"{rr.number}{label}")
        vals = [req[rr.key].get(c) for c in T.REQUEST_COLUMN_KEYS]
        rows.append(
            Row(
                [s.label(x) for x in labels],
                [s.number(v, T.rq(rr.key, c)) for v, c in zip(vals, T.REQUEST_COLUMN_KEYS)],
                f"requests.{rr.key}",
                vals,
            )
        )
    return Table("requests", [], rows)


def _appeals_table(r: Report, s: Style) -> Optional[Table]:
    app = r.tables.appeals
    if app is None:
        return None
    rows = []
    if s.appeals_flat:
        vals, printed = [], []
        for b in T.APPEAL_BLOCK_KEYS:
            for f in T.APPEAL_FIELD_KEYS:
                v = app.get(b, {}).get(f)
                vals.append(v)
                printed.append(s.number(v, T.ap(b, f)))
        rows.append(Row([], printed, "appeals", vals))
    else:
        for b, bl in T.APPEAL_BLOCKS:
            vals = [app.get(b, {}).get(f) for f in T.APPEAL_FIELD_KEYS]
            label = bl.split("·")[-1]
            rows.append(
                Row(
                    [s.label(label)],
                    [s.number(v, T.ap(b, f)) for v, f in zip(vals, T.APPEAL_FIELD_KEYS)],
                    f"appeals.{b}",
                    vals,
                )
            )
    return Table("appeals", [], rows)


def _split_label(text: str, rng: random.Random) -> list[str]:
    """Break a long label in two, never inside its number prefix (``（一）``, ``1.``, ``一、``)."""
    if len(text) < 10:
        return [text]
    start = 4
    for i, ch in enumerate(text[:5]):
        if ch in "、.）)":
            start = i + 4
    if start >= len(text) - 3:
        return [text]
    cut = rng.randint(start, len(text) - 3)
    return [text[:cut], text[cut:]]


# --------------------------------------------------------------------------- text around the tables


def _published_line(r: Report, s: Style) -> str:
    p = r.meta.published
    if not p:
        return ""
    y, m, d = p.split("-")
    form = s.rng.randrange(5) if s.drawn else 0
    if form == 0:
        return f"发布日期：{p}"
    if form == 1:
        return f"发布日期: {y}- {m}- {d} 09: 50 浏览次数: 来源: {r.meta.agency} 字体:[ 大 中 小 ]"
    if form == 2:
        return f"  • 发布时间:{p} 14:26:56"
    if form == 3:
        return f"时间：{y}/{int(m)}/{int(d)}　来源：{r.meta.agency}"
    return f"发布时间：{y}年{int(m)}月{int(d)}日"


def _signature(r: Report) -> list[str]:
    p = r.meta.published
    if not p:
        return [r.meta.agency or ""]
    y, m, d = (int(x) for x in p.split("-"))
    return [r.meta.agency or "", f"{y}年{m}月{d}日"]


_NUMBERING = ("{n}、", "{n}．", "{n}. ", "{n} ", "第{n}部分 ", "{n}、 ")


def _chapter_heading(key: str, s: Style) -> str:
    """The official heading; with ``variants`` sometimes a wording met in the wild, or the same
    words numbered irregularly (``一．``, ``第一部分``, ``一 ``)."""
    ch = T.CHAPTER_BY_KEY[key]
    heading = ch.heading
    if s.variants and ch.variants and s.rng.random() < 0.5:
        heading = s.rng.choice(ch.variants)
    if s.variants and s.rng.random() < 0.3:
        heading = s.rng.choice(_NUMBERING).format(n=ch.number) + heading.split("、", 1)[1]
    return s.label(heading)


def _intro(r: Report) -> str:
    y = r.meta.year
    return (
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，编制本年度报告。"
        f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
    )


_BREADCRUMBS = (
    "您现在的位置：首页 > 政务公开 > 政府信息公开年报",
    "\xa0>\xa0信息公开年报\xa0>\xa0政府信息公开工作年度报告",
    "首页 >> 信息公开 >> 年度报告",
)
_SHARE = ("分享到：微信 微博 QQ空间", "【打印本页】【关闭窗口】", "上一篇：\n下一篇：", "扫一扫在手机打开当前页")


@dataclass
class Doc:
    """The parts every layout arranges: title block, chapters (text and tables), closing."""

    head: list[str]
    chapters: list[tuple[str, str, Optional[Table]]]  # (heading, text, table)
    tail: list[str]


def _doc(r: Report, s: Style) -> Doc:
    head: list[str] = []
    if s.chrome:
        head.append(s.rng.choice(_BREADCRUMBS))
    head.append(r.meta.title or "")
    if not s.signature:
        head.append(_published_line(r, s))
    head.append(_intro(r))
    tables = {
        "active": _active_table(r, s),
        "requests": _requests_table(r, s),
        "appeals": _appeals_table(r, s),
    }
    chapters = []
    for ch in T.CHAPTERS:
        text = getattr(r.sections, ch.key) or ""
        chapters.append((_chapter_heading(ch.key, s), text, tables.get(ch.key)))
    tail: list[str] = []
    if s.signature:
        tail += _signature(r)
    if s.chrome:
        tail.append(s.rng.choice(_SHARE))
    return Doc(head, chapters, tail)


def _finish(lines: list[str], s: Style) -> str:
    text = "\n".join(lines) + "\n"
    if s.crlf:
        text = text.replace("\n", "\r\n")
    return text


# --------------------------------------------------------------------------- header cells


def _request_header_cells(s: Style) -> list[list[str]]:
    """Table 3's header as lines of cells (申请人情况 / 自然人 法人或其他组织 总计 / the five kinds)."""
    parts = [T.REQUEST_COLUMN_LABEL[c] for c in T.REQUEST_PARTS[1:]]
    return [
        [s.label(T.REQUEST_HEADER_NOTE), s.label("申请人情况")],
        [s.label("自然人"), s.label("法人或其他组织"), s.label("总计")],
        [s.label(x) for x in parts],
    ]


def _appeal_header_cells(s: Style) -> list[list[str]]:
    fields = [s.label(fl) for _, fl in T.APPEAL_FIELDS]
    return [
        [s.label("行政复议"), s.label("行政诉讼")],
        fields + [s.label("未经复议直接起诉"), s.label("复议后起诉")],
        fields + fields,
    ]


# --------------------------------------------------------------------------- layouts


def to_cell_per_line(report: Report, rng: random.Random | None = None, **options) -> str:
    """Seeds 000/004: every cell on its own line, blank lines (sometimes NBSP lines) between."""
    s = make_style(rng, options)
    out: list[str] = []

    def put(line: str) -> None:
        out.append(line)
        out.append("")
        if s.rng.random() < 0.05:
            out.extend(["", "\xa0", ""])

    def put_label(text: str) -> None:
        for part in _split_label(text, s.rng) if s.wrap and s.rng.random() < 0.3 else [text]:
            put(part)

    d = _doc(report, s)
    for line in d.head:
        put(line)
    for heading, text, table in d.chapters:
        put(heading)
        for para in filter(None, text.split("\n")):
            put(para)
        if table is None:
            continue
        if table.key == "requests":
            put(s.label(T.REQUEST_HEADER_NOTE))
            put(s.label("申请人情况"))
            for x in ("自然人", "法人或其他组织", "总计"):
                put(s.label(x))
            for c in T.REQUEST_PARTS[1:]:
                lab = s.label(T.REQUEST_COLUMN_LABEL[c])
                if len(lab) == 4 and s.rng.random() < 0.7:  # 商业/企业, 科研/机构
                    out.extend([lab[:2], lab[2:], ""])
                else:
                    put(lab)
        if table.key == "appeals":
            for cells in _appeal_header_cells(s):
                for c in cells:
                    if len(c) == 4 and c not in ("行政复议", "行政诉讼") and s.rng.random() < 0.5:
                        out.extend([c[:2], c[2:], ""])
                    else:
                        put(c)
        for row in table.rows:
            if isinstance(row, list):
                for c in row:
                    put(c)
                continue
            for lab in row.labels:
                put_label(lab)
            nbsp = table.key == "appeals" and s.rng.random() < 0.5
            for v in row.values:
                if v == "":
                    continue  # a blank cell leaves no line at all
                put(("\xa0" + v) if nbsp else v)
    for line in d.tail:
        put(line)
    return _finish(out, s)


def to_pipe(report: Report, rng: random.Random | None = None, **options) -> str:
    """Seed 001: ``label | v | v | … |``, padded with ``||`` to the widest row."""
    s = make_style(rng, options)
    out: list[str] = []
    d = _doc(report, s)
    out.extend(x for x in d.head if x)

    def line(cells: list[str], width: int) -> str:
        pad = max(0, width - len(cells))
        return " | ".join(cells) + " |" + "|" * pad

    for heading, text, table in d.chapters:
        out.append(heading)
        out.extend(filter(None, text.split("\n")))
        if table is None:
            continue
        if table.key == "requests":
            for cells in _request_header_cells(s):
                out.append(line(cells, 9))
            width = 9
        elif table.key == "appeals":
            for cells in _appeal_header_cells(s):
                out.append(line(cells, 15))
            width = 15
        else:
            width = 4
        for row in table.rows:
            if isinstance(row, list):
                out.append(line(row, width))
            else:
                out.append(line(row.labels + row.values, width))
    out.extend(x for x in d.tail if x)
    return _finish(out, s)


def to_tsv_shifted(report: Report, rng: random.Random | None = None, **options) -> str:
    """Seeds 002/003: tab-separated PDF text; merged label columns leave empty fields, numbers are
    shifted by an empty field or two, some label fragments land on their own line, a space splits a
    label, and (with ``chrome``) page footers and a running title cut through the tables.

    Extra option ``shift`` (probability a data row gets extra empty fields, default 0.3 with an rng).
    """
    s = make_style(rng, options)
    shift = s.extra.get("shift", 0.3 if rng is not None else 0.0)
    page = 1
    out: list[str] = []
    d = _doc(report, s)
    for x in d.head:
        title = report.meta.title or ""
        if x and x == title and s.wrap and f"{report.meta.year}年" in title:
            cut = title.index(f"{report.meta.year}年")  # a PDF title set on two lines
            out.extend([title[:cut], title[cut:]])
        elif x:
            out.append(x)
    for heading, text, table in d.chapters:
        out.extend(["", heading, ""])
        for para in filter(None, text.split("\n")):
            out.extend([para, ""])
        if table is None:
            continue
        if table.key == "requests" and s.wrap:  # seed 002: the header's words cut across lines
            note, who = _request_header_cells(s)[0]
            cut = len(note) // 2
            parts = "\t".join(_request_header_cells(s)[2])
            nat, tot = s.label("自然人"), s.label("总计")
            out.append(f"{note[:cut]}\t{who}\t\t")
            out.append(f"\t{nat[:2]}\t{s.label('法人或其他组织')}\t{tot[0]}")
            out.append("")
            out.append(f"{note[cut:]}\t\t{nat[2:]}\t{parts}\t{tot[1:]}\t")
        elif table.key == "requests":
            note, who = _request_header_cells(s)[0]
            out.append(f"{note}\t{who}\t\t")
            out.append("\t" + "\t".join(_request_header_cells(s)[1]))
            out.append("\t\t" + "\t".join(_request_header_cells(s)[2]) + "\t")
        if table.key == "appeals":
            h = _appeal_header_cells(s)
            if s.wrap:  # seed 002: "结果 维持", "总 计"
                h = [[c if len(c) != 4 or c.startswith("行政") else f"{c[:2]} {c[2:]}" for c in line] for line in h]
                h = [[f"{c[0]} {c[1]}" if len(c) == 2 else c for c in line] for line in h]
            out.append(h[0][0] + "\t" * 5 + h[0][1] + "\t" * 9)
            out.append("\t".join(h[1][:5]) + "\t" + h[1][5] + "\t" * 5 + h[1][6] + "\t" * 4)
            out.append("\t" * 5 + "\t".join(h[2][5:]))
        for row in table.rows:
            if isinstance(row, list):
                out.append("\t".join(row) + "\t" * max(0, 4 - len(row)))
                continue
            labels = list(row.labels)
            if table.key == "requests" and labels:
                # merged label columns: a row inside a group starts with empty fields
                depth = 2 if labels[-1][:1].isdigit() else 1 if labels[-1].startswith(("（", "(")) else 0
                lead = ["" for _ in range(max(0, depth - (len(labels) - 1)))]
                labels = lead + labels
            pre, post = [], []
            if labels and s.wrap and len(labels[-1]) > 20 and s.rng.random() < 0.3:
                # a tall label cell: its first words above the numbers, its last words below
                text = labels[-1]
                a = s.rng.randint(5, len(text) // 2)
                b = s.rng.randint(a + 2, len(text) - 3)
                pre, labels[-1], post = [text[:a]], text[a:b], [text[b:]]
            elif labels and s.wrap and s.rng.random() < 0.3:
                parts = _split_label(labels[-1], s.rng)
                if len(parts) == 2:
                    pre = [parts[0]]
                    labels[-1] = parts[1]
            if labels and len(labels[-1]) > 12 and s.rng.random() < 0.1:  # "重新 出具": a PDF gap
                cut = s.rng.randint(6, len(labels[-1]) - 3)
                labels[-1] = labels[-1][:cut] + " " + labels[-1][cut:]
            gap = [""] * (s.rng.randint(1, 2) if shift and s.rng.random() < shift else 0)
            tail = [""] * (1 if s.rng.random() < 0.4 else 0)
            out.extend(pre)
            out.append("\t".join(labels + gap + row.values + tail))
            out.extend(post)
            if s.chrome and s.rng.random() < 0.05:  # a page break: footer, then the page's header
                page += 1
                out.extend(["", s.rng.choice((f"— {page} —", f"第 {page} 页 共 {page + 3} 页", f"- {page} -")), ""])
                if s.rng.random() < 0.5:
                    out.append(report.meta.title or "")
                if table.key == "requests" and s.rng.random() < 0.5:  # the table's header repeated
                    out.append("\t" + "\t".join(_request_header_cells(s)[1]))
                    out.append("\t\t" + "\t".join(_request_header_cells(s)[2]) + "\t")
    out.append("")
    out.extend(x for x in d.tail if x)
    return _finish(out, s)


def to_markdown_pdf(report: Report, rng: random.Random | None = None, **options) -> str:
    """Markdown from a PDF converter: ``#`` headings, pipe tables with ``|---|`` rules, rows whose
    label and numbers land on different lines, page breaks that repeat the table header.

    Extra option ``split_rows`` (probability a row's numbers go to the next line; 0.4 with an rng).
    """
    s = make_style(rng, options)
    split_rows = s.extra.get("split_rows", 0.4 if rng is not None else 0.0)
    out: list[str] = []
    d = _doc(report, s)
    page = 1
    for x in d.head:
        if x == report.meta.title:
            out.extend([f"# {x}", ""])
        elif x:
            out.extend([x, ""])

    def md(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    for heading, text, table in d.chapters:
        out.extend([f"## {heading}", ""])
        for para in filter(None, text.split("\n")):
            out.extend([para, ""])
        if table is None:
            continue
        if table.key == "requests":
            header = [md(c) for c in _request_header_cells(s)]
        elif table.key == "appeals":
            header = [md(c) for c in _appeal_header_cells(s)]
        else:
            header = []
        rule = "|" + "---|" * 4
        out.extend(header[:1] + [rule] + header[1:])
        for i, row in enumerate(table.rows):
            if s.chrome and i and s.rng.random() < 0.04:
                page += 1
                out.extend(["", f"第 {page} 页 共 {page + 2} 页", ""] + header[:1] + [rule] + header[1:])
            if isinstance(row, list):
                out.append(md(row))
                continue
            labels = list(row.labels)
            if labels and s.wrap and s.rng.random() < 0.3:  # the label's cell wraps onto a line of its own
                parts = _split_label(labels[-1], s.rng)
                if len(parts) == 2:
                    out.append(md(labels[:-1] + [parts[0]]))
                    labels = [parts[1]]
            if labels and split_rows and s.rng.random() < split_rows:
                out.append(md(labels))
                out.append(md(row.values))
            else:
                out.append(md(labels + row.values))
        out.append("")
    out.extend(x for x in d.tail if x)
    return _finish(out, s)


def _can_run(row: Row) -> bool:
    """A row can be printed run together only if every cell is a plain non-negative number."""
    return all(v is not None and v >= 0 for v in row.raw)


def to_run_together(report: Report, rng: random.Random | None = None, **options) -> str:
    """Crawler text: a row's numbers ran together with no separator (``规章000``), table 2 on one line.

    Extra option ``run``: the row keys (``active.<row>``, ``requests.<row>``, ``appeals`` or
    ``appeals.<block>``) to print run together; the other rows get a space between numbers.
    Default: every row that can be (rows with a negative number cannot). A run-together row prints
    ``0`` for zero and no thousands separator, whatever the options say.
    """
    s = make_style(rng, options)
    run = s.extra.get("run")
    plain = Style(**{**s.__dict__, "zero": "0", "thousands": False, "blank": frozenset()})
    out: list[str] = []
    d = _doc(report, s)
    out.extend(x for x in d.head if x)
    for heading, text, table in d.chapters:
        out.append(heading)
        out.extend(filter(None, text.split("\n")))
        if table is None:
            continue
        if table.key == "requests":
            out.append("".join(c for cells in _request_header_cells(s) for c in cells))
        if table.key == "appeals":
            out.append("".join(c for cells in _appeal_header_cells(s) for c in cells))
        line: list[str] = []
        for row in table.rows:
            if isinstance(row, list):
                if len(row) == 1 and line and s.rng.random() < 0.5:  # a new 第二十条 caption
                    out.append("".join(line))
                    line = []
                line.append("".join(row))
                continue
            together = _can_run(row) and (run is None or row.key in run)
            if together:
                nums = "".join(plain.number(v, "x.amount" if isinstance(v, float) else "") for v in row.raw)
                sep = " " if table.key == "requests" and s.rng.random() < 0.3 else ""
                line.append("".join(row.labels) + sep + nums)
            else:  # the cells of this row kept their spaces (and one after the last)
                line.append("".join(row.labels) + " " + " ".join(row.values) + " ")
            if table.key != "active":
                out.append("".join(line))
                line = []
        if line:
            out.append("".join(line))
    out.extend(x for x in d.tail if x)
    return _finish(out, s)


RENDERERS = {
    "cell_per_line": to_cell_per_line,
    "pipe": to_pipe,
    "tsv_shifted": to_tsv_shifted,
    "markdown_pdf": to_markdown_pdf,
    "run_together": to_run_together,
}


def render(report: Report, layout: str, rng: random.Random | None = None, **options) -> str:
    """Render ``report`` in the named layout (one of :data:`LAYOUTS`)."""
    try:
        fn = RENDERERS[layout]
    except KeyError:
        raise ValueError(f"unknown layout {layout!r}; expected one of {', '.join(LAYOUTS)}") from None
    return fn(report, rng, **options)
