"""Cross-year rules: the same body's report of year N−1 against that of year N (format spec §6.3).

Each finding belongs to the later report; ``cells`` are the later report's cells and
``other: {"cells": [...]}`` the earlier report's (the store adds report_id and year).
"""

from __future__ import annotations

from typing import Iterator

from .. import template as T
from ..model import Finding, Report
from .cells import ac, ap, col_label, fmt, rq, total
from .registry import Rule, rule
from .similarity import text_similarity

COPY_THRESHOLD = 0.8
JUMP_FACTOR = 5
JUMP_MINIMUM = 20  # the larger of the two figures, so that 2 → 10 is not a jump


def with_other(f: Finding, cells: list[str]) -> Finding:
    return Finding(**f.model_dump(), other={"cells": list(dict.fromkeys(cells))})


def consecutive(earlier: Report, later: Report) -> bool:
    a, b = earlier.meta.year, later.meta.year
    return a is not None and b is not None and b == a + 1


@rule(
    "pair.carried_over",
    "warning",
    "上年结转与上年报告的结转下年度不符",
    "表三“上年结转”与{py}年报告“结转下年度继续办理”不一致：{cols}",
    "本年的“上年结转”就是上一年报告的“结转下年度继续办理”，逐列（七列）都应相等。机构改革合并、拆分或上年报告"
    "更正时可能不同，故为警告。",
    scope="pair",
)
def carried_over(r: Rule, earlier: Report, later: Report) -> Iterator[Finding]:
    if not consecutive(earlier, later) or later.tables.requests is None or earlier.tables.requests is None:
        return
    wrong, nulls = [], []
    for col in T.REQUEST_COLUMN_KEYS:
        now, before = later.get(rq("carried_over", col)), earlier.get(rq("carried_forward", col))
        if now is None or before is None:
            nulls.append(col)
        elif now != before:
            wrong.append((col, now, before))
    if wrong:
        cols = "；".join(f"“{col_label(c)}”列本年上年结转({fmt(a)})，上年结转下年度({fmt(b)})" for c, a, b in wrong)
        f = r.finding(
            [rq("carried_over", c) for c, _, _ in wrong], py=earlier.meta.year, cols=cols,
            expected=wrong[0][2], actual=wrong[0][1],
        )
        yield with_other(f, [rq("carried_forward", c) for c, _, _ in wrong])
    if nulls:
        f = r.not_assessable(
            "上年结转与上年报告", "、".join(f"“{col_label(c)}”列" for c in nulls) + "在本年或上年报告中为空白",
            [rq("carried_over", c) for c in nulls],
        )
        yield with_other(f, [rq("carried_forward", c) for c in nulls])


@rule(
    "pair.in_force",
    "warning",
    "现行有效件数与上年不衔接",
    "表二“{row}”现行有效件数：{py}年报告{before}+本年制发{issued}−本年废止{repealed}={computed}，本年报告为{now}",
    "现行有效件数(本年)≈现行有效件数(上年)+本年制发−本年废止。文件到期自然失效、修改计为制发、集中清理时"
    "可能不等，故为警告。",
    versions=("2021",),
    scope="pair",
)
def in_force(r: Rule, earlier: Report, later: Report) -> Iterator[Finding]:
    if not consecutive(earlier, later) or earlier.meta.template != "2021" or later.meta.template != "2021":
        return
    for row, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        before = earlier.get(ac(row, "in_force"))
        now, issued, repealed = (later.get(ac(row, k)) for k in ("in_force", "issued", "repealed"))
        if None in (before, now, issued, repealed):
            continue
        expected = before + issued - repealed
        if expected != now:
            f = r.finding(
                [ac(row, "in_force"), ac(row, "issued"), ac(row, "repealed")],
                expected=expected, actual=now, row=label, py=earlier.meta.year, before=fmt(before),
                issued=fmt(issued), repealed=fmt(repealed), now=fmt(now), computed=fmt(expected),
            )
            yield with_other(f, [ac(row, "in_force")])


@rule(
    "pair.previous_items",
    "warning",
    "上一年项目数量与上年报告不衔接",
    "表二“{row}”上一年项目数量为{now}，而{py}年报告的上一年项目数量{before}+本年增/减{change}={computed}",
    "2019年格式：本年的“上一年项目数量”应等于上年报告的“上一年项目数量”加“本年增/减”。",
    versions=("2019",),
    scope="pair",
)
def previous_items(r: Rule, earlier: Report, later: Report) -> Iterator[Finding]:
    if not consecutive(earlier, later) or earlier.meta.template != "2019" or later.meta.template != "2019":
        return
    for row in ("licensing", "other_services", "punishment", "coercion", "fees"):
        now = later.get(ac(row, "previous_items"))
        before, change = earlier.get(ac(row, "previous_items")), earlier.get(ac(row, "change"))
        if None in (now, before, change) or now == before + change:
            continue
        f = r.finding(
            [ac(row, "previous_items")],
            expected=before + change,
            actual=now,
            row=T.cell_label(ac(row, "previous_items")).split("“")[1].split("”")[0],
            now=fmt(now),
            py=earlier.meta.year,
            before=fmt(before),
            change=fmt(change),
            computed=fmt(before + change),
        )
        yield with_other(f, [ac(row, "previous_items"), ac(row, "change")])


