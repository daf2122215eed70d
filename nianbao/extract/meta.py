"""Title, agency, year reported on, and publication date."""

from __future__ import annotations

import re
from datetime import date

from ..read.document import Line
from .normalize import clean_spaces, is_boilerplate, to_simplified

_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})\s*年")
_TITLE_SUFFIX = re.compile(
    r"(关于)?(的)?(政府)?(信息公开|政务公开)(工作)?(年度)?(报告|年报)$|(政府)?(信息公开)?(工作)?年度报告$"
)
_ORG_SUFFIX = re.compile(
    r"(人民政府|政府|办公室|办公厅|委员会|管理委员会|管委会|局|厅|委|院|署|办|中心|街道办事处|办事处|街道|镇|乡|所|队|站|公司|集团)$"
)
_SAME_BODY = {"人民政府", "政府", "街道办事处", "办事处", "管委会", "管理委员会", "人民政府办事处"}
_DATE = re.compile(
    r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
)
_CN_DATE = re.compile(r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日")
_PUBLISHED = re.compile(r"(发布日期|发布时间|发文日期|成文日期|公开日期|印发日期|发布于|更新时间|日期|时间)\s*[:：]?\s*")
_NOT_PUBLISHED = re.compile(r"统计(期限|时限|期间|区间|周期|时间|日期)|期限|截至|截止|起至|至\d")
_PERIOD = re.compile(r"统计(期限|时限|期间|区间|周期)?[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_PERIOD_END = re.compile(r"至\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
_NAMED_REPORT = re.compile(r"((?:19|20)\d{2})\s*年度?(?:政府)?(?:信息公开|政务公开)(?:工作)?年度?报告")
_CAPTURED = re.compile(r"(抓取|采集|保存|下载|存档|快照|捕获|爬取|访问|打印|浏览|截图|归档)(时间|日期)|saved|captured", re.I)
_SIGNED = re.compile(
    r"(?:^|[\s。；;])([^\s。，,；;：:、]{3,30}) ?((?:19|20)\d{2} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日)(?:印发|印)?"
    r"(?: ?(?:来源|信息来源|文章来源)[:：]\S*)?(?: ?附件(?:下载)?[:：]?)?$"
)
_SOURCE = re.compile(r"(文章来源|信息来源|来源|发布机构|发布单位)\s*[:：]\s*(\S+)")


def _cn_number(s: str) -> int:
    """一 … 三十一 → 1 … 31."""
    if "十" in s:
        a, _, b = s.partition("十")
        return (int(_CN_DIGITS[a]) if a else 1) * 10 + (int(_CN_DIGITS[b]) if b else 0)
    return int("".join(_CN_DIGITS[c] for c in s))


def _cn_year(s: str) -> int:
    return int("".join(_CN_DIGITS[c] for c in s))


def _valid_year(y: int) -> bool:
    return 2000 <= y <= 2100


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def ascii_digits(text: str) -> str:
    """Full-width digits (and the date marks between them) as ASCII: ２０２２年 → 2022年."""
    return text.translate(_FULLWIDTH_DIGITS)


def find_date(text: str) -> str | None:
    text = ascii_digits(text)
    m = _DATE.search(text)
    if m:
        return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_DATE.search(text)
    if m:
        return _iso(_cn_year(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3)))
    return None


def year_in(text: str) -> int | None:
    text = ascii_digits(text)
    m = _YEAR.search(text)
    if m and _valid_year(int(m.group(1))):
        return int(m.group(1))
    m = _CN_YEAR.search(text)
    if m:
        y = _cn_year(m.group(1))
        return y if _valid_year(y) else None
    return None


_TITLE_KEY = re.compile(r"^(?:标题|文章标题|题目|title)\s*[:：]\s*", re.I)  # a saver's field left in the text
_TITLE_END = re.compile(r"(报告|年报)(\s*[（(][^（()）]{0,12}[)）])?$")
_TITLE_PHRASES = ("政府信息公开工作年度报告", "政务公开工作年度报告", "信息公开工作年度报告")
# what a page prints after its title on the same line: the date, the source, the views
_TITLE_TAIL = re.compile(r"\s+(发布日期|发布时间|时间|日期|来源|文章来源|信息来源|浏览次数|点击数|字号)\s*[:：].*$")


_LOOSE_TITLE = ("信息公开", "报告")
_LOOSE_TITLE_SHAPE = re.compile(r"信息公开.{0,12}报告[)）]?$")


def find_title(lines: list[Line], hint: str | None, limit: int) -> tuple[str | None, int | None]:
    """The report's title: a line near the top that names the annual report (joined with the line
    before it when the title wrapped). When that line names no agency and the file's own title (a
    crawler's ``标题:``, the document properties) names the same report with one, the latter."""
    for words in (("年度报告",), ("年报",), _LOOSE_TITLE):
        for i, line in enumerate(lines[:limit]):
            if line.cells is not None or is_boilerplate(line.text):
                continue
            t = _TITLE_TAIL.sub("", _TITLE_KEY.sub("", clean_spaces(line.text).lstrip("#*> ")))
            t = t.rstrip("*#•·|>　 ")
            if not t or len(t) > 70 or ">" in t or "›" in t or not _TITLE_END.search(t):
                continue  # a title ends with its report (…年度报告, …年报（全文）), not mid-sentence
            if words == _LOOSE_TITLE and not _LOOSE_TITLE_SHAPE.search(t):
                continue  # 信息公开 … 报告 in a site's menu (… 政府工作报告 公示公告 …) is no title
            if all(w in t for w in words) and "。" not in t and not t.startswith(("根据", "按照", "依据", "本报告")):
                title = to_simplified(re.sub(r"\s+", "", ascii_digits(_join_wrapped(lines, i, t))))
                return _or_hint(title, hint), i
    if hint:
        return to_simplified(re.sub(r"\s+", "", ascii_digits(hint))), None
    return None, None


def _or_hint(title: str, hint: str | None) -> str:
    """The file's own title instead of the line found, when the line names no agency and the hint,
    a title of the same report (the same year, or none read in the line), does."""
    if not hint or agency_from_title(title):
        return title
    hint = to_simplified(re.sub(r"\s+", "", ascii_digits(hint)))
    if not any(w in hint for w in ("年度报告", "年报")) or not agency_from_title(hint):
        return title
    return hint if year_in(title) in (None, year_in(hint)) else title


def _join_wrapped(lines: list[Line], i: int, t: str) -> str:
    """A title wrapped over two lines: ``龙港市人民政府`` / ``2021年政府信息公开工作年度报告``, or
    within its words (a PDF's centred title): ``…管理局2022年政府信`` / ``息公开工作年度报告``."""
    if i == 0:
        return t
    prev = clean_spaces(lines[i - 1].text).strip("#*> ")
    if not prev or lines[i - 1].cells is not None or re.search(r"[。，,：:；;>]", prev):
        return t
    if (_YEAR.match(ascii_digits(t)) or _CN_YEAR.match(t)) and 2 <= len(prev) <= 30 and _ORG_SUFFIX.search(prev):
        return prev + t
    bare = re.sub(r"\s+", "", t)
    if re.match(r"\d{1,3}年", bare) and len(prev) <= 40 and year_in(re.sub(r"\s+", "", prev)[-3:] + bare[:4]):
        return prev + t  # the year cut in two: ``…市场监督管理局2`` / ``019年度政府信息公开工作年度报告``
    for phrase in _TITLE_PHRASES:
        for cut in range(1, len(phrase) - 1):  # the line opens inside the phrase, the line before ends its head
            if bare.startswith(phrase[cut:]) and re.sub(r"\s+", "", prev).endswith(phrase[:cut]) and len(prev) <= 60:
                return prev + t
    return t


def agency_from_title(title: str) -> str | None:
    """The body named before the year in a title, or None (a title that names none, or a fragment
    of the title's own words: ``息公开`` of a title wrapped within them)."""
    t = _YEAR.sub("", ascii_digits(title), count=1)
    t = _CN_YEAR.sub("", t, count=1)
    t = re.sub(r"^度", "", t)
    t = _TITLE_SUFFIX.sub("", t)
    t = re.sub(r"(关于|的|度)$", "", t).strip("《》“”\"' ")
    if t.endswith("人民"):  # 某市人民政府信息公开工作年度报告: the suffix took the 政府 of 人民政府
        t += "政府"
    if not t or any(t in phrase for phrase in _TITLE_PHRASES) or re.search(r"[:：。，]", t) or t[0].isdigit():
        return None
    return t


def _signature(lines: list[Line]) -> tuple[str | None, str | None]:
    """The organisation and date signed at the end of the report, when present."""
    tail: list[Line] = []
    for ln in reversed(lines):
        if ln.text.strip() and ln.cells is None and not is_boilerplate(ln.text):
            tail.insert(0, ln)
            if len(tail) == 6:
                break
    org = when = None
    for ln in tail:
        t = ascii_digits(clean_spaces(ln.text))
        if len(t) <= 24 and (d := find_date(t)) and re.fullmatch(r"[\d〇零○一二三四五六七八九十年月日\s\-/.]+", t):
            when = d
        elif 3 <= len(t) <= 30 and _ORG_SUFFIX.search(t) and not re.search(r"[。，,；;：:]", t):
            org = to_simplified(t)
    if org is None and tail:
        # a page run onto one line ends ``…事项。 平潭综合实验区财政金融局 2020年1月2日``
        m = _SIGNED.search(ascii_digits(clean_spaces(tail[-1].text)))
        if m and _ORG_SUFFIX.search(m.group(1)):
            org, when = to_simplified(m.group(1)), when or find_date(m.group(2))
    return org, when


def _head_years(head: list[Line], title: str | None) -> list[int]:
    """What the opening lines say of the year: the statistical period (its 1 January, or its
    31 December when it starts later in the year), and the report the preamble names
    (``现公布2019年度政府信息公开工作年度报告``; not the title line, which has its own vote): one vote
    each, the first found."""
    period = named = None
    for ln in head:
        if "年" not in ln.text:
            continue
        t = ascii_digits(ln.text)
        if period is None:
            m = _PERIOD.search(t) or _PERIOD_END.search(t)
            if m:
                period = int(m.group(m.lastindex))
        if named is None:
            m = _NAMED_REPORT.search(t)
            if m and not (title and title in re.sub(r"\s+", "", to_simplified(t))):
                named = int(m.group(1))
        if period is not None and named is not None:
            break
    return [y for y in (period, named) if y is not None and _valid_year(y)]


def report_year(title: str | None, lines: list[Line], overview_text: str | None) -> int | None:
    """The year reported on: what the title, the statistical period and the overview's own
    sentences say, by majority (the title wins a tie). Never the publication year."""
    votes: list[int] = []
    title_year = year_in(title) if title else None
    if title_year:
        votes.append(title_year)
    votes += _head_years(lines[:60], title)
    if overview_text:
        years = [int(y) for y in _YEAR.findall(ascii_digits(overview_text[:1500])) if _valid_year(int(y))]
        if years:
            votes.append(max(set(years), key=years.count))
    if not votes:
        return None
    best = max(set(votes), key=votes.count)
    if title_year and votes.count(title_year) == votes.count(best):
        return title_year
    return best


def _source_org(head: list[Line], hints: dict) -> str | None:
    """The body a page names as its source (a saver's hint, or ``来源：…`` in the head)."""
    if hints.get("agency"):
        return hints["agency"]
    for ln in head:
        m = _SOURCE.search(clean_spaces(ln.text))
        if m:
            return to_simplified(m.group(2))
    return None


def _fuller_agency(agency: str | None, source_org: str | None, sig_org: str | None) -> str | None:
    """The title's agency, or the full name of the same body (乳山市乳山寨镇 → 乳山市乳山寨镇人民政府)
    from the page's source or the signature; another body (高陵区 → 高陵区人民政府办公室, the office
    that posted the page) is not the same. Without a title's agency, the signature's."""
    for cand in (source_org, sig_org):
        if not cand:
            continue
        if agency is None and cand is sig_org:
            agency = cand
        elif agency and cand.startswith(agency) and cand[len(agency):] in _SAME_BODY:
            agency = cand
    return agency


def _published(head: list[Line]) -> str | None:
    """The publication date printed in the head (``发布日期：…``), never a statistics period nor the
    date a tool saved the page."""
    for ln in head:
        t = re.sub(r"\s+", "", ln.text)  # 发 布 日 期 ： 2022- 01- 30
        m = _PUBLISHED.search(t)
        if m and m.group(1) in ("日期", "时间") and _NOT_PUBLISHED.search(t):
            m = None  # 统计时间：2021年1月1日至… is the period, not the publication
        if m and _CAPTURED.search(t[: m.end()]):
            m = None  # 抓取时间 / 保存日期: when a tool saved the page, never its publication
        if m:
            published = find_date(t[m.end():m.end() + 40])
            if published:
                return published
    return None


def _head_limit(lines: list[Line]) -> int:
    """How many lines open the report: up to its first chapter (``一、…``), at most 40 (a page printed
    from a website has its menus first), at least 25."""
    for i, ln in enumerate(lines[:40]):
        if i >= 25 and ln.text.lstrip().startswith("一、"):
            return i
    return min(len(lines), 40)


def find_meta(lines: list[Line], hints: dict, overview_text: str | None) -> dict:
    head_limit = _head_limit(lines)
    title, title_index = find_title(lines, hints.get("title"), head_limit)
    agency = agency_from_title(title) if title else None
    sig_org, sig_date = _signature(lines)
    agency = _fuller_agency(agency, _source_org(lines[:head_limit], hints), sig_org)

    year = report_year(title, lines, overview_text)

    published = _published(lines[:head_limit]) or hints.get("published") or sig_date
    return {"title": title, "agency": agency, "year": year, "published": published, "title_index": title_index}
