"""Plain text and markdown: decode, split into lines, and set aside a saver's header.

Crawler exports and saved pages often open with a header the saving tool wrote, not the report:

    标题: 平潭综合实验区金井片区管理局2020年政府信息公开工作年度报告
    发布时间: 2021-01-27 09:00
    原文链接: https://…
    ==================== 正文 ====================

Its fields are page metadata: they become ``Document.hints`` (the title, the page's publication
date, the publishing body) and the header lines are not part of the report's text, so that
``标题:`` never becomes part of an agency's name. A capture tool's own date (抓取时间, 保存时间 …) is
when the page was saved, not when it was published: it is never a publication date.
"""

from __future__ import annotations

import html
import re
import unicodedata

from .decode import decode
from .document import Document, Line, text_to_lines

# "key: value" lines of a saver's header, by what the key means
_HEADER_KEYS = {
    "title": ("标题", "文章标题", "题目", "title"),
    "published": ("发布时间", "发布日期", "公开日期", "成文日期", "发文日期", "印发日期"),
    "agency": ("发布机构", "发文机关", "发布单位", "来源单位", "信息来源", "来源"),
    "capture": ("抓取时间", "采集时间", "保存时间", "下载时间", "存档时间", "快照时间", "捕获时间", "爬取时间",
                "saved", "captured", "retrieved"),
    "other": ("文号", "索引号", "栏目", "原文链接", "原始链接", "原文地址", "来源网址", "页面地址", "链接", "网址", "url",
              "本地目录", "分类", "主题分类", "关键词", "页面链接与图片详见", "source"),
}
_KEY_OF = {k: what for what, keys in _HEADER_KEYS.items() for k in keys}
_FIELD = re.compile(r"^\s*([^\s:：]{1,12})\s*[:：]\s*(.*)$")
_SEPARATOR = re.compile(r"^\s*[=＝\-—_*#]{5,}.*$")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
MAX_HEADER_LINES = 20


def split_header(lines: list[Line]) -> tuple[dict[str, str], list[Line]]:
    """The saver's header fields and the lines after it. No header: ``({}, lines)``.

    A header is a run of ``key: value`` lines with known keys at the very top (blank lines, a free
    line such as ``页面链接与图片详见 links.tsv`` and a wrapper's own caption such as ``网页快照`` before
    the first field allowed), closed by a separator line or by the first line that is not a field;
    it must name at least two known keys, one of them a title or a date, so that a report that opens
    with ``标题：…`` alone is not taken for one. Wrappers nest (a capture tool's header around a
    crawler's): a header closed by a separator may be followed by another, whose fields are added
    (the inner one's title and dates are the page's own)."""
    fields: dict[str, str] = {}
    rest = lines
    for _ in range(3):
        block, end = _header_block(rest)
        if block is None:
            break
        for what, value in block.items():
            if what not in fields or what in ("title", "published", "agency"):
                fields[what] = value
        rest = rest[end:]
    if not fields:
        return {}, lines
    return fields, rest


def _header_block(lines: list[Line]) -> tuple[dict[str, str] | None, int]:
    """One header block at the top of ``lines``: its fields and the index after it, or (None, 0)."""
    fields: dict[str, str] = {}
    known = 0
    end = 0
    free = 0
    for i, line in enumerate(lines[:MAX_HEADER_LINES]):
        text = line.text.strip()
        if not text:
            end = i + 1
            continue
        if _SEPARATOR.match(text):
            if known:
                end = i + 1
            break
        m = _FIELD.match(text)
        what = _KEY_OF.get(m.group(1).lower()) if m else None
        if what is None:
            if text.startswith("页面链接"):
                end = i + 1
                continue
            if not known and free < 1 and len(text) <= 12 and i < 2:
                free += 1  # a wrapper's caption (网页快照) before its fields
                continue
            break
        known += 1
        value = m.group(2).strip()
        if value and what not in fields:
            fields[what] = value
        end = i + 1
    if known < 2 or not ({"title", "published", "capture"} & set(fields)):
        return None, 0
    return fields, end


def header_hints(fields: dict[str, str]) -> dict[str, str]:
    hints: dict[str, str] = {}
    if fields.get("title"):
        hints["title"] = fields["title"]
    m = _DATE.search(unicodedata.normalize("NFKC", fields.get("published", "")))  # ２０２３－０１－０４ too
    if m:
        y, mo, d = (int(g) for g in m.groups())
        hints["published"] = f"{y:04d}-{mo:02d}-{d:02d}"
    if len(re.findall(r"[\u4e00-\u9fff]", fields.get("agency", ""))) >= 3:  # not a CMS code such as "1"
        hints["agency"] = fields["agency"]
    return hints


# HTML character references left in a page's text by the tool that saved it (``规章&nbsp;0&nbsp;0``)
_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|thinsp|amp|lt|gt|quot|#\d{2,6}|#x[0-9a-fA-F]{2,5});")


def read_text(data: bytes, path: str = "", fmt: str = "text") -> Document:
    text, encoding = decode(data)
    if "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    fields, lines = split_header(text_to_lines(text))
    doc = Document(lines=lines, format=fmt, reader="text", hints=header_hints(fields))
    if "replacement" in encoding:
        doc.notes.append(f"encoding could not be determined; decoded as {encoding}")
    return doc
