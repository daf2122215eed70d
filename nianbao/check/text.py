"""Text against tables: the figures the chapters quote compared with the cells (format spec §6.2 I6).

Text rules are warnings, not errors: the sentence matching is careful (see :mod:`.texts`) but a
sentence may speak of a wider scope (全市) than the table; a person decides.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from .. import template as T
from ..model import Finding, Number, Report
from .cells import ac, ap, cell_table, fmt, group_total_paths, rq, total
from .registry import Rule, rule
from .texts import SECTION_LABEL, Figure, figures, percents, report_texts, sentences

Alternative = tuple[str, list[str]]  # (Chinese description, cells whose sum is the figure)


def _row_total(key: str, numbered: bool = False) -> tuple[str, tuple[str, ...]]:
    """A table-3 row's 总计, described as the messages name it (表三“（一）予以公开”行总计)."""
    row = T.REQUEST_ROW_BY_KEY[key]
    label = T.short_label(row.label)
    return (f"表三“{row.number}{label}”行总计" if numbered else f"表三“{label}”总计"), (rq(key),)


_NEW = _row_total("new_received")
_BOTH = ("表三本年新收与上年结转之和", (rq("new_received"), rq("carried_over")))
_DONE = _row_total("processed_total", numbered=True)
_LITIGATION = (ap("litigation_direct"), ap("litigation_after_reconsideration"))
# What a quoted figure may equal, by the figure's target, the usual reading first.
_ALTERNATIVES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "received": (_NEW, _BOTH),
    "accepted": (_NEW, _BOTH),
    "processed": (_DONE,),
    "handled": (_DONE, _NEW, _BOTH),
    "granted": (_row_total("granted", numbered=True),),
    "partially_granted": (_row_total("partially_granted", numbered=True),),
    "carried_over": (_row_total("carried_over"),),
    "carried_forward": (_row_total("carried_forward"),),
    "reconsideration": ((f"表四“{T.APPEAL_BLOCK_LABEL['reconsideration']}”总计", (ap("reconsideration"),)),),
    "litigation": (("表四行政诉讼两栏（未经复议直接起诉、复议后起诉）总计之和", _LITIGATION),),
    "appeals_all": (("表四行政复议与行政诉讼总计之和", (ap("reconsideration"), *_LITIGATION)),),
}
# Targets that are an outcome group of table 3: its heading and the prefix of its rows' keys.
_GROUPS = {
    target: (heading, prefix)
    for target, (heading, (prefix,)) in zip(("denied", "unable", "rejected", "other"), T.REQUEST_GROUPS[1:])
}


def alternatives(report: Report, target: str) -> list[Alternative]:
    """What a quoted figure may equal, first the usual reading."""
    if target in _GROUPS:
        heading, prefix = _GROUPS[target]
        return [(f"表三“{heading}”各项总计之和", group_total_paths(report, prefix))]
    return [(label, list(paths)) for label, paths in _ALTERNATIVES.get(target, ())]


def compare(r: Rule, report: Report, targets: tuple[str, ...]) -> Iterator[Finding]:
    seen = set()
    pending: list[Figure] = []
    for f in figures(report):
        if f.target not in targets or (f.target, f.value) in seen:
            continue
        seen.add((f.target, f.value))
        alts = alternatives(report, f.target)
        table = cell_table(alts[0][1][0]) if alts and alts[0][1] else None
        if table is None or getattr(report.tables, table) is None:
            continue  # the table is missing: template.table_missing says so
        values = [total(report, paths) for _, paths in alts]
        if any(v is not None and v == f.value for v in values):
            continue
        if values[0] is None:
            pending.append(f)
            continue
        desc, paths = alts[0]
        yield r.finding(
            paths,
            expected=values[0],
            actual=f.value,
            where=SECTION_LABEL[f.section],
            quote=f.quote,
            cell=desc,
            value=fmt(values[0]),
        )
    if pending:
        yield r.not_assessable(
            "正文数字与表格",
            "、".join(f"“{f.quote}”" for f in pending) + "对应的单元格为空白或表格缺失",
            [p for f in pending for _, ps in alternatives(report, f.target)[:1] for p in ps if report.get(p) is None],
        )


MESSAGE = "正文（{where}）“{quote}”与表格不符：{cell}为{value}"


@rule(
    "text.requests_received",
    "warning",
    "正文收到申请数与表三不符",
    MESSAGE,
    "正文所说“收到/新收/受理政府信息公开申请N件”应与表三“本年新收”总计一致；也接受新收与上年结转之和"
    "（“共收到申请15件（含上年结转2件）”）。"
    "只在句中明确说的是政府信息公开申请时才比对：“收到批转信件71件”“办理网民诉求37件”不是申请数。",
)
def requests_received(r: Rule, report: Report) -> Iterator[Finding]:
    yield from compare(r, report, ("received", "accepted"))


