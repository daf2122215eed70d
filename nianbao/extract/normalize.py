"""Normalising text for matching, and recognising the boilerplate of copied pages.

Two forms of every string exist: the raw text (kept for display and provenance) and its *key*
(for matching labels): NFKC (full width → half width), traditional → simplified, no spaces of any
kind, no quotation marks. Labels of the template are compared key to key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\s\u00a0\u3000\u2000-\u200b\u202f\u205f\ufeff]+")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』＂")
# Characters that NFKC leaves alone but that stand for the same thing in labels.
_FOLD = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "—": "-", "–": "-", "－": "-", "―": "-", "‐": "-"})


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc

        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - opencc is a core dependency; stay usable without it
        return None


def to_simplified(text: str) -> str:
    conv = _t2s()
    return conv.convert(text) if conv is not None else text


def clean_spaces(text: str) -> str:
    """Collapse every kind of space (NBSP, ideographic, zero-width) to one ASCII space, stripped."""
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """The matching key of a label: NFKC, simplified, no spaces, no quotes."""
    t = _SPACES.sub("", unicodedata.normalize("NFKC", text))  # spaces first: 反 覆 → 反覆 → 反复
    return to_simplified(t).translate(_QUOTES).translate(_FOLD)


def display(text: str) -> str:
    """Text for display: NFKC only for spaces; traditional characters converted; trimmed."""
    return to_simplified(clean_spaces(text))


# ------------------------------------------------------------------- boilerplate of copied pages

_BOILERPLATE = re.compile("|".join(
    f"(?:{p})"
    for p in (
        r"^(您现在的位置|当前位置|所在位置|您的位置)",
        r"^(首页\s*[>›»])",
        r"^[>›»]",
        r"(分享到|扫一扫|在手机(上)?打开|手机扫码|微信扫一扫)",
        r"^(上一篇|下一篇)",
        r"(打印本页|打印本稿|关闭本页|关闭窗口|返回顶部|【打印】|【关闭】|\[打印\]|\[关闭\])",
        r"^(点击次数|浏览次数|阅读次数|访问量|字体|字号)[:：]?",
        r"(版权所有|网站标识码|公网安备|ICP备|网站地图|主办单位|承办单位|技术支持)",
        r"^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$",
        r"^[-—]\s*\d+\s*[-—]$",
        r"^\d+\s*/\s*\d+$",
        r"^(相关链接|相关文章|相关阅读|附件[:：]?)$",
    )
))


@lru_cache(maxsize=65536)
def is_boilerplate(text: str) -> bool:
    """A line of navigation, sharing, page furniture or footer: not part of the report."""
    if len(text) > 160:
        return False
    t = clean_spaces(unicodedata.normalize("NFKC", text)).lstrip("•·●◆■▪* ")
    if not t or len(t) > 80:
        return False
    return _BOILERPLATE.search(t) is not None


_PAGE_META = re.compile(r"(发布日期|发布时间|发文日期|成文日期|文章来源|信息来源|来源[:：]|浏览次数|点击次数|阅读次数|字号|字体[:：]|索引号|发文字号|主题分类|发布机构)")


@lru_cache(maxsize=65536)
def is_page_meta(text: str) -> bool:
    """A line of the page's own metadata (date, source, hit counter): not the report's text."""
    t = clean_spaces(unicodedata.normalize("NFKC", text))
    return 0 < len(t) <= 120 and _PAGE_META.search(t) is not None


_PAGE_END = re.compile(r"(打印本页|打印本稿|关闭本页|关闭窗口|返回顶部|上一篇|下一篇|版权所有|网站标识码|相关链接|相关文章|分享到|扫一扫)")


@lru_cache(maxsize=65536)
def is_page_end(text: str) -> bool:
    """A line that closes the article on a copied web page: what follows is page furniture."""
    t = clean_spaces(unicodedata.normalize("NFKC", text))
    return bool(t) and len(t) <= 80 and bool(_PAGE_END.search(t))