@rule(
    "pair.public_total",
    "warning",
    "对外公开总数量比上年减少",
    "表二“{row}”对外公开总数量为{now}，少于{py}年报告的{before}",
    "2019年格式：对外公开的文件总数是累计数，一般不会比上年少。",
    versions=("2019",),
    scope="pair",
)
def public_total(r: Rule, earlier: Report, later: Report) -> Iterator[Finding]:
    if not consecutive(earlier, later) or earlier.meta.template != "2019" or later.meta.template != "2019":
        return
    for row, label in (("regulations", "规章"), ("normative_documents", "规范性文件")):
        now, before = later.get(ac(row, "public_total")), earlier.get(ac(row, "public_total"))
        if now is not None and before is not None and now < before:
            f = r.finding([ac(row, "public_total")], row=label, now=fmt(now), py=earlier.meta.year, before=fmt(before))
            yield with_other(f, [ac(row, "public_total")])


KEY_FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("表三本年新收申请总计", (rq("new_received"),)),
    ("表三（七）总计", (rq("processed_total"),)),
    ("表四行政复议总计", (ap("reconsideration"),)),
    ("表四行政诉讼总计", (ap("litigation_direct"), ap("litigation_after_reconsideration"))),
    ("表二行政许可处理决定数", (ac("licensing", "decisions"),)),
    ("表二行政处罚处理决定数", (ac("punishment", "decisions"),)),
    ("表二行政强制处理决定数", (ac("coercion", "decisions"),)),
)


@rule(
    "pair.jump",
    "warning",
    "关键数字与上年相比变化五倍以上",
    "{what}由{py}年的{before}变为{now}，{how}，请核实",
    "关键数字一年内增减到五倍以上并非不可能，但常是填错栏、多写或漏写一位数；较小的数字（都在20以下）不提示。",
    scope="pair",
)
def jump(r: Rule, earlier: Report, later: Report) -> Iterator[Finding]:
    if not consecutive(earlier, later):
        return
    for what, paths in KEY_FIGURES:
        before, now = total(earlier, paths), total(later, paths)  # None when a cell is missing or blank
        if before is None or now is None or max(before, now) < JUMP_MINIMUM:
            continue
        low, high = min(before, now), max(before, now)
        if low and high / low < JUMP_FACTOR:
            continue
        how = (f"增加到{now / before:.1f}倍" if before else "上年为0") if now > before else (
            f"减少到{now / before:.0%}" if now else "本年为0")
        f = r.finding(list(paths), what=what, py=earlier.meta.year, before=fmt(before), now=fmt(now), how=how)
        yield with_other(f, list(paths))


@rule(
    "pair.text_copy",
    "warning",
    "正文与上年报告高度雷同",
    "正文（总体情况、存在问题、其他事项）与{py}年报告的相似度为{similarity}，疑似照搬上年报告",
    "2021年格式通知把“内容雷同”列为应追责的情形；同类评估发现有报告与上年重复90%。数字不计入比较"
    "（换了数字的照搬也算），门槛为80%。",
    scope="pair",
)
def text_copy(r: Rule, earlier: Report, later: Report) -> Iterator[Finding]:
    s = text_similarity(earlier, later)
    if s >= COPY_THRESHOLD:
        yield with_other(r.finding(py=earlier.meta.year, similarity=f"{s:.0%}"), [])


@rule(
    "pair.tables_copy",
    "warning",
    "统计表与上年报告完全相同",
    "表二、表三、表四的全部{n}个数字与{py}年报告完全相同，疑似照搬上年数据",
    "全为0的表格年年相同很正常；有不少非零数字而一格不差，多半是沿用了上年的表格。",
    scope="pair",
)
def tables_copy(r: Rule, earlier: Report, later: Report) -> Iterator[Finding]:
    a, b = _rows(earlier), _rows(later)
    if not a or a != b or earlier.meta.template != later.meta.template:
        return
    values = [v for cols in b.values() for v in cols.values()]
    if sum(1 for v in values if v) >= 3:
        yield with_other(r.finding(n=len(values), py=earlier.meta.year), [])


def _rows(report: Report) -> dict[tuple[str, str], dict]:
    """The report's cells by table and row (rows without a cell left out): two reports have the
    same cells (``dict(report.cells())``) exactly when these are equal, without making a path
    per cell."""
    out = {}
    for table_key in ("active", "requests", "appeals"):
        table = getattr(report.tables, table_key)
        if table:
            for row, cols in table.items():
                if cols:
                    out[(table_key, row)] = cols
    return out
