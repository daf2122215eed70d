"""Chapter 六 and fees: 信息处理费 reporting against table 3 （六）2 (format spec §6.2 I9, §7.3)."""

from __future__ import annotations

import re
from typing import Iterator

from ..model import Finding, Report
from .cells import fmt, rq, total
from .registry import Rule, rule
from .texts import normalise, sentences

_MENTION = re.compile(r"处理费|收费|收取[^，,。；]{0,4}费")
_NONE_ISSUED = re.compile(r"(?:未|没有|无)(?:发出|发送|送达|出具|开具)[^，,。；]{0,6}收费通知|(?:未|没有)(?:产生|发生)[^，,。；]{0,10}(?:处理费|收费)")
_NOTICES = re.compile(r"(?:发出|发送|送达|出具|开具)[^，,。；\d]{0,6}收费通知(?:书)?[^，,。；\d]{0,6}(\d+)\s*(?:件|份|次)")
_COLLECTED = re.compile(r"(?:收取|收缴)[^，,。；\d]{0,10}(?:处理费|费用)[^，,。；\d]{0,4}(\d+(?:\.\d+)?)\s*(万元|元)")


@rule(
    "fees.chapter_six",
    "warning",
    "第六部分信息处理费与表三不符",
    "表三（六）2“申请人逾期未按收费通知要求缴纳费用”为{n}件，说明发出过收费通知，但第六部分未报告信息处理费情况",
    "表三（六）2“申请人逾期未按收费通知要求缴纳费用”大于0，说明发出过收费通知，第六部分应报告信息处理费情况"
    "（发出收费通知的件数和金额、实际收取的金额），不能写“未发出收费通知”；反过来，第六部分说收取了信息处理费，"
    "表三就应有申请。“未收取信息处理费”与（六）2大于0并不矛盾（申请人未缴费）。",
    extra_messages=(
        "表三（六）2“申请人逾期未按收费通知要求缴纳费用”为{n}件，说明发出过收费通知，但第六部分写“{quote}”",
        "表三（六）2“申请人逾期未按收费通知要求缴纳费用”为{n}件，多于第六部分所说发出的收费通知（“{quote}”）",
        "第六部分写“{quote}”，但表三本年新收和上年结转的申请均为0",
    ),
)
def chapter_six(r: Rule, report: Report) -> Iterator[Finding]:
    text = normalise(report.sections.other or "")
    unpaid_path = rq("other_no_fee")
    unpaid = report.get(unpaid_path)
    if unpaid and report.sections.other is not None:
        m = _NONE_ISSUED.search(text)
        n = _NOTICES.search(text)
        if m:
            yield r.finding([unpaid_path], _template=r.extra_messages[0], n=fmt(unpaid), quote=m.group(0))
        elif n and int(n.group(1)) < unpaid:
            yield r.finding([unpaid_path], _template=r.extra_messages[1], n=fmt(unpaid), quote=n.group(0))
        elif not _MENTION.search(text):
            yield r.finding([unpaid_path], n=fmt(unpaid))
    requests = total(report, [rq("new_received"), rq("carried_over")])
    for sentence in sentences(text):
        m = _COLLECTED.search(sentence)
        if m and float(m.group(1)) > 0 and requests == 0:
            yield r.finding(
                [rq("new_received"), rq("carried_over")], _template=r.extra_messages[2], quote=m.group(0)
            )
            break


@rule(
    "fees.not_reported",
    "info",
    "第六部分未报告信息处理费",
    "第六部分未提及信息处理费的收取情况",
    "2021年格式要求在第六部分报告依《政府信息公开信息处理费管理办法》收取信息处理费的情况"
    "（没有收取也应写明）；绝大多数2021年以后的年报都有这一句。",
    versions=("2021",),
)
def not_reported(r: Rule, report: Report) -> Iterator[Finding]:
    text = report.sections.other
    if text is None or _MENTION.search(normalise(text)):
        return
    if report.get(rq("other_no_fee")):
        return  # fees.chapter_six says it, with the figure
    yield r.finding()
