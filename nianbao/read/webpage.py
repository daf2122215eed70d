"""Where the report is on a government web page, and what the page says about it.

Government CMS pages wrap the report in navigation, breadcrumbs, a 相关文章 sidebar and a footer.
The body is found, in this order (``../shared/design/stack.md`` §2):

1. a known content container (TRS ``TRS_Editor``, ``#zoom``, ``UCAP-CONTENT`` …);
2. the smallest element holding the report's chapter headings and data tables;
3. readability-lxml's main-content guess.

Page metadata (``ArticleTitle``, ``PubDate``, ``ContentSource`` meta tags, or the 发布日期/来源 line)
goes into ``Document.hints``.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.html
from lxml import etree

from ..template import CHAPTERS

_CONTAINERS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(@class, 'TRS_UEDITOR')]",
    "//*[@id='zoom' or @id='Zoom' or @id='ZOOM']",
    "//*[@id='UCAP-CONTENT' or contains(@class, 'UCAP-CONTENT')]",
)
_BOILERPLATE = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|bread|footer|foot|header|top-?bar|sidebar|side|"
    r"related|xgwz|share|position|location|weizhi|copyright|print|pager|prev|next)([\s_-]|$)",
    re.I,
)
_COUNT_CELL = re.compile(r"^[\d０-９][\d０-９,，]*(\.\d+)?$|^[/／]$")
_HEADING = re.compile(r"^\s*[一二三四五六]\s*[、.．]")
_CHAPTER_WORDS = tuple(k for c in CHAPTERS for k in c.keywords)


def heading_count(text: str) -> int:
    """How many distinct chapter headings (一、总体情况 …) the text has, one per line."""
    found = set()
    for line in text.splitlines():
        if _HEADING.match(line) and len(line) < 60:
            for c in CHAPTERS:
                if any(k in line for k in c.keywords):
                    found.add(c.key)
    return len(found)


def looks_like_report(text: str, title: str, grid_rows: int) -> bool:
    if "年度报告" in title or "年报" in title or "年度报告" in text[:3000]:
        return True
    if heading_count(text) >= 2:
        return True
    return grid_rows > 0 and any(k in text for k in ("本年新收", "申请人情况", "本年制发件数", "本年新制作数量"))


def _text_len(el: etree._Element) -> int:
    return len(re.sub(r"\s+", "", el.text_content()))


def _is_heading(el: etree._Element) -> bool:
    own = (el.text or "").strip()
    return bool(own) and len(own) < 60 and bool(_HEADING.match(own)) and any(k in own for k in _CHAPTER_WORDS)


def _data_tables(root: etree._Element) -> list[etree._Element]:
    out = []
    for t in root.iter("table"):
        if t.xpath(".//table"):
            continue
        # a count alone in a cell: a report table, not a 索引号/发布日期 metadata box
        counts = sum(1 for c in t.iter("td", "th") if _COUNT_CELL.match(c.text_content().strip()))
        if len(t.xpath(".//tr")) >= 2 and counts >= 2:
            out.append(t)
    return out


def _lowest_common_ancestor(els: list[etree._Element]) -> etree._Element:
    paths = []
    for el in els:
        chain = [el, *el.iterancestors()]
        paths.append(list(reversed(chain)))
    common = None
    for level in zip(*paths):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def strip_boilerplate(body: etree._Element) -> None:
    """Drop nav/breadcrumb/footer/sidebar blocks inside the body that hold no part of the report."""
    for el in list(body.iter()):
        if el is body or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag in ("nav", "footer") or _BOILERPLATE.search(marks):
            if el.xpath(".//table") or any(_is_heading(x) for x in el.iter() if isinstance(x.tag, str)):
                continue
            el.drop_tree()


def find_body(root: etree._Element) -> tuple[etree._Element | None, str]:
    """The element holding the report, and how it was found."""
    candidates = [el for xp in _CONTAINERS for el in root.xpath(xp)]
    candidates = [el for el in candidates if _text_len(el) >= 20 or el.xpath(".//table|.//img")]
    marks = [el for el in root.iter() if isinstance(el.tag, str) and _is_heading(el)]
    marks += _data_tables(root)
    if candidates:
        best = max(candidates, key=_text_len)
        inside = set(best.iter())
        if all(m in inside for m in marks):
            strip_boilerplate(best)
            return best, "container"
        # a container holding only part of the report (tables or chapters outside it): widen
        marks.append(best)
    if len(marks) >= 2:
        lca = _lowest_common_ancestor(marks)
        if lca is not None:
            strip_boilerplate(lca)
            return lca, "chapters"
    body = root.find("body")
    if body is None or _text_len(body) == 0:
        return None, "none"
    try:
        from readability import Document as Readable

        summary = Readable(etree.tostring(root, encoding="unicode")).summary(html_partial=True)
        frag = lxml.html.fragment_fromstring(summary, create_parent="div")
        if _text_len(frag) > 0:
            return frag, "readability"
    except Exception:  # readability is a best effort; the whole body is the answer then
        pass
    strip_boilerplate(body)
    return body, "body"


# ------------------------------------------------------------------ metadata

_DATE = re.compile(r"((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_DATE_LABELLED = re.compile(r"(?:发布日期|发布时间|发文日期|成文日期|日期|时间)\s*[:：]?\s*" + _DATE.pattern)
_AGENCY_LABELLED = re.compile(r"(?:文章来源|信息来源|来源|发布机构|发文机关)\s*[:：]\s*([^\s|｜<>:：]{2,40})")
_NOT_AGENCY = {"本站", "本网", "本网站", "原创", "网站", "未知", "admin", "管理员"}
_TITLE_META = ("articletitle", "title", "og:title")
_DATE_META = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date")
_AGENCY_META = ("contentsource", "source", "author")


def iso_date(text: str) -> str | None:
    m = _DATE.search(text or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def _metas(root: etree._Element) -> dict[str, str]:
    out = {}
    for m in root.iter("meta"):
        name = (m.get("name") or m.get("property") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if name and content and name not in out:
            out[name] = content
    return out


_CHAPTER_NUMBER = re.compile(r"^[一二三四五六七八九十]+[、.．]")


def names_a_report(text: str) -> bool:
    """A heading that is the report's title: it names an annual report, and is not a chapter
    heading (``六、其他需要报告的事项`` has 报告 in it too)."""
    if _CHAPTER_NUMBER.match(text):
        return False
    return "年度报告" in text or "年报" in text or ("信息公开" in text and "报告" in text)


def page_hints(root: etree._Element) -> dict[str, str]:
    metas = _metas(root)
    hints: dict[str, str] = {}
    title = next((metas[k] for k in _TITLE_META if metas.get(k)), "")
    if not title:
        for h in root.xpath("//h1|//h2|//h3"):
            t = re.sub(r"\s+", "", h.text_content())
            if names_a_report(t):
                title = t
                break
    if not title:
        t = root.findtext(".//title") or ""
        pieces = [p.strip() for p in re.split(r"[_|｜\-—]+", t) if p.strip()]
        title = next((p for p in pieces if names_a_report(p)), pieces[0] if pieces else "")
    if title:
        hints["title"] = re.sub(r"\s+", "", title)
    text = "\n".join(root.find("body").itertext())[:30000] if root.find("body") is not None else ""
    published = next((iso_date(metas[k]) for k in _DATE_META if metas.get(k)), None)
    if not published:
        m = _DATE_LABELLED.search(text)
        published = iso_date(m.group(0)) if m else None
    if published:
        hints["published"] = published
    agency = next((metas[k] for k in _AGENCY_META if metas.get(k)), "")
    if not agency:
        m = _AGENCY_LABELLED.search(text)
        agency = m.group(1) if m else ""
    agency = agency.strip()
    if agency and agency not in _NOT_AGENCY and not agency.startswith(("http", "www")):
        hints["agency"] = agency
    return hints
