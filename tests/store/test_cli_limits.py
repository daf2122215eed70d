"""``--limit NAME=VALUE`` on parse, check, explain, ingest and reparse: the limits of
``nianbao/limits.py`` (the same names as its NIANBAO_MAX_* variables), over the environment's. A
lowered limit makes a file end with the reader's own limit error; a wrong name or value is a usage
error listing the limits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao import limits
from nianbao.cli import app

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
LONGGANG = SEEDS / "004_09848c8a4e14a3e3.txt"  # 11,376 bytes of UTF-8 text
RUSHAN = SEEDS / "000_333e33f0e39a8a89.txt"  # 7,216 bytes
runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_limits(monkeypatch):
    """Each command here runs in this process: its --limit must not outlive it."""
    for var in limits.ENV.values():
        monkeypatch.delenv(var, raising=False)
    limits.configure(None)
    yield
    limits.configure(None)


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_a_lowered_limit_makes_parse_and_check_fail_with_the_readers_own_error():
    # 0.01 MB = 10,485.76 bytes: the 11,376-byte report is over it, the 7,216-byte one under it
    res = runner.invoke(app, ["parse", "--json", "--limit", "text_mb=0.01", str(LONGGANG), str(RUSHAN)])
    assert res.exit_code == 1
    over, under = _lines(res.stdout)
    assert over["error"]["code"] == "text_too_large"
    assert str(LONGGANG) in over["error"]["message"] and "--limit text_mb=" in over["error"]["message"]
    assert "上限 0.01" in over["error"]["message"]
    assert under["meta"]["agency"] == "乳山市乳山寨镇人民政府"
    # the limit of one command only: the next reads both
    assert runner.invoke(app, ["parse", "--json", str(LONGGANG), str(RUSHAN)]).exit_code == 0
    res = runner.invoke(app, ["check", "--json", "--limit", "file_mb=0.005", str(RUSHAN)])  # 5,242 bytes
    assert res.exit_code == 1
    (line,) = _lines(res.stdout)
    assert line["error"]["code"] == "file_too_large" and "--limit file_mb=" in line["error"]["message"]


def test_explain_takes_the_limit_too():
    res = runner.invoke(app, ["explain", "--json", "--limit", "FILE_MB=0.005", str(RUSHAN)])  # names in any case
    assert res.exit_code == 1
    assert _lines(res.stdout)[0]["error"]["code"] == "file_too_large"
    assert runner.invoke(app, ["explain", "--json", "--limit", "file_mb=0.01", str(RUSHAN)]).exit_code == 0


def test_the_option_goes_over_the_environment(monkeypatch):
    monkeypatch.setenv("NIANBAO_MAX_TEXT_MB", "0.001")
    res = runner.invoke(app, ["parse", "--json", str(RUSHAN)])
    assert _lines(res.stdout)[0]["error"]["code"] == "text_too_large"
    res = runner.invoke(app, ["parse", "--json", "--limit", "text_mb=1", str(RUSHAN)])
    assert res.exit_code == 0 and _lines(res.stdout)[0]["meta"]["year"] == 2022


def test_ingest_workers_and_reparse_read_under_the_option(tmp_path):
    db = str(tmp_path / "c.db")
    args = ["ingest", str(LONGGANG), str(RUSHAN), "--db", db, "--json", "--quiet", "--workers", "2"]
    res = runner.invoke(app, [*args, "--limit", "text_mb=0.01"])
    assert res.exit_code == 1
    assert [(x["status"], x.get("error", {}).get("code")) for x in _lines(res.stdout)] == [
        ("failed", "text_too_large"), ("new", None)]
    # stored as unreadable, it stays failed on the next ingest (spec §7); reparse reads it again
    res = runner.invoke(app, args)
    assert [x["status"] for x in _lines(res.stdout)] == ["failed", "unchanged"]
    reparse = ["reparse", "--all", "--db", db, "--json", "--quiet", "--workers", "2"]
    res = runner.invoke(app, reparse)
    assert res.exit_code == 0 and sorted(x["status"] for x in _lines(res.stdout)) == ["reparsed", "reparsed"]
    res = runner.invoke(app, [*reparse, "--limit", "text_mb=0.01"])
    assert res.exit_code == 1
    assert sorted((x["path"], x["status"], x.get("error", {}).get("code")) for x in _lines(res.stdout)) == sorted(
        [(str(LONGGANG), "failed", "text_too_large"), (str(RUSHAN), "reparsed", None)])


@pytest.mark.parametrize("command", [
    ["parse", str(RUSHAN)], ["check", str(RUSHAN)], ["explain", str(RUSHAN)], ["ingest", str(RUSHAN)], ["reparse"],
])
def test_a_wrong_name_or_value_is_a_usage_error_listing_the_limits(command, tmp_path):
    db = ["--db", str(tmp_path / "c.db")] if command[0] in ("ingest", "reparse") else []
    res = runner.invoke(app, [*command, *db, "--limit", "page=3"])
    assert res.exit_code == 2
    assert "未知的限制 'page'" in res.output
    assert all(name in res.output for name in limits.ENV) and "PDF 页数" in res.output
    for bad, said in (("pages=2.5", "不是整数"), ("pages=0", "必须是大于 0 的整数"), ("pages", "应写成 名称=值"),
                      ("ratio=lots", "不是数字")):
        res = runner.invoke(app, [*command, *db, "--limit", bad])
        assert res.exit_code == 2 and said in res.output, (bad, res.output)
    assert not (tmp_path / "c.db").exists()  # refused before anything was opened


def test_the_option_is_refused_with_a_dask_cluster_whose_workers_it_cannot_reach(tmp_path):
    res = runner.invoke(app, ["ingest", str(RUSHAN), "--db", str(tmp_path / "c.db"), "--dask", "tcp://127.0.0.1:1",
                              "--limit", "pages=3"])
    assert res.exit_code == 2 and "--dask" in res.output and "NIANBAO_MAX_" in res.output


def test_the_readme_table_lists_every_limit_by_its_option_name_and_variable():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = [ln for ln in readme.splitlines() if ln.startswith("| ") and "`NIANBAO_MAX_" in ln]
    table = {}
    for ln in rows:
        cells = [c.strip().strip("`") for c in ln.strip("|").split("|")]
        table[cells[2]] = cells[3]
    assert table == limits.ENV
