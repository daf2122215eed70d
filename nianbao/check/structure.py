"""The format itself: template version against year, titles, chapters, tables, labels, blank and
unreadable cells, the notice cited as the basis (format spec §4.1, §8 O1–O7).

Several rules read what the extractor recorded in ``report.notes`` (codes ``label_variant``,
``heading_variant``, ``tables_as_images``, ``blank_cells``, ``row_missing`` …); the others look at
the report itself, so that they also work on reports built in code.
"""

from __future__ import annotations

import re
from typing import Iterator

from .. import template as T
from ..model import Finding, Note, Report
from .cells import other_split
from .registry import Rule, rule
from .texts import report_texts


def notes(report: Report, *codes: str) -> list[Note]:
    return [n for n in report.notes if n.code in codes]


def _said(n: Note) -> str:
    """What a reader's note says, as the first clause of a finding's message."""
    return n.message.rstrip("。；;，, ")


def _has_images(report: Report) -> bool:
    return bool(notes(report, "tables_as_images"))


@rule(
    "template.version_year",
    "warning",
    "表格格式版本与报告年度不符",
    "本报告为{year}年度报告，应使用{required}年版格式（{notice}），实际使用的是{used}年版格式",
    "2019年、2020年的年报使用国办公开办函〔2019〕60号的试行格式；自2021年度报告起使用"
    "国办公开办函〔2021〕30号的格式（表二栏目不同，表三（六）分为三项）。",
)
def version_year(r: Rule, report: Report) -> Iterator[Finding]:
    year, actual = report.meta.year, report.meta.template
    expected = T.template_for_year(year)
    if expected and actual and expected != actual:
        yield r.finding(year=year, required=expected, used=actual, notice=T.FORMAT_NOTICES[expected])


@rule(
    "template.title",
    "warning",
    "报告缺少标题",
    "报告未见标题（应为“机关名称+{year}年政府信息公开工作年度报告”）",
    "标题写明发布机关和报告年度，是识别年报的依据；没有标题时机关和年度只能从正文推断。",
)
def title(r: Rule, report: Report) -> Iterator[Finding]:
    if not report.meta.title:
        yield r.finding(year=report.meta.year or "××")


@rule(
    "template.chapter_missing",
    "warning",
    "缺少规定的部分",
    "报告缺少规定的部分：{chapters}",
    "年报格式规定六个部分（总体情况、主动公开、依申请公开、复议诉讼、问题及改进、其他事项），"
    "对应条例第五十条各项内容，不能遗漏。",
)
def chapter_missing(r: Rule, report: Report) -> Iterator[Finding]:
    missing = [c for c in T.CHAPTERS if getattr(report.sections, c.key) is None]
    # a chapter that is only a table is still present when its table is
    missing = [c for c in missing if c.key not in ("active", "requests", "appeals") or getattr(report.tables, c.key) is None]
    if missing:
        yield r.finding(chapters="、".join(f"“{c.heading}”" for c in missing))


@rule(
    "template.heading_variant",
    "info",
    "部分标题与格式规定不一致",
    "{note}（格式规定了六个部分的标题，不应改写）",
    "格式规定了六个部分的标题；常见的改写（如“存在问题及下一步工作措施”）不影响阅读，但不符合统一格式。",
)
def heading_variant(r: Rule, report: Report) -> Iterator[Finding]:
    for n in notes(report, "heading_variant"):
        yield r.finding(n.cells, note=_said(n))


@rule(
    "template.table_missing",
    "warning",
    "缺少统计表",
    "报告中未找到{tables}，相关核对均无法进行",
    "表二、表三、表四是格式规定的统计表，缺少时报告不完整，各项勾稽核对也无从进行。",
)
def table_missing(r: Rule, report: Report) -> Iterator[Finding]:
    if _has_images(report):
        return
    # a table the reader found but could not read (its cells are unread) is the reader's problem,
    # said by the reading status, never the agency's
    unread = {p.split(".")[1] for p in (report.reading.unread if report.reading else [])}
    missing = [k for k in ("active", "requests", "appeals") if getattr(report.tables, k) is None and k not in unread]
    if missing:
        yield r.finding(tables="、".join(f"{T.TABLE_LABEL[k]}（{T.TABLE_TITLE[k]}）" for k in missing))


@rule(
    "template.tables_as_images",
    "warning",
    "统计表为图片",
    "报告中的统计表是图片，不能复制和机读，表内数据无法核对",
    "以图片发布表格使公众无法检索和复用数据，也使数据核对无法进行（同类评估将其列为常见问题）。",
)
def tables_as_images(r: Rule, report: Report) -> Iterator[Finding]:
    if _has_images(report):
        yield r.finding()


@rule(
    "template.label_altered",
    "warning",
    "表格行名、栏名被改动",
    "{note}；统计表的行名和栏目是统一格式，不应改动或增加",
    "统计表的栏目和行名是统一格式，不得改动，也不应增加栏目（如“法人或其他组织”小计列）；"
    "改动后的行名（如把“行政规范性文件”写成“规范性文件”）也可能说明沿用了旧格式。",
)
def label_altered(r: Rule, report: Report) -> Iterator[Finding]:
    for n in notes(report, "label_variant", "subtotal_column"):
        yield r.finding(n.cells, note=_said(n))


