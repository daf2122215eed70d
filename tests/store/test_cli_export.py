"""`nianbao export x.xlsx` past the rows of an Excel sheet: refused before anything is written, with
the one limit the web's downloads use (``bulk.EXCEL_MAX_ROWS``), patched small here."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.store import bulk

SEEDS = Path(__file__).resolve().parents[2] / "samples" / "seeds"
runner = CliRunner()


@pytest.fixture
def corpus(store_url):
    """The five seeds: five reports, two of them of 2021 (龙港市人民政府, 潘庄镇人民政府)."""
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", store_url, "--quiet", "--workers", "1"]).exit_code == 0
    return store_url


def _data_rows(path: Path) -> int:
    import openpyxl

    ws = openpyxl.load_workbook(path, read_only=True).active
    return sum(1 for _ in ws.iter_rows(min_row=2))


def test_an_excel_export_over_the_sheet_limit_is_refused_and_nothing_is_written(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "EXCEL_MAX_ROWS", 4)
    out = tmp_path / "全部.xlsx"
    res = runner.invoke(app, ["export", str(out), "--db", corpus])
    assert res.exit_code == 1
    assert str(out) in res.output and "共 5 行" in res.output and "上限（4 行）" in res.output
    assert "CSV" in res.output and "Parquet" in res.output and "已导出" not in res.output
    assert not out.exists()
    # the same rows as CSV are not limited; an Excel file of one year (2 rows) is written whole
    assert runner.invoke(app, ["export", str(tmp_path / "全部.csv"), "--db", corpus]).exit_code == 0
    year = tmp_path / "2021.xlsx"
    res = runner.invoke(app, ["export", str(year), "--year", "2021", "--db", corpus])
    assert res.exit_code == 0, res.output
    assert _data_rows(year) == 2


def test_exactly_the_limit_is_exported(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk, "EXCEL_MAX_ROWS", 5)
    out = tmp_path / "w.xlsx"
    res = runner.invoke(app, ["export", str(out), "--db", corpus])
    assert res.exit_code == 0, res.output
    assert _data_rows(out) == 5


def test_the_writer_stops_at_the_limit_when_the_count_did_not_refuse(tmp_path, monkeypatch):
    """Rows the count before could not see (a corpus growing meanwhile, findings of one severity):
    write_xlsx refuses the row past the limit and leaves no file."""
    from nianbao.store.export import ExcelTooLarge, write_xlsx

    monkeypatch.setattr(bulk, "EXCEL_MAX_ROWS", 3)
    out = tmp_path / "t.xlsx"
    with pytest.raises(ExcelTooLarge) as e:
        write_xlsx(out, "表", ["a", "b"], ([i, f"x{i}"] for i in range(4)))
    assert e.value.code == "excel_too_large" and str(out) in e.value.message and "3 行" in e.value.message
    assert not out.exists()
    assert write_xlsx(out, "表", ["a", "b"], ([i, f"x{i}"] for i in range(3))) == 3
    assert _data_rows(out) == 3


@pytest.mark.parametrize("name,shape", [("w.csv", "wide"), ("w.xlsx", "wide"), ("l.parquet", "long"),
                                        ("l.csv", "long"), ("f.xlsx", "findings")])
def test_an_export_stopped_halfway_leaves_the_file_from_before_and_nothing_half_written(corpus, tmp_path, name, shape):
    """Ctrl-C (KeyboardInterrupt from the progress callback, where the bar runs) or any error
    while writing: the export is written beside its target and renamed only once whole."""
    from nianbao.store import open_store

    E = importlib.import_module("nianbao.store.export")  # the module (the package exports a function of its name)

    out = tmp_path / name
    out.write_bytes(b"the export of yesterday")
    store = open_store(corpus)

    def stop(*rows):
        raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            E.export(store, out, shape=shape, progress=stop)
        assert out.read_bytes() == b"the export of yesterday"
        assert not [p for p in tmp_path.iterdir() if ".part-" in p.name]
        # not stopped: written whole, in place of the old one
        rows = E.export(store, out, shape=shape)
        assert rows > 0 and out.read_bytes() != b"the export of yesterday"
        assert not [p for p in tmp_path.iterdir() if ".part-" in p.name]
    finally:
        store.close()


def test_the_command_says_the_file_is_untouched_when_interrupted(corpus, tmp_path, monkeypatch):
    E = importlib.import_module("nianbao.store.export")

    out = tmp_path / "w.csv"
    out.write_text("before", encoding="utf-8")

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(E, "_export_to", interrupted)
    res = runner.invoke(app, ["export", str(out), "--db", corpus])
    assert res.exit_code == 130
    assert "已中断" in res.output and "未改动" in res.output
    assert out.read_text(encoding="utf-8") == "before"


def test_an_export_to_a_pipe_is_written_into_it(corpus, tmp_path):
    """Not a regular file (a FIFO, /dev/stdout): written as it goes, nothing put beside it."""
    import os
    import threading

    from nianbao.store import open_store

    E = importlib.import_module("nianbao.store.export")
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    store = open_store(corpus)
    try:
        assert E.export(store, fifo, shape="wide") == 5
    finally:
        store.close()
    reader.join(10)
    assert got and got[0].decode("utf-8-sig").count("\n") == 6  # the header and the five seeds
    assert sorted(p.name for p in tmp_path.iterdir() if ".part-" in p.name) == []
    assert not fifo.is_file() and fifo.exists()  # still the pipe, not replaced by a file
