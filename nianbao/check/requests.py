"""Table 3 (收到和处理政府信息公开申请情况): the stated and implied identities, for every column
and every row (format spec §6.1 S1, §6.2 I1, I2, I4)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

from .. import template as T
from ..model import Finding, Number, Report
from .cells import col_label, fmt, listing, request_row_keys, row_label
from .registry import RULES, Rule, rule


@dataclass
class Outcome:
    """One identity applied to a report: both sides, or the null cells that prevent it."""

    identity: T.Identity
    left: Optional[Number]
    right: Optional[Number]
    nulls: list[str]

    @property
    def assessable(self) -> bool:
        return not self.nulls

    @property
    def holds(self) -> bool:
        return self.assessable and self.left == self.right

    @property
    def diff(self) -> Number:
        return (self.left or 0) - (self.right or 0)

    @property
    def cells(self) -> list[str]:
        return list(self.identity.left + self.identity.right)


def outcomes(report: Report, kind: str) -> list[Outcome]:
    table = report.tables.requests
    if table is None:
        return []
    out = []
    for ident, left, right in _plan(request_row_keys(report)).get(kind, ()):
        lv = [table.get(row, _EMPTY).get(col) for row, col in left]
        rv = [table.get(row, _EMPTY).get(col) for row, col in right]
        if None in lv or None in rv:  # the values are numbers or None
            nulls = [p for p, v in zip(ident.left + ident.right, lv + rv) if v is None]
            out.append(Outcome(ident, None, None, nulls))
        else:
            out.append(Outcome(ident, sum(lv), sum(rv), []))
    return out


_EMPTY: dict = {}


@lru_cache(maxsize=64)
def _plan(rows: tuple[str, ...]) -> dict[str, tuple[tuple[T.Identity, tuple, tuple], ...]]:
    """Table 3's identities for a set of rows by kind, each with its cells as (row, column) pairs:
    made once per set of rows (a few per template version), asked for six times per report."""
    out: dict[str, list] = {}
    for ident in T.request_identities(rows):
        out.setdefault(ident.kind, []).append((ident, tuple(map(_row_col, ident.left)), tuple(map(_row_col, ident.right))))
    return {k: tuple(v) for k, v in out.items()}


def _row_col(path: str) -> tuple[str, str]:
    cell = T.CellPath.parse(path)
    return cell.row, cell.column


def _v(report: Report, path: str) -> str:
    return fmt(report.get(path))


def balance_fields(report: Report, o: Outcome) -> dict:
    """The fields of ``requests.balance``'s message for one column."""
    a, b = o.identity.left
    c, d = o.identity.right
    return {
        "col": col_label(o.identity.where), "a": _v(report, a), "b": _v(report, b), "c": _v(report, c),
        "d": _v(report, d), "left": fmt(o.left), "right": fmt(o.right),
    }


def result_fields(report: Report, o: Outcome) -> dict:
    """The fields of ``requests.result_total``'s message for one column."""
    terms = []
    for p in o.identity.left:
        v = report.get(p)
        if v:
            terms.append(f"{row_label(T.CellPath.parse(p).row)}({fmt(v)})")
    return {
        "col": col_label(o.identity.where), "terms": "+".join(terms) if terms else "各项均为0",
        "left": fmt(o.left), "right": _v(report, o.identity.right[0]),
    }


def balance_text(report: Report, o: Outcome) -> str:
    return RULES["requests.balance"].text(**balance_fields(report, o))


def result_text(report: Report, o: Outcome) -> str:
    return RULES["requests.result_total"].text(**result_fields(report, o))


def _not_assessable(r: Rule, report: Report, items: list[Outcome], what: str, where) -> Iterator[Finding]:
    pending = [o for o in items if not o.assessable]
    if pending:
        places = listing([where(o.identity.where) for o in pending])
        cells = [p for o in pending for p in o.nulls]
        yield r.not_assessable(what, f"{places}含空白或无法读取的单元格", cells)


def compensated(items: list[Outcome]) -> list[Outcome]:
    """Applicant columns that fail in opposite directions while the 总计 column holds.

    The typical cause is a number written in the wrong column of one row: every row total still
    holds, so the 总计 column balances and two applicant columns are off by +d and −d.
    """
    by_col = {o.identity.where: o for o in items}
    total = by_col.get("total")
    if total is None or not total.holds:
        return []
    failing = [o for o in items if o.identity.where != "total" and o.assessable and not o.holds]
    if len(failing) >= 2 and sum(o.diff for o in failing) == 0:
        return failing
    return []


@rule(
    "requests.balance",
    "error",
    "表三勾稽关系（每一列）",
    "表三“{col}”列：本年新收({a})+上年结转({b})={left}，不等于办理结果总计({c})+结转下年度({d})={right}",
    "表三表头写明“本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和”，"
    "对七列（含各类申请人列）都成立，不只是总计列。",
)
def balance(r: Rule, report: Report) -> Iterator[Finding]:
    yield from _column_identity(r, report, "balance", balance_fields, "表三勾稽关系")


@rule(
    "requests.result_total",
    "error",
    "表三办理结果合计（每一列）",
    "表三“{col}”列：各项办理结果之和{terms}={left}，不等于（七）总计({right})",
    "（七）总计是（一）至（六）各项办理结果之和（表内没有小计行），对七列都成立；"
    "2021年格式的（六）为三个子项，2019年格式为一行。",
)
def result_total(r: Rule, report: Report) -> Iterator[Finding]:
    yield from _column_identity(r, report, "result_total", result_fields, "表三办理结果合计")


