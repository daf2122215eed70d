"""Years and dates: title, statistical period and text agree; the reported year is not planned as
the future; the publication date keeps the deadline of 条例第四十九条 (format spec §7.1)."""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from .. import template as T
from ..model import Finding, Report
from .agency import is_government
from .registry import Rule, rule
from .texts import SECTION_LABEL, normalise, report_texts, sentences

_PERIOD = re.compile(r"((?:19|20)\d\d)年1月1日(?:起)?(?:至|到|-|—|－|~|～)((?:19|20)\d\d)年12月31日")
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?:度)?")


def period_years(report: Report) -> list[tuple[int, int, str]]:
    out = []
    for _, text in report_texts(report):
        for m in _PERIOD.finditer(normalise(re.sub(r"\s+", "", text))):
            out.append((int(m.group(1)), int(m.group(2)), m.group(0)))
    return out


@rule(
    "year.consistency",
    "warning",
    "标题、统计期限与报告年度不一致",
    "报告年度为{year}年，但{sources}",
    "标题中的年度、开头写明的统计期限（1月1日至12月31日）与报告年度应当一致；不一致多因套用往年报告而未改年份。",
)
def consistency(r: Rule, report: Report) -> Iterator[Finding]:
    year = report.meta.year
    if year is None:
        return
    wrong = []
    if report.meta.title:
        m = _TITLE_YEAR.search(report.meta.title)
        if m and int(m.group(1)) != year:
            wrong.append(f"标题写的是{m.group(1)}年（“{report.meta.title}”）")
    for start, end, quote in period_years(report):
        if start != year or end != year:
            wrong.append(f"统计期限写的是“{quote}”")
    if wrong:
        yield r.finding(year=year, sources="；".join(wrong))


def _future_pattern(year: int) -> re.Pattern:
    later = r"继续|进一步|以|着力|持续|加强|围绕|重点|不断|全面|深入|努力|切实|积极|认真|做好|抓好|坚持|推进|完善|加大|聚焦|强化"
    return re.compile(
        rf"{year}年(?:度)?[，,]?(?:我|本|全)[\u4e00-\u9fff]{{0,6}}?(?:计划|拟|力争|将(?:{later}))"
    )


@rule(
    "year.future_plan",
    "warning",
    "把报告年度当作将来来计划",
    "报告年度为{year}年，正文（{where}）却写“{quote}”，把报告年度当作将来来计划，疑似套用了往年报告",
    "年报在次年年初回顾报告年度；“{year}年我镇将…”这样的句子只会出现在上一年的报告里，"
    "说明文字是从往年报告复制而未修改（改进计划应指向下一年）。",
)
def future_plan(r: Rule, report: Report) -> Iterator[Finding]:
    year = report.meta.year
    if year is None:
        return
    pattern = _future_pattern(year)
    for section, text in report_texts(report):
        for sentence in sentences(re.sub(r"\s+", "", text)):
            m = pattern.search(sentence)
            if m:
                quote = sentence[m.start(): m.end() + 12]
                yield r.finding(year=year, where=SECTION_LABEL[section], quote=quote + "…")


_WORK = re.compile(r"收到|受理|答复|办结|主动公开|公开政府信息|发布|制发|印发|办理")
_COMPARE = re.compile(r"比|较|同比|相比|对比|下一步|今后|将|计划|要点|以来|截至|截止|至今|期间")
_LEADING_YEAR = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+[.．、])?\s*((?:19|20)\d\d)年(?:度)?[，,]?")


@rule(
    "year.text_other_year",
    "warning",
    "正文以另一年度叙述本年工作",
    "报告年度为{year}年，正文（{where}）却以{other}年叙述工作情况：“{quote}…”",
    "年报正文叙述的是报告年度的工作；以另一年度开头、叙述收到申请、主动公开等工作数据的句子，"
    "多是套用往年报告而未改年份（同类系统的“年份不一致”检查）。与往年比较、对下一年的计划不算。",
)
def text_other_year(r: Rule, report: Report) -> Iterator[Finding]:
    year = report.meta.year
    if year is None:
        return
    for section, text in report_texts(report):
        if section == "problems":
            continue  # chapter 五 looks back at last year's problems and forward to next year's work
        for sentence in sentences(re.sub(r"[ \t\u3000]+", "", text)):
            m = _LEADING_YEAR.match(sentence)
            if not m or int(m.group(1)) == year:
                continue
            rest = sentence[m.end():]
            if _WORK.search(rest) and ("申请" in rest or "公开" in rest) and not _COMPARE.search(rest):
                yield r.finding(year=year, where=SECTION_LABEL[section], other=m.group(1), quote=sentence[:30])
                return


_GOVERNMENT_TITLE = re.compile(r"人民政府\s*(?:19|20)\d\d\s*年")


def _iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@rule(
    "deadline.published",
    "warning",
    "发布时间超过法定期限",
    "发布日期为{published}，晚于{deadline}的法定期限（{basis}）",
    "条例第四十九条：县级以上人民政府部门应于每年1月31日前公布本机关上一年度年报；县级以上地方人民政府的"
    "政府信息公开工作主管部门应于3月31日前公布本级政府年报。机关本身是人民政府（含乡镇）、或标题是“××人民政府××年”年报的按3月31日，"
    "其他机关按1月31日；机关不明时只在晚于3月31日时提示。发布日期早于统计期结束也属异常。",
    extra_messages=("发布日期为{published}，早于统计期结束（{year}年12月31日），请核实发布日期或报告年度",),
)
def published(r: Rule, report: Report) -> Iterator[Finding]:
    year, day = report.meta.year, _iso(report.meta.published)
    if year is None or day is None:
        return
    if day <= date(year, 12, 31):
        yield r.finding(_template=r.extra_messages[0], published=day.isoformat(), year=year)
        return
    government = is_government(report.meta.agency)
    if government is not True and _GOVERNMENT_TITLE.search(report.meta.title or ""):
        government = True  # 本级政府 report published by its office (来源：××市人民政府办公室)
    month, dom = T.DEADLINE_GOVERNMENT if government in (True, None) else T.DEADLINE_DEPARTMENT
    deadline = date(year + 1, month, dom)
    if day <= deadline:
        if government is None and day > date(year + 1, *T.DEADLINE_DEPARTMENT):
            yield r.not_assessable("发布时限", f"发布日期{day.isoformat()}晚于1月31日，但报告未写明发布机关，无法判断适用1月31日还是3月31日的期限")
        return
    basis = "本级人民政府年报" if government else ("发布机关不明，按最晚的期限" if government is None else "人民政府部门年报")
    yield r.finding(
        published=day.isoformat(), deadline=f"{deadline.year}年{deadline.month}月{deadline.day}日", basis=basis
    )
