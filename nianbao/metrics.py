"""Ratios computed from a report's cells, defined once (export, web and compare use these).

Each metric states its numerator and denominator as cells; it is None when any of those cells is
null or absent (never computed over unknown figures), or when the denominator is 0. A metric
works on the printed numbers as they are (a report whose own totals disagree gives the ratio of
its printed figures; the disagreement is a finding elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Report
from .template import ap, rq


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # Chinese name
    numerator: tuple[str, ...]  # cells summed
    denominator: tuple[str, ...]  # cells summed
    denominator_label: str  # how the denominator is stated, in Chinese

    def compute(self, report: Report) -> float | None:
        return ratio(report, self.numerator, self.denominator)


def _sum(report: Report, paths: tuple[str, ...]) -> float | None:
    total = 0.0
    for p in paths:
        if not report.has(p):
            return None
        v = report.get(p)
        if v is None:
            return None
        total += v
    return total


def ratio(report: Report, numerator: tuple[str, ...], denominator: tuple[str, ...]) -> float | None:
    num, den = _sum(report, numerator), _sum(report, denominator)
    if num is None or den is None or den == 0:
        return None
    return num / den


_DENIED = tuple(
    rq(r)
    for r in (
        "denied_state_secret", "denied_prohibited", "denied_three_safety", "denied_third_party",
        "denied_internal", "denied_process", "denied_enforcement_file", "denied_query",
    )
)
_UNABLE = tuple(rq(r) for r in ("unable_not_held", "unable_need_create", "unable_unclear"))
_PROCESSED = (rq("processed_total"),)


def _concluded(block: str) -> tuple[str, ...]:
    return tuple(ap(block, f) for f in ("upheld", "corrected", "other"))


METRICS: tuple[Metric, ...] = (
    Metric(
        "disclosure_rate",
        "公开率",
        (rq("granted"), rq("partially_granted")),
        _PROCESSED,
        "（予以公开＋部分公开）÷ 办理结果总计（表三（七）总计）",
    ),
    Metric("full_disclosure_rate", "予以公开率", (rq("granted"),), _PROCESSED, "予以公开 ÷ 办理结果总计"),
    Metric("denial_rate", "不予公开率", _DENIED, _PROCESSED, "不予公开（8项之和）÷ 办理结果总计"),
    Metric("unable_rate", "无法提供率", _UNABLE, _PROCESSED, "无法提供（3项之和）÷ 办理结果总计"),
    Metric(
        "completion_rate",
        "办结率",
        _PROCESSED,
        (rq("new_received"), rq("carried_over")),
        "办理结果总计 ÷（本年新收＋上年结转）",
    ),
    Metric(
        "reconsideration_correction_rate",
        "复议纠错率",
        (ap("reconsideration", "corrected"),),
        _concluded("reconsideration"),
        "复议结果纠正 ÷ 已审结复议（维持＋纠正＋其他结果，不含尚未审结）",
    ),
    Metric(
        "litigation_correction_rate",
        "诉讼纠错率",
        (ap("litigation_direct", "corrected"), ap("litigation_after_reconsideration", "corrected")),
        _concluded("litigation_direct") + _concluded("litigation_after_reconsideration"),
        "诉讼结果纠正（直接起诉＋复议后起诉）÷ 已审结诉讼（两类的维持＋纠正＋其他结果）",
    ),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}


def compute_all(report: Report) -> dict[str, float | None]:
    return {m.key: m.compute(report) for m in METRICS}