def _column_identity(r: Rule, report: Report, kind: str, fields, what: str) -> Iterator[Finding]:
    """The findings of a per-column identity of table 3: each broken column (a compensating pair is
    left to ``requests.compensating``), then what could not be assessed."""
    items = outcomes(report, kind)
    skip = {id(o) for o in compensated(items)}
    for o in items:
        if o.assessable and not o.holds and id(o) not in skip:
            yield r.finding(o.cells, expected=o.left, actual=o.right, **fields(report, o))
    yield from _not_assessable(r, report, items, what, lambda w: f"“{col_label(w)}”列")


def split_digits(report: Report, o: Outcome) -> Optional[tuple[str, str, int]]:
    """Two adjacent applicant cells holding single digits whose concatenation makes the row hold."""
    parts = o.identity.left
    for first, second in zip(parts, parts[1:]):
        a, b = report.get(first), report.get(second)
        if not (isinstance(a, int) and isinstance(b, int) and 0 <= a <= 9 and 0 <= b <= 9 and a > 0):
            continue
        joined = int(f"{a}{b}")
        if o.left - a - b + joined == o.right:
            return first, second, joined
    return None


def row_fields(report: Report, o: Outcome) -> dict:
    """The fields of ``requests.row_total``'s message for one row: each applicant column by key."""
    values = {T.CellPath.parse(p).column: _v(report, p) for p in o.identity.left}
    return {"row": row_label(o.identity.where), "left": fmt(o.left), "right": _v(report, o.identity.right[0]), **values}


@rule(
    "requests.row_total",
    "error",
    "表三行合计（每一行）",
    "表三“{row}”行：自然人({natural_person})+商业企业({commercial})+科研机构({research})+社会公益组织({social_welfare})"
    "+法律服务机构({legal_services})+其他({other})={left}，不等于总计({right})",
    "“总计”列是六类申请人之和（模板没有“法人或其他组织”小计列），每一行都应相符。",
)
def row_total(r: Rule, report: Report) -> Iterator[Finding]:
    items = outcomes(report, "row_total")
    for o in items:
        if o.assessable and not o.holds and split_digits(report, o) is None:
            yield r.finding(o.cells, expected=o.left, actual=o.right, **row_fields(report, o))
    yield from _not_assessable(r, report, items, "表三行合计", lambda w: f"“{row_label(w)}”行")


@rule(
    "requests.split_number",
    "error",
    "表三疑似一个数字被拆成两格",
    "表三“{row}”行：六列之和{left}不等于总计({right})；“{c1}”列({a})与“{c2}”列({b})相邻，"
    "若原为一个数{joined}则本行相符，疑似一个数字被拆到了两个单元格",
    "转换表格时一个两位数（如20）可能被拆成相邻两格的“2”和“0”；点明这一可能，便于核对原件。",
)
def split_number(r: Rule, report: Report) -> Iterator[Finding]:
    for o in outcomes(report, "row_total"):
        if not o.assessable or o.holds:
            continue
        hit = split_digits(report, o)
        if hit is None:
            continue
        first, second, joined = hit
        yield r.finding(
            o.cells,
            expected=o.right,
            actual=o.left,
            row=row_label(o.identity.where),
            left=fmt(o.left),
            right=_v(report, o.identity.right[0]),
            c1=col_label(T.CellPath.parse(first).column),
            c2=col_label(T.CellPath.parse(second).column),
            a=_v(report, first),
            b=_v(report, second),
            joined=joined,
        )


@rule(
    "requests.compensating",
    "error",
    "表三补偿性错误（两列差额相抵）",
    "表三{what}在{cols}不相符，差额{diffs}正负相抵，“总计”列却相符：疑似有数字填错了列（补偿性错误）。{details}",
    "总计列平衡并不说明各列都对：一个数字填进了相邻的申请人列时，行合计和总计列都仍然相符，"
    "只有逐列核对才能发现（同类系统只核对总计列，会漏掉这类错误）。",
)
def compensating(r: Rule, report: Report) -> Iterator[Finding]:
    for kind, what, text in (
        ("balance", "勾稽关系（本年新收+上年结转=办理结果总计+结转下年度）", balance_text),
        ("result_total", "办理结果合计", result_text),
    ):
        failing = compensated(outcomes(report, kind))
        if not failing:
            continue
        yield r.finding(
            [p for o in failing for p in o.cells],
            what=what,
            cols="、".join(f"“{col_label(o.identity.where)}”列" for o in failing),
            diffs="、".join(f"{o.diff:+}" for o in failing),
            details="；".join(text(report, o) for o in failing) + "。",
        )


def bad_counts(report: Report, table: str) -> Iterator[tuple[str, Number]]:
    """The cells of one table holding a number that is no count (:func:`bad_count`), in the order
    of ``report.cells()``."""
    for row, cols in (getattr(report.tables, table) or {}).items():
        for col, v in cols.items():
            if v is not None and bad_count(v):
                yield T.CellPath(table, row, col), v


def bad_count(v: Number) -> bool:
    return v < 0 or (isinstance(v, float) and not v.is_integer())


@rule(
    "requests.non_negative_integer",
    "error",
    "表三数字应为非负整数",
    "{cell}为{value}，申请件数应为非负整数",
    "申请件数只能是0或正整数；负数或小数说明填写或转换有误。",
)
def non_negative_integer(r: Rule, report: Report) -> Iterator[Finding]:
    for path, v in bad_counts(report, "requests"):
        yield r.finding([path], cell=T.cell_label(path), value=fmt(v))