@rule(
    "template.other_single_row",
    "warning",
    "2021年格式的（六）印成一行",
    "本报告使用{template}年版格式，表三“（六）其他处理”却按2019年版印成一行，应分为"
    "“1.申请人无正当理由逾期不补正…”“2.申请人逾期未按收费通知要求缴纳费用…”“3.其他”三项",
    "2021年版格式把（六）其他处理分为三个子项，其中第2项与信息处理费相对应；印成一行就无法核对收费情况。",
    versions=("2021",),
)
def other_single_row(r: Rule, report: Report) -> Iterator[Finding]:
    if other_split(report) is False:
        cells = [T.rq("other_handling", c) for c in T.REQUEST_COLUMN_KEYS]
        yield r.finding(cells, template=report.meta.template)


@rule(
    "template.row_missing",
    "info",
    "统计表缺少规定的行",
    "{note}；格式规定的每一行都应印出，请对照原件",
    "格式规定的每一行都应印出；缺行可能是报告删改了表格，也可能是版面无法识别，需对照原件。",
)
def row_missing(r: Rule, report: Report) -> Iterator[Finding]:
    for n in notes(report, "row_missing", "row_repeated"):
        yield r.finding(n.cells, note=_said(n))


@rule(
    "template.blank_cells",
    "warning",
    "单元格空白未填0",
    "{table}有{n}个单元格空白（没有发生的事项应填0）：{where}",
    "没有发生的事项应填0而不是留空；空白单元格无法与“未填报”区分，相关核对也无法进行。",
)
def blank_cells(r: Rule, report: Report) -> Iterator[Finding]:
    # A null cell is blank unless the reader says it could not read it (the spec: a cell the report
    # leaves empty, or that cannot be read, is null; the reader notes the second kind).
    unreadable = {p for n in notes(report, *_UNREADABLE) for p in n.cells}
    unreadable |= set(report.reading.unread) | set(report.reading.inferred)
    # spec §8: a reader gives every cell it saw printed a provenance (a blank: raw ""); a null cell
    # without one (when the reader gave provenances at all) is a row not printed, not a blank
    seen = report.provenance
    for table in T.TABLE_KEYS:
        mine = [p for p in _null_cells(report, table) if p not in unreadable and (not seen or p in seen)]
        if mine:
            shown = "、".join(T.cell_label(p) for p in mine[:6]) + ("等" if len(mine) > 6 else "")
            yield r.finding(mine, table=T.TABLE_LABEL[table], n=len(mine), where=shown)


def _null_cells(report: Report, table: str) -> Iterator[T.CellPath]:
    """The null cells of one table, in the order of ``report.cells()`` (a path made only for them)."""
    for row, cols in (getattr(report.tables, table) or {}).items():
        for col, v in cols.items():
            if v is None:
                yield T.CellPath(table, row, col)


_UNREADABLE = ("too_many_values", "digits_ambiguous", "digits_unsplittable", "cells_unplaced")
_INFERRED = ("digits_split", "cells_inferred", "digits_by_series")


@rule(
    "template.cells_unreadable",
    "info",
    "数字无法对应到栏",
    "{note}；这些单元格不作猜测，请对照原件",
    "印出的数字多于或少于栏数、或数字连在一起时，无法确定每个数字属于哪一栏；这些单元格记为空，不作猜测。",
)
def cells_unreadable(r: Rule, report: Report) -> Iterator[Finding]:
    for n in notes(report, *_UNREADABLE):
        yield r.finding(n.cells, note=_said(n))


@rule(
    "template.cells_inferred",
    "info",
    "部分单元格由勾稽关系推定",
    "{note}。这些单元格的勾稽核对不能独立证明数字正确，请对照原件",
    "版面缺格或数字粘连时，读取程序只在勾稽关系给出唯一答案时才填入数字；据此核对勾稽关系是循环论证，"
    "因此单独提示。",
)
def cells_inferred(r: Rule, report: Report) -> Iterator[Finding]:
    for n in notes(report, *_INFERRED):
        yield r.finding(n.cells, note=_said(n))


_NOTICE_NUMBER = re.compile(r"国办公开办函\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d+)\s*号")


def cited_notices(text: str) -> list[str]:
    """The 国办公开办函 notices a text cites, normalised to 国办公开办函〔YYYY〕N号."""
    return [f"国办公开办函〔{y}〕{n}号" for y, n in _NOTICE_NUMBER.findall(text)]


@rule(
    "template.superseded_notice",
    "warning",
    "引用已被替代的格式通知",
    "本报告为{year}年度报告，却以{old}为编制依据；自2021年度报告起，格式依据为{new}",
    "国办公开办函〔2021〕30号印发了修订后的年报格式，替代国办公开办函〔2019〕60号的试行格式；"
    "2021年度及以后的报告仍引用旧通知，说明沿用了旧模板（同类评估将其列为常见问题）。",
    versions=("2019", "2021"),
)
def superseded_notice(r: Rule, report: Report) -> Iterator[Finding]:
    year = report.meta.year
    if year is None or year < 2021:
        return
    old, new = T.FORMAT_NOTICES["2019"], T.FORMAT_NOTICES["2021"]
    for _, text in report_texts(report):
        if old in cited_notices(text):
            yield r.finding(year=year, old=old, new=new)
            return
