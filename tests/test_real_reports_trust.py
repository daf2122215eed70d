"""Real reports with hand-read truth (copied from ``../shared/corpus`` into ``tests/fixtures/real``):
no error or warning rests on a cell the reader misread or could not read (spec §8, issue 12), and
the reading status says ``partial`` exactly when a cell is unread."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.check import check_report
from nianbao.parse import parse_path
from nianbao.template import cell_table

REAL = Path(__file__).parent / "fixtures" / "real"
CASES = sorted(
    (raw, base / "truth" / f"{raw.stem}.json")
    for base in (REAL, REAL / "wild")
    for raw in (base / "raw").iterdir()
    if (base / "truth" / f"{raw.stem}.json").exists()
)
ABSENT = object()


def truth_of(truth: dict, path: str):
    _, table, row, column = path.split(".")
    return ((truth.get("tables") or {}).get(table) or {}).get(row, {}).get(column, ABSENT)


def uncertain(expected) -> bool:
    """Truth the person could not read for sure is written with a question mark (``"0?"``)."""
    return isinstance(expected, str) and expected.endswith("?")


def test_the_real_reports_are_there():
    assert len(CASES) >= 15


@pytest.mark.parametrize("raw, truth_file", CASES, ids=[c[0].name for c in CASES])
def test_no_accusation_rests_on_a_misread_or_unread_cell(raw, truth_file):
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    report = parse_path(raw)
    wrong = []
    for f in check_report(report):
        if f.severity == "info":
            continue
        for c in f.cells:
            if cell_table(c) is None:
                continue
            expected = truth_of(truth, c)
            if c in report.reading.unread:
                wrong.append(f"{f.rule} ({f.severity}) rests on unread {c}")
            elif uncertain(expected):
                continue
            elif expected is not ABSENT and report.has(c) and report.get(c) != expected:
                wrong.append(f"{f.rule} ({f.severity}) rests on {c} read as {report.get(c)}, printed {expected}")
    assert wrong == []
    assert report.reading.status == ("partial" if report.reading.unread else "complete")