@rule(
    "text.requests_processed",
    "warning",
    "正文办结（答复）数与表三不符",
    MESSAGE,
    "“答复/办结N件”对应表三“（七）总计”；只说“办理N件”时，与本年新收、（七）总计或新收加结转之一相符即可。"
    "受理与答复分开比对（“受理3259件，答复3278件”中3278是答复数）。",
)
def requests_processed(r: Rule, report: Report) -> Iterator[Finding]:
    yield from compare(r, report, ("processed", "handled"))


@rule(
    "text.requests_outcome",
    "warning",
    "正文办理结果数与表三不符",
    MESSAGE,
    "正文列举的予以公开、部分公开、不予公开、无法提供、不予处理、其他处理件数，应与表三对应行（或该类各项之和）"
    "的总计一致；按申请人类别或渠道的分项数（“其中自然人…”）不比对。",
)
def requests_outcome(r: Rule, report: Report) -> Iterator[Finding]:
    yield from compare(r, report, ("granted", "partially_granted", "denied", "unable", "rejected", "other"))


@rule(
    "text.requests_carried",
    "warning",
    "正文结转数与表三不符",
    MESSAGE,
    "正文所说上年结转、结转下年度继续办理的件数应与表三对应行的总计一致。",
)
def requests_carried(r: Rule, report: Report) -> Iterator[Finding]:
    yield from compare(r, report, ("carried_over", "carried_forward"))


@rule(
    "text.appeals_count",
    "warning",
    "正文复议诉讼数与表四不符",
    MESSAGE,
    "正文所说行政复议N件、行政诉讼N件应与表四总计一致（诉讼为两栏之和）；“未发生行政复议、行政诉讼”即为0。"
    "关于结果（维持、纠正）的分项数不在此比对。",
)
def appeals_count(r: Rule, report: Report) -> Iterator[Finding]:
    yield from compare(r, report, ("reconsideration", "litigation", "appeals_all"))


_NO_LOSS = re.compile(r"(?:未|没有|无)(?:发生|出现)?[^，,。；]{0,15}?败诉(?:案件|情况)?")


@rule(
    "text.appeals_lost",
    "warning",
    "正文称无败诉而表四有纠正",
    "正文（{where}）称“{quote}”，但表四行政诉讼“结果纠正”共{n}件（未经复议直接起诉{a}、复议后起诉{b}）",
    "行政诉讼“结果纠正”即法院判决纠正了行政机关的行为，也就是机关败诉；正文说没有败诉与表四矛盾。",
)
def appeals_lost(r: Rule, report: Report) -> Iterator[Finding]:
    cells = [ap("litigation_direct", "corrected"), ap("litigation_after_reconsideration", "corrected")]
    a, b = (report.get(p) for p in cells)
    lost = (a or 0) + (b or 0)
    if not lost:
        return
    for section, text in report_texts(report):
        for sentence in sentences(text):
            m = _NO_LOSS.search(sentence)
            if m:
                yield r.finding(
                    cells, expected=lost, actual=0, where=SECTION_LABEL[section], quote=m.group(0),
                    n=fmt(lost), a=_count(a), b=_count(b),
                )
                return


def _count(v: Optional[Number]) -> str:
    return "空白" if v is None else f"{fmt(v)}件"


def _ratio_ok(p: float, decimals: int, n: Number, d: Number) -> bool:
    return d > 0 and abs(100 * n / d - p) < 10 ** (-decimals) + 1e-9


@rule(
    "text.percentage",
    "warning",
    "正文百分比与表三不符",
    "正文（{where}）“{quote}”与表三不符：按表三计算，{numerator}÷{denominator}={computed}",
    "正文常写“予以公开…件、部分公开…件，公开占比80.7%”；按表三对应各项之和除以本年新收"
    "（或新收加结转、（七）总计）计算，四舍五入或截断到同样的小数位后应相符。",
)
def percentage(r: Rule, report: Report) -> Iterator[Finding]:
    names = {
        "granted": "予以公开", "partially_granted": "部分公开", "denied": "不予公开", "unable": "无法提供",
        "rejected": "不予处理", "other": "其他处理", "carried_forward": "结转下年度",
    }
    bases = [
        ("本年新收", [rq("new_received")]),
        ("本年新收与上年结转之和", [rq("new_received"), rq("carried_over")]),
        ("（七）总计", [rq("processed_total")]),
    ]
    for pc in percents(report):
        nums = []
        for group in pc.numerators:
            paths = [p for t in group for p in alternatives(report, t)[0][1]]
            nums.append((group, paths, total(report, paths)))
        dens = [(name, paths, total(report, paths)) for name, paths in bases]
        if report.tables.requests is None:
            continue
        if any(v is None for _, _, v in nums) or dens[0][2] is None:
            yield r.not_assessable(f"正文“{pc.quote}”", "对应的单元格为空白或表格缺失")
            continue
        if any(d is not None and _ratio_ok(pc.value, pc.decimals, n, d) for _, _, n in nums for _, _, d in dens):
            continue
        group, paths, n = nums[0]
        dname, dpaths, d = dens[0]
        if not d:
            continue
        computed = f"{100 * n / d:.{pc.decimals}f}%"
        yield r.finding(
            paths + dpaths,
            where=SECTION_LABEL[pc.section],
            quote=pc.quote,
            numerator="+".join(names[t] for t in group) + f"({fmt(n)})",
            denominator=f"{dname}({fmt(d)})",
            computed=computed,
        )


