"""The corpus commands' machine-readable contracts (spec §7) and their errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
runner = CliRunner()


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_ingest_json_lines_exit_status_and_rerun(store_url, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    args = ["ingest", str(SEEDS), str(empty), "--db", store_url, "--json", "--workers", "2"]
    res = runner.invoke(app, args)
    assert res.exit_code == 1  # one file failed
    lines = _lines(res.stdout)
    assert [x["status"] for x in lines] == ["new"] * 5 + ["failed"]
    assert set(lines[0]) == {"path", "sha256", "status", "report_id"}
    assert lines[-1]["error"]["code"] == "empty_file" and "empty.html" in lines[-1]["error"]["message"]
    res = runner.invoke(app, ["ingest", str(SEEDS), "--db", store_url, "--json"])
    assert res.exit_code == 0
    assert [x["status"] for x in _lines(res.stdout)] == ["unchanged"] * 5


def test_findings_coverage_agencies_compare_export(store_url, tmp_path):
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", store_url]).exit_code == 0
    res = runner.invoke(app, ["findings", "--db", store_url, "--json"])
    assert res.exit_code == 0
    for f in _lines(res.stdout):
        assert {"rule", "severity", "message", "cells", "report_id", "agency", "year", "source"} <= set(f)
        assert set(f["source"]) == {"path", "sha256"}
    res = runner.invoke(app, ["coverage", "--year", "2021", "--db", store_url, "--json"])
    cov = json.loads(res.stdout)
    assert cov["year"] == 2021
    assert {p["agency"] for p in cov["published"]} == {"龙港市人民政府", "潘庄镇人民政府"}
    assert {m["agency"] for m in cov["missing"]} >= {"乳山市乳山寨镇人民政府", "翟镇镇人民政府"}
    names = tmp_path / "names.txt"
    names.write_text("龙港市政府\n温州市教育局\n", encoding="utf-8")
    cov = json.loads(runner.invoke(app, ["coverage", "--year", "2021", "--agencies", str(names), "--db", store_url, "--json"]).stdout)
    assert cov["published"][0]["agency"] == "龙港市政府" and cov["missing"] == [{"agency": "温州市教育局"}]
    res = runner.invoke(app, ["agencies", "--db", store_url, "--ambiguous", "--json"])
    assert "潘庄镇人民政府" in {a["name"] for a in _lines(res.stdout)}
    res = runner.invoke(app, ["compare", "龙港市人民政府", "2020", "2021", "--db", store_url, "--json"])
    c = json.loads(res.stdout)
    assert c["reports"][0] is None and c["reports"][1] is not None
    res = runner.invoke(app, ["compare", "龙港市人民政府", "2020", "2021", "--db", store_url])
    assert res.exit_code == 0 and "2020年：库中没有该机关的报告" in res.stdout
    out = tmp_path / "w.xlsx"
    res = runner.invoke(app, ["export", str(out), "--chinese-headers", "--db", store_url])
    assert res.exit_code == 0 and out.stat().st_size > 0


def test_errors_are_messages_not_tracebacks(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database" * 50)
    res = runner.invoke(app, ["findings", "--db", str(bad), "--json"])
    assert res.exit_code == 2 and res.stdout == ""
    assert "Traceback" not in res.output
    db = str(tmp_path / "ok.db")
    res = runner.invoke(app, ["compare", "谁", "2020", "2021", "--db", db])
    assert res.exit_code == 1 and "没有这个机关" in res.output
    res = runner.invoke(app, ["findings", "--severity", "fatal", "--db", db])
    assert res.exit_code == 2


def test_reparse_command(store_url, monkeypatch):
    import nianbao

    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", store_url]).exit_code == 0
    res = runner.invoke(app, ["reparse", "--db", store_url, "--json"])
    assert res.exit_code == 0 and res.stdout == ""  # nothing read by an older reader
    monkeypatch.setattr(nianbao, "READER_VERSION", nianbao.READER_VERSION + 1)
    res = runner.invoke(app, ["reparse", "--db", store_url, "--json", "--workers", "1"])
    lines = _lines(res.stdout)
    assert res.exit_code == 0 and [x["status"] for x in lines] == ["reparsed"] * 5
    res = runner.invoke(app, ["ingest", str(SEEDS), "--db", store_url, "--json"])
    assert [x["status"] for x in _lines(res.stdout)] == ["unchanged"] * 5
