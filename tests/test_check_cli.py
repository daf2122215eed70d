"""``nianbao check`` and ``nianbao rules`` (spec §6 conventions)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nianbao.check import RULES
from nianbao.cli import app

SEEDS = Path(__file__).resolve().parents[1] / "samples" / "seeds"
runner = CliRunner()


def seed(prefix: str) -> str:
    return str(next(SEEDS.glob(f"{prefix}_*.txt")))


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_check_json_lines_in_argument_order_exit_0_without_errors():
    result = runner.invoke(app, ["check", seed("002"), seed("000"), "--json"])
    assert result.exit_code == 0, result.output
    objs = lines(result.stdout)
    assert [Path(o["source"]["path"]).name[:3] for o in objs] == ["002", "000"]
    assert sorted(f["rule"] for f in objs[0]["findings"]) == ["template.label_altered", "template.other_single_row", "text.self_reference"]
    assert objs[1]["findings"] == []
    f = objs[0]["findings"][0]
    assert set(f) >= {"rule", "severity", "message", "cells", "expected", "actual"}


def test_check_exit_1_on_an_error_finding(tmp_path):
    text = Path(seed("001")).read_text(encoding="utf-8").replace("| 10 | 45 |", "| 10 | 46 |")
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad), "--json"])
    assert result.exit_code == 1
    (obj,) = lines(result.stdout)
    assert [f["rule"] for f in obj["findings"] if f["severity"] == "error"] == ["appeals.total"]


def test_check_unreadable_file_gets_an_error_line_and_exit_1(tmp_path):
    missing = tmp_path / "missing.html"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["check", str(missing), seed("000"), str(empty), "--json"])
    assert result.exit_code == 1
    objs = lines(result.stdout)
    assert len(objs) == 3
    assert objs[0]["error"]["message"].startswith(str(missing))
    assert "findings" in objs[1] and "error" not in objs[1]
    assert objs[2]["error"]["code"] == "empty_file"
    assert "Traceback" not in result.output


def test_check_usage_error_exit_2():
    assert runner.invoke(app, ["check"]).exit_code == 2
    assert runner.invoke(app, ["check", seed("000"), "--nope"]).exit_code == 2


def test_check_human_output_grouped_in_chinese():
    result = runner.invoke(app, ["check", seed("002"), seed("001")])
    assert result.exit_code == 0
    out = result.stdout
    assert "表二 主动公开政府信息情况" in out and "表三 收到和处理政府信息公开申请情况" in out
    assert out.index("表二 主动公开") < out.index("表三 收到和处理")
    assert "警告" in out and "template.other_single_row" in out
    assert "未发生政府信息公开行政败诉案件" in out


def test_rules_json_lists_the_registry():
    result = runner.invoke(app, ["rules", "--json"])
    assert result.exit_code == 0
    objs = lines(result.stdout)
    assert [o["id"] for o in objs] == list(RULES)
    balance = next(o for o in objs if o["id"] == "requests.balance")
    assert balance["severity"] == "error" and balance["versions"] == ["2019", "2021"]
    assert "勾稽关系" in balance["rationale"]


def test_rules_table():
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    assert "requests.balance" in result.stdout and "核查规则" in result.stdout


def test_human_output_puts_errors_first(tmp_path):
    text = Path(seed("002")).read_text(encoding="utf-8")
    # table 2 keeps its warning (label 规范性文件); table 4 gets an error: 复议后起诉 总计 5, parts 0
    text = text.replace(
        "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0", "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t5"
    )
    bad = tmp_path / "bad.txt"
    bad.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(bad)])
    assert result.exit_code == 1
    out = result.stdout
    assert out.index("表四 政府信息公开行政复议") < out.index("表二 主动公开政府信息情况")
    assert "错误" in out and "不等于总计(5)" in out
