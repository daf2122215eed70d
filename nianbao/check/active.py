"""Table 2 (主动公开政府信息情况): value types, the 2019 relations, 规章 of bodies without
rule-making power (format spec §6.2 I4, I7, I8)."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator

from .. import template as T
from ..model import Finding, Report
from .agency import lacks_rule_making_power
from .cells import ac, fmt
from .registry import Rule, rule


@lru_cache(maxsize=8)
def _fields(version: str) -> dict[tuple[str, str], tuple[T.CellPath, T.Field]]:
    """Table 2's fields of a template version by (row, column), each with its cell's path."""
    return {(row.key, f.key): (ac(row.key, f.key), f) for row in T.ACTIVE_ROWS[version] for f in row.fields}


@rule(
    "active.value_type",
    "error",
    "表二数字类型",
    "{cell}为{value}，应为非负整数",
    "件数、决定数、项目数是非负整数；收费金额（万元）是非负数，可带小数；2019年格式的“本年增/减”可为负数。",
    extra_messages=("{cell}为{value}，应为整数", "{cell}为{value}，金额应为非负数"),
)
def value_type(r: Rule, report: Report) -> Iterator[Finding]:
    version = report.meta.template
    if report.tables.active is None or version is None:
        return
    fields = _fields(version)
    for row, cols in report.tables.active.items():  # only table 2's cells have table 2's fields
        for col, v in cols.items():
            field = fields.get((row, col))
            if field is None or v is None:
                continue
            path, f = field
            whole = not isinstance(v, float) or v.is_integer()
            if f.kind == "count" and (v < 0 or not whole):
                template = r.message
            elif f.kind == "signed" and not whole:
                template = r.extra_messages[0]
            elif f.kind == "amount" and v < 0:
                template = r.extra_messages[1]
            else:
                continue
            yield r.finding([path], _template=template, cell=T.cell_label(path), value=fmt(v))


@rule(
    "active.published_within_total",
    "error",
    "表二本年新公开数量不超过对外公开总数量",
    "{row}：本年新公开数量({published})大于对外公开总数量({public_total})",
    "2019年格式中，本年新公开的文件包含在对外公开的总数之内。",
    versions=("2019",),
)
def published_within_total(r: Rule, report: Report) -> Iterator[Finding]:
    for row in ("regulations", "normative_documents"):
        pub, tot = ac(row, "published"), ac(row, "public_total")
        a, b = report.get(pub), report.get(tot)
        if a is not None and b is not None and a > b:
            label = T.cell_label(pub).split("”")[0] + "”"
            yield r.finding([pub, tot], expected=b, actual=a, row=label, published=fmt(a), public_total=fmt(b))


@rule(
    "active.regulations_without_power",
    "warning",
    "无规章制定权的机关填报了规章",
    "{agency}不具有规章制定权（乡镇、街道、县级政府及其部门），表二“规章”却填报了{values}，请核实",
    "依立法法，只有国务院部门和省级、设区的市级人民政府可以制定规章；乡镇、街道、县级政府及其部门的"
    "“规章”一行应为0。部门按当地口径报送其起草的规章时也会出现，故为警告而非错误。",
)
def regulations_without_power(r: Rule, report: Report) -> Iterator[Finding]:
    table = report.tables.active or {}
    row = table.get("regulations")
    if not row or not lacks_rule_making_power(report.meta.agency):
        return
    nonzero = [(ac("regulations", k), v) for k, v in row.items() if v]
    if nonzero:
        yield r.finding(
            [p for p, _ in nonzero],
            agency=report.meta.agency,
            values="、".join(f"{T.cell_label(p).split('”')[1]}{fmt(v)}" for p, v in nonzero),
        )


@rule(
    "active.items_below_zero",
    "error",
    "表二本年项目数量为负",
    "{row}：上一年项目数量({previous})+本年增/减({change})={current}，本年项目数不能为负",
    "2019年格式：本年项目数=上一年项目数量+本年增/减，不能小于0。",
    versions=("2019",),
)
def items_below_zero(r: Rule, report: Report) -> Iterator[Finding]:
    for row in ("licensing", "other_services", "punishment", "coercion", "fees"):
        prev, change = ac(row, "previous_items"), ac(row, "change")
        a, b = report.get(prev), report.get(change)
        if a is not None and b is not None and a + b < 0:
            label = T.cell_label(prev).split("”")[0] + "”"
            yield r.finding([prev, change], row=label, previous=fmt(a), change=fmt(b), current=fmt(a + b))


FEE_IMPLAUSIBLE = 100_000  # 万元, i.e. 10亿元


@rule(
    "active.fee_unit",
    "info",
    "收费金额疑似按元填报",
    "{agency}的表二“行政事业性收费”本年收费金额为{amount}万元（即{yuan}亿元），对县级及以下机关明显偏大，请核实是否按“元”填报",
    "2021年格式的收费金额单位是万元；按元填报会使数字大一万倍。只对县级及以下机关、且超过10亿元时提示。",
    versions=("2021",),
)
def fee_unit(r: Rule, report: Report) -> Iterator[Finding]:
    path = ac("fees", "amount")
    v = report.get(path)
    if v is not None and v >= FEE_IMPLAUSIBLE and lacks_rule_making_power(report.meta.agency):
        yield r.finding([path], agency=report.meta.agency, amount=fmt(v), yuan=fmt(round(v / 10000, 2)))
