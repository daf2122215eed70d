"""Figures quoted in the chapters' text, found sentence by sentence.

A figure is "keyword … N件" inside one clause of one sentence. The keyword nearest before the number
decides what it counts, which keeps 受理 apart from 答复 ("受理3259件，答复3278件"). A clause is
skipped when it speaks of another year ("比2021年481件"), of a change (较上年增加…), of a sub-count
(其中通过网络…, 自然人…) or of something that is not an information-disclosure request (信件, 诉求,
建议提案 …): matching less is better than comparing the wrong things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

from .. import template as T
from ..model import Report

SECTION_LABEL = {
    "preamble": "报告开头",
    "overview": "第一部分",
    "active": "第二部分",
    "requests": "第三部分",
    "appeals": "第四部分",
    "problems": "第五部分",
    "other": "第六部分",
}
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CLAUSE_END = re.compile(r"[，,、：:（）()]")
YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
COUNT = re.compile(r"(\d+)\s*(?:件|起|宗)")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")

# keyword → what it counts; the nearest keyword before the number wins.
KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"上年结转|上年度结转|上一年度结转", "carried_over"),
    (r"结转(?:至|到|入)?下一?年度?|转入下一?年度?", "carried_forward"),
    (r"予以公开|同意公开", "granted"),
    (r"部分公开", "partially_granted"),
    (r"不予公开", "denied"),
    (r"无法提供", "unable"),
    (r"不予处理", "rejected"),
    (r"其他处理|其它处理", "other"),
    (r"新收|收到|接收|接到", "received"),
    (r"受理", "accepted"),
    (r"办结|答复|办理完毕|处理完毕", "processed"),
    (r"(?<!继续)办理", "handled"),
    (r"行政复议", "reconsideration"),
    (r"行政诉讼", "litigation"),
    (r"规范性文件", "normative_documents"),
)
_KEYWORD = re.compile("|".join(f"(?P<k{i}>{p})" for i, (p, _) in enumerate(KEYWORDS)))

REQUEST_TARGETS = ("received", "accepted", "processed", "handled")
OUTCOME_TARGETS = ("granted", "partially_granted", "denied", "unable", "rejected", "other", "carried_forward")
# needs 申请 in the sentence before the number
NEEDS_REQUEST_CONTEXT = REQUEST_TARGETS
REQUEST_CONTEXT = re.compile(r"依申请|信息公开|公开申请")
OTHER_SUBJECTS = re.compile(r"信件|诉求|来信|来访|留言|建议|提案|工单|热线|信访|咨询|投诉|举报|事项|网民|议案")
SUB_COUNT = re.compile(r"其中|自然人|法人|企业|个人|公民|网络|网上|在线|信函|当面|现场|邮寄|传真|电子邮件|邮箱|平台|窗口")
CHANGE = re.compile(r"增加|减少|增长|下降|上升|提高|降低|同比|环比|(?:比|较|与)(?:上|去)年|去年|上一年(?!度结转)")
# rates that are not a share of the requests (办结率100%, 同比增长20%)
NOT_A_SHARE = re.compile(r"办结|答复|回复|按时|及时|满意|采用|知晓|访问|增长|下降|上升|提高|同比|环比")
APPEAL_DETAIL = re.compile(r"维持|纠正|纠错|撤销|驳回|确认|审结|败诉|胜诉|判决|调解|撤诉|终止|违法")


@dataclass(frozen=True)
class Figure:
    target: str  # a key of KEYWORDS' targets, "appeals_all" for 复议+诉讼 together
    value: int
    quote: str  # the clause, for messages
    sentence: str
    section: str
    verb: str = ""  # for documents: the words before the keyword


@dataclass(frozen=True)
class Percent:
    value: float
    decimals: int
    quote: str
    numerators: tuple[tuple[str, ...], ...]  # candidate target groups the percentage is about
    section: str


def report_texts(report: Report) -> list[tuple[str, str]]:
    """The report's prose: the text before chapter 一 (when the extractor keeps it) and the chapters."""
    out = []
    pre = report.preamble
    if isinstance(pre, str) and pre.strip():
        out.append(("preamble", pre))
    for c in T.CHAPTERS:
        text = getattr(report.sections, c.key)
        if text:
            out.append((c.key, text))
    return out


