"""Span expansion (HTML-style cells) and grids rebuilt from cell boxes (PDF/OCR-style)."""

from nianbao.read.grid import SpanCell as C
from nianbao.read.grid import expand_spans
from nianbao.read.layout import Glyph, TableGrid, cells_to_grid, continue_table, join_glyphs


def test_rowspan_and_colspan_fill_every_slot():
    # the header of table 3 (spec §3.1) with one data row
    rows = [
        [C("说明", rowspan=3, colspan=3), C("申请人情况", colspan=7)],
        [C("自然人", rowspan=2), C("法人或其他组织", colspan=5), C("总计", rowspan=2)],
        [C("商业企业"), C("科研机构"), C("社会公益组织"), C("法律服务机构"), C("其他")],
        [C("一、本年新收", colspan=3), *(C(str(v)) for v in (136, 2, 0, 0, 27, 1, 166))],
        [C("三、本年度办理结果"), C("（三）不予公开"), C("1.属于国家秘密"), *(C(str(v)) for v in (1, 0, 0, 0, 0, 0, 1))],
    ]
    grid = expand_spans(rows)
    assert grid.width == 10
    assert grid.rows[0] == ["说明"] * 3 + ["申请人情况"] * 7
    assert grid.rows[1] == ["说明"] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert grid.rows[2] == ["说明"] * 3 + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert grid.rows[3] == ["一、本年新收"] * 3 + ["136", "2", "0", "0", "27", "1", "166"]


def test_vertical_group_labels_carry_down():
    rows = [
        [C("三、本年度办理结果", rowspan=3), C("（三）不予公开", rowspan=2), C("1.属于国家秘密"), C("1")],
        [C("2.其他法律行政法规禁止公开"), C("0")],
        [C("（七）总计", colspan=2), C("5")],
    ]
    grid = expand_spans(rows)
    assert grid.rows[1] == ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开", "0"]
    assert grid.rows[2] == ["三、本年度办理结果", "（七）总计", "（七）总计", "5"]


def test_rowspan_zero_runs_to_the_end_and_huge_spans_are_clamped():
    grid = expand_spans([[C("G", rowspan=0), C("a")], [C("b")], [C("c", colspan=10_000)]])
    assert [r[0] for r in grid.rows] == ["G", "G", "G"]
    assert grid.width == 201  # G + the clamped colspan of 200


def test_rowspan_cut_by_the_end_of_a_table_is_carried_into_the_next_part():
    first = expand_spans([[C("三、办理结果", rowspan=4), C("（一）予以公开"), C("75")], [C("（二）部分公开"), C("30")]])
    assert first.overflow == {0: ("三、办理结果", 2)}
    second = expand_spans([[C("（三）不予公开"), C("1")], [C("（七）总计"), C("165")], [C("四、结转", colspan=2), C("1")]],
                          carry=first.overflow)
    assert second.rows == [
        ["三、办理结果", "（三）不予公开", "1"],
        ["三、办理结果", "（七）总计", "165"],
        ["四、结转", "四、结转", "1"],
    ]


def test_a_column_no_row_divides_is_dropped():
    # every row spans columns 1-2 together: the table has 3 columns, not 4
    grid = expand_spans([[C("a"), C("总计", colspan=2), C("x")], [C("b"), C("29", colspan=2), C("y")]])
    assert grid.rows == [["a", "总计", "x"], ["b", "29", "y"]]


def _glyphs(text, x0, top, size=10.0):
    return [Glyph(ch, x0 + i * size, top, x0 + (i + 1) * size, top + size) for i, ch in enumerate(text)]


def test_cells_to_grid_expands_merged_boxes_and_joins_wrapped_labels():
    # 3 columns × 2 rows; the first column is one merged cell over both rows
    cells = [(0, 0, 100, 40), (100, 0, 150, 20), (150, 0, 200, 20), (100, 20, 150, 40), (150, 20, 200, 40)]
    glyphs = _glyphs("本年度", 2, 2) + _glyphs("结果", 2, 14) + _glyphs("75", 105, 5) + _glyphs("1", 155, 5)
    glyphs += _glyphs("30", 105, 25) + _glyphs("0", 155, 25)
    grid = cells_to_grid(cells, glyphs)
    assert grid.rows == [["本年度结果", "75", "1"], ["本年度结果", "30", "0"]]
    assert grid.owners[0][0] == grid.owners[1][0] == 0
    assert grid.header_rows == 0


