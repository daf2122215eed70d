"""Decoding bytes without trusting the page's own charset claims."""

import pytest

from nianbao.read.decode import decode, widen

TEXT = "龙港市人民政府2021年政府信息公开工作年度报告。联系人：陈喆；引用朱镕基同志的论述。本年新收申请166件。"


def html(charset: str) -> str:
    return f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body><p>{TEXT}</p></body></html>'


@pytest.mark.parametrize("declared", ["gb2312", "GB2312", "gbk", "x-gbk", "utf-8", "big5", "iso-8859-1", "windows-1252"])
def test_gb18030_bytes_decode_whatever_the_meta_says(declared):
    data = html(declared).encode("gb18030")
    text, enc = decode(data)
    assert TEXT in text
    assert enc == "gb18030"


def test_widen_only_chinese_charsets():
    assert widen("GB2312") == "gb18030" and widen("gbk") == "gb18030" and widen("cp936") == "gb18030"
    assert widen("utf-8") == "utf-8"


@pytest.mark.parametrize("encoding,expected", [("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig"), ("utf-16-le", "utf-16-le"),
                                               ("utf-16-be", "utf-16-be")])
def test_bom_and_bomless_utf16(encoding, expected):
    text, enc = decode(html("utf-8").encode(encoding))
    assert TEXT in text and enc == expected


def test_utf8_cut_mid_character_stays_utf8():
    data = html("utf-8").encode("utf-8")
    cut = data[:40] + data[41:]  # one byte of a multi-byte character lost
    text, enc = decode(cut + "尾".encode("utf-8")[:2])
    assert "本年新收申请166件。" in text
    assert enc.startswith("utf-8 (")


def test_gbk_page_with_a_broken_byte_is_still_gb18030():
    data = html("gbk").encode("gbk") + b"\xff"
    text, enc = decode(data)
    assert "本年新收申请166件。" in text and enc.startswith("gb18030")
