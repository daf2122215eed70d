"""Layout class 6: PDF prose wrapped mid-sentence. The text rules read a chapter as running text, so
a figure split by a line break is still found, and a heading on its own line stays apart."""

from nianbao.check.texts import running_text, sentences


def test_a_sentence_wrapped_by_the_pdf_is_one_sentence():
    text = "2022年，按照条例规定，本机关共受理政府\n信息公开申请 52 件，均已按时答复。"
    assert sentences(text) == ["2022年，按照条例规定，本机关共受理政府信息公开申请 52件，均已按时答复"]


def test_a_heading_line_and_a_finished_sentence_keep_their_breaks():
    text = "（一）主动公开情况\n全年主动公开信息120条。\n二是加强平台建设"
    assert running_text(text) == text
    assert sentences(text) == ["（一）主动公开情况", "全年主动公开信息120条", "二是加强平台建设"]