_DOC_VERBS_2021 = (
    (re.compile(r"制发|印发|出台|制定|新制"), "issued", "本年制发件数"),
    (re.compile(r"废止|废除"), "repealed", "本年废止件数"),
    (re.compile(r"现行有效|有效的"), "in_force", "现行有效件数"),
)
_DOC_VERBS_2019 = (
    (re.compile(r"新公开|公开|发布|公布"), "published", "本年新公开数量"),
    (re.compile(r"制作|制发|印发|出台|制定"), "made", "本年新制作数量"),
)
_PUBLISH = re.compile(r"公开|发布|公布")


def _document_figures(report: Report) -> Iterator[tuple[Figure, str, str, bool]]:
    """(figure, field, field label, same quantity?) for 规范性文件 figures in the text."""
    version = report.meta.template
    if version is None or report.tables.active is None:
        return
    for f in figures(report):
        if f.target != "normative_documents":
            continue
        verbs = _DOC_VERBS_2021 if version == "2021" else _DOC_VERBS_2019
        for pattern, field, label in verbs:
            if pattern.search(f.verb):
                yield f, field, label, True
                break
        else:
            if version == "2021" and _PUBLISH.search(f.verb):
                yield f, "issued", "本年制发件数", False


def _documents(r: Rule, report: Report, same: bool) -> Iterator[Finding]:
    for f, field, label, same_quantity in _document_figures(report):
        if same_quantity != same:
            continue
        path = ac("normative_documents", field)
        v = report.get(path)
        if v is None or v == f.value:
            continue
        yield r.finding(
            [path], expected=v, actual=f.value, where=SECTION_LABEL[f.section], quote=f.quote, label=label, value=fmt(v)
        )


@rule(
    "text.normative_documents",
    "warning",
    "正文规范性文件数与表二不符",
    "正文（{where}）“{quote}”与表二不符：表二“规范性文件”{label}为{value}",
    "正文说制发（2019年格式：新公开、新制作）、废止、现行有效的规范性文件件数时，应与表二同一栏一致。",
)
def normative_documents(r: Rule, report: Report) -> Iterator[Finding]:
    yield from _documents(r, report, True)


@rule(
    "text.normative_documents_scope",
    "info",
    "正文公开的规范性文件数与表二制发数不同",
    "正文（{where}）“{quote}”，表二“行政规范性文件”{label}为{value}；公开数与制发数口径不同，请核实是否应一致",
    "2021年格式的表二只有制发、废止、现行有效三栏，没有“公开”栏；正文说“公开规范性文件N件”时可能包括"
    "以前年度制发、本年公开的文件，与本年制发数不一定相同，所以只作提示。",
    versions=("2021",),
)
def normative_documents_scope(r: Rule, report: Report) -> Iterator[Finding]:
    yield from _documents(r, report, False)


_SELF = re.compile(r"(?:我|本)(街道|镇|乡(?!村|镇))")
_SELF_KIND = {"街道": "街道", "镇": "镇", "乡": "乡"}


@rule(
    "text.self_reference",
    "warning",
    "正文自称另一类机关",
    "本报告由{agency}发布，正文（{where}）却写“{quote}”，自称{kind}，疑似套用了其他机关的报告",
    "镇、乡、街道的报告以“我镇”“我乡”“我街道”自称；自称与发布机关不符，多是照搬其他机关的报告而未改"
    "（2021年格式通知把“内容雷同”列为应追责的情形）。只比较乡镇、街道这几类，不猜测其他机关的自称。",
)
def self_reference(r: Rule, report: Report) -> Iterator[Finding]:
    from .agency import last_unit

    agency = report.meta.agency
    unit = last_unit(agency)
    if unit is None:
        return
    for section, text in report_texts(report):
        for sentence in sentences(text):
            for m in _SELF.finditer(sentence):
                kind = _SELF_KIND[m.group(1)]
                if kind == unit:
                    continue
                start = max(0, m.start() - 6)
                quote = sentence[start: m.end() + 10]
                yield r.finding(agency=agency, where=SECTION_LABEL[section], quote=quote, kind=kind)
                return