def test_continued_table_drops_repeated_header_and_restores_cut_labels():
    prev = TableGrid((0, 0, 1, 1), [["说明", "自然人", "总计"], ["三、办理结果", "75", "103"], ["三、办理结果", "30", "31"]],
                     [[0, 1, 2], [3, 4, 5], [3, 6, 7]], header_rows=1)
    nxt = TableGrid((0, 0, 1, 1), [["说明", "自然人", "总计"], ["", "1", "1"], ["", "0", "0"]],
                    [[0, 1, 2], [3, 4, 5], [3, 6, 7]], header_rows=1)
    assert continue_table(prev, nxt).rows == [["三、办理结果", "1", "1"], ["三、办理结果", "0", "0"]]


def test_continued_table_never_fills_an_empty_number_cell():
    prev = TableGrid((0, 0, 1, 1), [["label", "n"], ["（一）予以公开", "75"]], [[0, 1], [2, 3]], header_rows=1)
    nxt = TableGrid((0, 0, 1, 1), [["（二）部分公开", ""]], [[0, 1]], header_rows=0)
    assert continue_table(prev, nxt).rows == [["（二）部分公开", ""]]


def test_label_printed_after_the_break_is_copied_back():
    # a vertically centred merged label lands on the second page: the first part's cell is empty
    prev = TableGrid((0, 0, 1, 1), [["说明", "自然人"], ["", "75"], ["", "30"]], [[0, 1], [2, 3], [2, 4]], header_rows=1)
    nxt = TableGrid((0, 0, 1, 1), [["三、办理结果", "1"], ["三、办理结果", "0"]], [[0, 1], [0, 2]], header_rows=0)
    part = continue_table(prev, nxt)
    assert part.rows == [["三、办理结果", "1"], ["三、办理结果", "0"]]
    assert prev.rows == [["说明", "自然人"], ["三、办理结果", "75"], ["三、办理结果", "30"]]


def test_join_glyphs_keeps_lines_in_reading_order():
    glyphs = _glyphs("第二行", 0, 20) + _glyphs("第一", 0, 0) + _glyphs("行", 60, 0)
    assert join_glyphs(glyphs) == ["第一 行", "第二行"]
    assert join_glyphs(glyphs, space_gap=None) == ["第一行", "第二行"]


def test_row_cut_by_a_page_break_is_joined():
    prev = TableGrid((0, 0, 1, 1), [["说明", "说明", "自然人"], ["（三）不予公开", "4.保护第三方合法权", "1"]],
                     [[0, 0, 1], [2, 3, 4]], header_rows=1)
    nxt = TableGrid((0, 0, 1, 1), [["（三）不予公开", "益", ""], ["（三）不予公开", "5.属于三类内部事务信息", "0"]],
                    [[0, 1, 2], [0, 3, 4]], header_rows=0)
    part = continue_table(prev, nxt)
    assert prev.rows[-1] == ["（三）不予公开", "4.保护第三方合法权益", "1"]
    assert part.rows == [["（三）不予公开", "5.属于三类内部事务信息", "0"]]


def test_a_blank_row_before_the_break_is_not_joined_with_the_next_item():
    prev = TableGrid((0, 0, 1, 1), [["说明", "自然人"], ["3.补正后申请内容仍不明确", ""]], [[0, 1], [2, 3]], header_rows=1)
    nxt = TableGrid((0, 0, 1, 1), [["1.信访举报投诉类申请", "0"]], [[0, 1]], header_rows=0)
    part = continue_table(prev, nxt)
    assert prev.rows[-1] == ["3.补正后申请内容仍不明确", ""]
    assert part.rows == [["1.信访举报投诉类申请", "0"]]
