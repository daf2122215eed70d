"""Table 4 (政府信息公开行政复议、行政诉讼情况): block totals, counts, implausible combinations."""

from __future__ import annotations

from typing import Iterator

from .. import template as T
from ..model import Finding, Report
from .cells import ap, fmt, rq, total
from .registry import Rule, rule
from .requests import bad_counts


@rule(
    "appeals.total",
    "error",
    "表四各类合计",
    "表四“{block}”：结果维持({upheld})+结果纠正({corrected})+其他结果({other})+尚未审结({pending})={left}，"
    "不等于总计({right})",
    "表四三类案件（行政复议、未经复议直接起诉、复议后起诉）各自的总计是四种结果之和。",
)
def appeal_total(r: Rule, report: Report) -> Iterator[Finding]:
    if report.tables.appeals is None:
        return
    pending = []
    for ident in T.appeal_identities():
        block = ident.where
        nulls = [p for p in ident.left + ident.right if report.get(p) is None]
        if nulls:
            pending.append((block, nulls))
            continue
        left = sum(report.get(p) for p in ident.left)
        right = report.get(ident.right[0])
        if left != right:
            vals = {T.CellPath.parse(p).column: fmt(report.get(p)) for p in ident.left}
            yield r.finding(
                ident.left + ident.right,
                expected=left,
                actual=right,
                block=T.APPEAL_BLOCK_LABEL[block],
                left=fmt(left),
                right=fmt(right),
                **vals,
            )
    if pending:
        yield r.not_assessable(
            "表四合计",
            "、".join(f"“{T.APPEAL_BLOCK_LABEL[b]}”" for b, _ in pending) + "含空白或无法读取的单元格",
            [p for _, n in pending for p in n],
        )


@rule(
    "appeals.non_negative_integer",
    "error",
    "表四数字应为非负整数",
    "{cell}为{value}，案件数应为非负整数",
    "复议、诉讼案件数只能是0或正整数。",
)
def non_negative_integer(r: Rule, report: Report) -> Iterator[Finding]:
    for path, v in bad_counts(report, "appeals"):
        yield r.finding([path], cell=T.cell_label(path), value=fmt(v))


@rule(
    "appeals.without_requests",
    "info",
    "有复议诉讼案件但本年没有申请",
    "表四共有{cases}件复议、诉讼案件，而表三本年新收({new})和上年结转({carried})均为0，请核实案件来源",
    "复议、诉讼通常因本年或上年办理的申请而起；没有任何申请却有案件并非不可能（可能源于更早的答复），"
    "所以只作提示。",
)
def without_requests(r: Rule, report: Report) -> Iterator[Finding]:
    cases = total(report, [ap(b) for b in T.APPEAL_BLOCK_KEYS])
    new, carried = report.get(rq("new_received")), report.get(rq("carried_over"))
    if cases and new == 0 and carried == 0:
        yield r.finding(
            [ap(b) for b in T.APPEAL_BLOCK_KEYS] + [rq("new_received"), rq("carried_over")],
            cases=fmt(cases), new=fmt(new), carried=fmt(carried),
        )


@rule(
    "appeals.after_reconsideration",
    "info",
    "有复议后起诉但本年没有复议",
    "表四“行政诉讼·复议后起诉”总计为{after}件，而“行政复议”总计为0，请核实复议是否发生在以前年度",
    "复议后起诉的案件一般先出现在行政复议栏；本年复议为0时，复议可能在以前年度，只作提示。",
)
def after_reconsideration(r: Rule, report: Report) -> Iterator[Finding]:
    after, recon = report.get(ap("litigation_after_reconsideration")), report.get(ap("reconsideration"))
    if after and recon == 0:
        yield r.finding([ap("litigation_after_reconsideration"), ap("reconsideration")], after=fmt(after))
