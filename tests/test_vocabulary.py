"""One vocabulary (issue 13): cell paths are made by ``nianbao.template.CellPath`` only, numbers
are written by ``nianbao.numbers.format_number`` only."""

from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import pytest

import nianbao
from nianbao import template as T
from nianbao.numbers import format_number
from nianbao.template import CellPath, InvalidCellPath

PACKAGE = Path(nianbao.__file__).parent


# --------------------------------------------------------------------------- CellPath


def test_cell_path_is_built_parsed_and_named_from_the_template():
    p = CellPath("requests", "new_received", "total")
    assert p == "tables.requests.new_received.total"
    assert isinstance(p, str)
    assert (p.table, p.row, p.column) == ("requests", "new_received", "total")
    assert p.label == "表三“一、本年新收政府信息公开申请数量”行“总计”列"
    q = CellPath.parse("tables.appeals.litigation_direct.corrected")
    assert (q.table, q.row, q.column) == ("appeals", "litigation_direct", "corrected")
    assert q.label == "表四“行政诉讼·未经复议直接起诉”结果纠正"
    assert CellPath.parse("tables.active.fees.amount").label == "表二“行政事业性收费”本年收费金额（单位：万元）"
    # the long remark of （二） is cut in labels
    assert T.rq("partially_granted", "commercial").label == "表三“（二）部分公开”行“商业企业”列"


@pytest.mark.parametrize(
    "bad",
    ["", "tables", "tables.requests.new_received", "tables.requests.new_received.total.x",
     "table.requests.new_received.total", "tables.sections.new_received.total", "tables.requests..total"],
)
def test_an_invalid_path_is_refused_with_a_message_naming_it(bad):
    with pytest.raises(InvalidCellPath) as e:
        CellPath.parse(bad)
    assert repr(bad) in str(e.value) or "tables" in str(e.value)
    assert T.cell_table(bad) is None


def test_validate_against_a_template_version():
    assert CellPath("active", "procurement", "amount").in_version("2019")
    assert not CellPath("active", "procurement", "amount").in_version("2021")
    assert CellPath("active", "regulations", "issued").validate("2021") == "tables.active.regulations.issued"
    with pytest.raises(InvalidCellPath, match="2021年版格式中没有这个单元格"):
        CellPath("active", "procurement", "amount").validate("2021")
    with pytest.raises(InvalidCellPath, match="年报格式中没有这个单元格"):
        CellPath("requests", "nope", "total").validate()
    # 2021's （六） printed as one row (some reports do) is a cell a report may have
    assert T.rq("other_handling").in_version("2021")


def test_cell_path_stays_a_plain_string_in_json_dicts_and_pickles():
    p = T.ap("reconsideration", "pending")
    assert json.dumps({p: [p]}) == '{"tables.appeals.reconsideration.pending": ["tables.appeals.reconsideration.pending"]}'
    assert {"tables.appeals.reconsideration.pending": 1}[p] == 1
    back = pickle.loads(pickle.dumps(p))
    assert back == p and isinstance(back, CellPath) and back.column == "pending"


def test_every_template_cell_has_its_path_and_label():
    cells = T.all_cells("2021")
    # 表二 2021: 规章 and 规范性文件 3 each, 许可/处罚/强制/收费 1 each; 表三: 25 rows × 7; 表四: 15
    assert len(cells) == 10 + 25 * 7 + 15
    for c in cells:
        assert c.path == CellPath(c.table, c.row, c.column)
        assert c.path.label == c.label.replace("（区分处理的，只计这一情形，不计其他情形）", "")


# --------------------------------------------------------------------------- no hand-built paths


def _hand_built_paths(tree: ast.AST) -> list[int]:
    """Line numbers of string expressions that spell out ``tables.…`` (docstrings excepted)."""
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)
    }
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if node.value.startswith("tables.") and node.value != "tables.":
                out.append(node.lineno)
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and str(first.value).startswith("tables."):
                out.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = node.left
            if isinstance(left, ast.Constant) and isinstance(left.value, str) and left.value.startswith("tables"):
                out.append(node.lineno)
    return sorted(set(out))


NOT_YET: tuple[str, ...] = ()  # every module builds its cell paths through the template


def test_no_module_builds_a_cell_path_by_hand():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "template.py" or (NOT_YET and rel.startswith(NOT_YET)):
            continue
        for line in _hand_built_paths(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{rel}:{line}")
    assert found == [], "cell paths built by hand (use nianbao.template.CellPath / rq / ap / ac): " + ", ".join(found)


def test_the_detector_sees_each_way_of_building_a_path():
    src = 'a = f"tables.requests.{r}.total"\nb = "tables.requests." + r\nc = "tables.appeals.x.total"\n'
    assert _hand_built_paths(ast.parse(src)) == [1, 2, 3]
    assert _hand_built_paths(ast.parse('"""tables.requests.x.total in a docstring"""\n')) == []


# --------------------------------------------------------------------------- one number formatter


@pytest.mark.parametrize(
    "value, text",
    [(3481800.0, "3481800"), (166, "166"), (166.0, "166"), (1627.79, "1627.79"), (0.1 + 0.2, "0.3"),
     (-2.5, "-2.5"), (1e-7, "0.0000001"), (1.5e20, "150000000000000000000"), (0, "0")],
)
def test_numbers_are_written_in_plain_decimals(value, text):
    assert format_number(value) == text


def test_a_blank_cell_is_written_as_the_surface_asks():
    assert format_number(None) == ""
    assert format_number(None, "空白") == "空白"


def test_no_other_module_formats_floats_with_g_or_exponent():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        text = path.read_text(encoding="utf-8")
        for token in (":g}", ":e}", ":.6f}"):
            if token in text:
                bad.append(f"{rel}: {token}")
    assert bad == []


def test_the_terminal_table_prints_large_amounts_without_exponent():
    from rich.console import Console

    from nianbao.render.terminal import print_report
    from nianbao import synth

    r = synth.report(3, year=2022)
    r.set("tables.active.fees.amount", 3481800.0)
    console = Console(record=True, width=200)
    print_report(r, console)
    text = console.export_text()
    assert "3481800" in text and "3.4818e+06" not in text