def normalise(text: str) -> str:
    """Full-width digits and percent to ASCII; spaces between digits and units removed."""
    table = {ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")}
    table[ord("％")] = ord("%")
    text = text.translate(table)
    return re.sub(r"(?<=\d)\s+(?=[年件%起宗])|(?<=年)\s+(?=\d)", "", text)


# A line break inside a sentence (PDF text wrapped mid-sentence: "受理政府" / "信息公开申请5件") is no
# sentence end. A line is joined to the next when it ends in no punctuation, is as long as a wrapped
# line of a page is (a short line is a heading or a list item) and opens with no numbering, and the
# next line opens with no numbering either.
_OPENS_ITEM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[、.．]|[#*>])")
_FINAL = "。！？!?；;：:"
WRAPPED_MIN = 15


def running_text(text: str) -> str:
    """The text with lines wrapped mid-sentence joined again."""
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1].rstrip()
        if (prev and prev[-1] not in _FINAL and len(prev) >= WRAPPED_MIN and not _OPENS_ITEM.match(prev)
                and line.strip() and not _OPENS_ITEM.match(line)):
            out[-1] = prev + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def sentences(text: str) -> list[str]:
    return list(_sentences(text))


@lru_cache(maxsize=64)
def _sentences(text: str) -> tuple[str, ...]:  # a chapter is cut again by several rules
    return tuple(s.strip() for s in SENTENCE_END.split(normalise(running_text(text))) if s.strip())


def _keyword(lead: str) -> tuple[str, int, int] | None:
    """The last keyword in ``lead``: (target, start, end)."""
    last = None
    for m in _KEYWORD.finditer(lead):
        target = next(KEYWORDS[int(name[1:])][1] for name, v in m.groupdict().items() if v)
        last = (target, m.start(), m.end())
    return last


def _other_year(text: str, year: int | None) -> bool:
    return year is not None and any(int(y) != year for y in YEAR.findall(text))


def figures(report: Report) -> Iterator[Figure]:
    """The figures the report's prose states (made once for the same texts and year: each text rule
    asks for them)."""
    return iter(_figures(report.meta.year, tuple(report_texts(report))))


@lru_cache(maxsize=4)
def _figures(year, texts: tuple[tuple[str, str], ...]) -> tuple[Figure, ...]:
    return tuple(_make_figures(year, texts))


def _make_figures(year, texts) -> Iterator[Figure]:
    for section, text in texts:
        for sentence in sentences(text):
            pos = 0
            for clause in CLAUSE_END.split(sentence):
                start = sentence.find(clause, pos)
                pos = start + len(clause)
                yield from _clause_figures(clause, sentence[:start], sentence, section, year)
            yield from _zero_statements(sentence, section)


def _clause_figures(clause: str, before: str, sentence: str, section: str, year) -> Iterator[Figure]:
    for m in COUNT.finditer(clause):
        lead = clause[: m.start()]
        hit = _keyword(lead)
        if hit is None:
            continue
        target, k_start, k_end = hit
        target = _figure_target(target, lead, before, year)
        if target in ("reconsideration", "litigation"):
            target = _appeal_target(target, lead, lead[k_end:], clause[m.end():m.end() + 4], sentence, section)
        if target is not None:
            yield Figure(target, int(m.group(1)), clause.strip(), sentence, section, verb=lead[:k_start])


def _figure_target(target: str, lead: str, before: str, year) -> Optional[str]:
    """The keyword's target, or None when the count before it is not this report's figure."""
    if _other_year(before + lead, year) or CHANGE.search(lead):
        return None
    if target in NEEDS_REQUEST_CONTEXT and not REQUEST_CONTEXT.search(before + lead):
        return None  # 收到行政许可申请5000件 is not an information-disclosure request
    if target in REQUEST_TARGETS and (OTHER_SUBJECTS.search(lead) or SUB_COUNT.search(lead)):
        return None
    if target in OUTCOME_TARGETS and SUB_COUNT.search(lead.replace("其中", "")):
        return None
    if target == "normative_documents" and re.search(r"规章", lead):
        return None
    return target


def _appeal_target(target: str, lead: str, after_kw: str, tail: str, sentence: str, section: str) -> Optional[str]:
    """行政复议/行政诉讼 counts: only the cases of table 4, both together when named together."""
    if section != "appeals" and "信息公开" not in sentence:
        return None  # a 司法局 handling 行政复议 as the reviewing body: not the cases of table 4
    if APPEAL_DETAIL.search(after_kw) or APPEAL_DETAIL.search(tail):
        return None
    if re.search(r"行政复议.{0,6}行政诉讼|行政诉讼.{0,6}行政复议", lead):
        return "appeals_all"
    return target


_ZERO_REQUESTS = re.compile(r"(?:未|没有)(?:收到|受理|接到)(?:任何)?(?:政府信息公开|依申请公开|信息公开)")
_ZERO_APPEALS = re.compile(r"(?:未|没有|无)(?:发生|出现)?[^，。；,]{0,12}?(行政复议[^，。；,]{0,4}?行政诉讼|行政复议|行政诉讼)")


def _zero_statements(sentence: str, section: str) -> Iterator[Figure]:
    m = _ZERO_REQUESTS.search(sentence)
    if m:
        yield Figure("received", 0, m.group(0), sentence, section)
    if section != "appeals" and "信息公开" not in sentence:
        return
    for m in _ZERO_APPEALS.finditer(sentence):
        if "败诉" in m.group(0) or APPEAL_DETAIL.search(sentence[m.end():m.end() + 4]):
            continue
        what = m.group(1)
        target = "appeals_all" if ("复议" in what and "诉讼" in what) else (
            "reconsideration" if "复议" in what else "litigation"
        )
        yield Figure(target, 0, m.group(0), sentence, section)


def percents(report: Report) -> Iterator[Percent]:
    """Percentages that follow request outcomes in the same sentence (公开占比80.7%)."""
    for section, text in report_texts(report):
        for sentence in sentences(text):
            group: list[str] = []
            cursor = 0
            figs = [f for f in figures_in(sentence, report.meta.year, section) if f.target in OUTCOME_TARGETS]
            for m in PERCENT.finditer(sentence):
                lead = sentence[cursor:m.start()]
                here = [f for f in figs if f.quote and sentence.find(f.quote, cursor) != -1 and sentence.find(f.quote, cursor) < m.start()]
                group = [f.target for f in here]
                cursor = m.end()
                figs = [f for f in figs if f not in here]
                tail = lead[-8:]
                if not group or not re.search(r"占比|占|比例|比重|率", tail) or NOT_A_SHARE.search(tail):
                    continue
                raw = m.group(1)
                decimals = len(raw.split(".")[1]) if "." in raw else 0
                numerators = tuple(dict.fromkeys([tuple(group), (group[-1],)]))
                clause_start = max(lead.rfind(c) for c in "，,、；") + 1 if any(c in lead for c in "，,、；") else 0
                yield Percent(float(raw), decimals, (lead[clause_start:] + raw + "%").strip(), numerators, section)


def figures_in(sentence: str, year, section: str) -> list[Figure]:
    out = []
    pos = 0
    for clause in CLAUSE_END.split(sentence):
        start = sentence.find(clause, pos)
        pos = start + len(clause)
        out.extend(_clause_figures(clause, sentence[:start], sentence, section, year))
    return out
