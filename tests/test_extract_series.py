"""A series settles a row that one report leaves open (``nianbao.extract.series``), on the real
金井片区管理局 pages of tests/documents/wild: 2022 prints its 结转下年度 row as ``0 00000`` (the
space is the blank 商业企业 cell), 2023 and 2024 print ``000000``: six numbers for seven cells.
The truth files, read by a person from the CMS pages, have the blank at 商业企业 in all three."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nianbao import template as T
from nianbao.cli import app
from nianbao.extract.series import YearFacts, agency_key, blank_columns, carried_rows, hints, settle, short_rows
from nianbao.extract.cells import SeriesHint
from nianbao.parse import parse_bytes, parse_path

WILD = Path(__file__).parent / "documents" / "wild"
Y2022, Y2023, Y2024, Y2025 = (WILD / f"w00{i}_jinjingpq_{y}.txt" for i, y in ((4, 2022), (5, 2023), (6, 2024), (7, 2025)))
FORWARD = [T.rq("carried_forward", c) for c in T.REQUEST_COLUMN_KEYS]
COMMERCIAL = T.REQUEST_COLUMN_KEYS.index("commercial")


def truth_row(path: Path, row: str) -> list:
    truth = json.loads((WILD / "truth" / f"{path.stem}.json").read_text(encoding="utf-8"))
    return [truth["tables"]["requests"][row][c] for c in T.REQUEST_COLUMN_KEYS]


def read_batch(paths: list[Path]):
    reports = [(p, parse_path(p)) for p in paths]
    return list(settle(reports, lambda item: item[1],
                       lambda item, found: (item[0], parse_bytes(item[0].read_bytes(), str(item[0]), found))))


def test_one_year_alone_cannot_place_the_short_row():
    report = parse_path(Y2023)
    assert short_rows(report) == {"carried_forward"}
    assert set(FORWARD) <= set(report.reading.unread)
    assert report.reading.status == "partial"


def test_the_row_seen_with_its_blank_is_a_pattern():
    report = parse_path(Y2022)
    assert truth_row(Y2022, "carried_forward")[COMMERCIAL] is None  # the person's reading
    assert blank_columns(report) == {"carried_forward": (COMMERCIAL,)}


def test_a_series_places_the_row_as_the_person_read_it():
    out = dict(read_batch([Y2022, Y2023, Y2024, Y2025]))
    for path in (Y2023, Y2024):
        report = out[path]
        row = report.tables.requests["carried_forward"]
        assert [row[c] for c in T.REQUEST_COLUMN_KEYS] == truth_row(path, "carried_forward")
        assert report.reading.status == "complete"
        assert set(FORWARD) <= set(report.reading.inferred)
        assert not set(FORWARD) & set(report.reading.unread)
        note = next(n for n in report.notes if n.code == "cells_inferred")
        # 2024's nearest year with the row seen is 2022: 2023's own row was only inferred
        assert "2022年度报告" in note.message


def test_a_pattern_that_breaks_the_row_identity_is_not_used():
    text = Y2023.read_text(encoding="utf-8")
    assert text.count("四、结转下年度继续办理 000000") == 1
    edited = text.replace("四、结转下年度继续办理 000000", "四、结转下年度继续办理 100002").encode("utf-8")
    # 1 + 0 + 0 + 0 + 0 with 商业企业 blank is not 2: no placement keeps the identity
    found = hints(parse_bytes(edited, "edited.txt"), {agency_key(parse_path(Y2022)): {2022: YearFacts(blank_columns(parse_path(Y2022)), {})}})
    assert "carried_forward" in found
    report = parse_bytes(edited, "edited.txt", found)
    assert set(FORWARD) <= set(report.reading.unread)
    assert not report.reading.inferred
    # and a row that keeps it is placed: 1 + 0 + 0 + 0 + 0 = 1
    kept = text.replace("四、结转下年度继续办理 000000", "四、结转下年度继续办理 100001").encode("utf-8")
    row = parse_bytes(kept, "kept.txt", found).tables.requests["carried_forward"]
    assert [row[c] for c in T.REQUEST_COLUMN_KEYS] == [1, None, 0, 0, 0, 0, 1]


def test_no_pattern_from_another_agency_or_a_distant_year():
    report = parse_path(Y2023)
    pattern = blank_columns(parse_path(Y2022))
    assert hints(report, {"某某县财政局": {2022: YearFacts(pattern, {})}}) == {}
    assert hints(report, {agency_key(report): {2018: YearFacts(pattern, {})}}) == {}  # five years apart
    assert hints(report, {agency_key(report): {2022: YearFacts(pattern, {})}}) != {}


def test_settle_keeps_the_order_and_passes_items_on_until_one_needs_the_batch():
    given = [Y2025, Y2022, Y2023, Y2024]
    seen: list[Path] = []

    def items():
        for p in given:
            seen.append(p)
            yield p, parse_path(p)

    stream = settle(items(), lambda item: item[1], lambda item, found: item)
    assert next(stream)[0] == Y2025 and seen == [Y2025]  # nothing waits for the batch yet
    assert [p for p, _ in stream] == [Y2022, Y2023, Y2024]


@pytest.mark.parametrize("command", ["check", "parse"])
def test_the_batch_commands_settle_series(command):
    paths = [str(p) for p in (Y2024, Y2023, Y2022)]
    result = CliRunner().invoke(app, [command, *paths, "--json"])
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["source"]["path"] for x in lines] == paths
    assert [x["reading"]["status"] for x in lines] == ["complete", "complete", "complete"]
    assert lines[0]["tables"]["requests"]["carried_forward"]["commercial"] is None
    assert lines[0]["tables"]["requests"]["carried_forward"]["natural_person"] == 0
    if command == "check":
        on_row = [f for f in lines[0]["findings"] if set(f.get("cells") or []) & set(FORWARD)]
        assert on_row and all(f["severity"] == "info" for f in on_row)


# 上年结转 printed as the run ``220000022`` (edited from 2022's ``0000000``): 2/20/0/0/0/0/22 and
# 22/0/0/0/0/0/22 both keep the row's identity, and the table's columns balance with neither.
CARRIED_RUN = "二、上年结转政府信息公开申请数量 220000022"
OVER = [T.rq("carried_over", c) for c in T.REQUEST_COLUMN_KEYS]


def carried_edit() -> bytes:
    text = Y2022.read_text(encoding="utf-8")
    assert text.count("二、上年结转政府信息公开申请数量 0000000") == 1
    return text.replace("二、上年结转政府信息公开申请数量 0000000", CARRIED_RUN).encode("utf-8")


def test_a_carried_run_split_several_ways_stays_unread_alone():
    report = parse_bytes(carried_edit(), "edited.txt")
    assert report.tables.requests["carried_over"]["natural_person"] is None
    assert set(OVER[:2]) <= set(report.reading.unread)
    assert any(n.code == "digits_ambiguous" for n in report.notes)


@pytest.mark.parametrize("carried", [(2, 20, 0, 0, 0, 0, 22), (22, 0, 0, 0, 0, 0, 22)])
def test_last_years_carry_forward_picks_the_split(carried):
    report = parse_bytes(carried_edit(), "edited.txt", {"carried_over": SeriesHint(2021, values=carried)})
    row = report.tables.requests["carried_over"]
    assert tuple(row[c] for c in T.REQUEST_COLUMN_KEYS) == carried
    assert set(OVER) <= set(report.reading.inferred)
    assert not set(OVER) & set(report.reading.unread)
    note = next(n for n in report.notes if n.code == "digits_by_series")
    assert "2021年度报告" in note.message and "结转下年度" in note.message


def test_a_carry_that_is_no_split_of_the_run_decides_nothing():
    report = parse_bytes(carried_edit(), "edited.txt", {"carried_over": SeriesHint(2021, values=(2, 0, 0, 0, 0, 0, 2))})
    assert set(OVER[:2]) <= set(report.reading.unread)
    assert not report.reading.inferred


def test_the_carry_of_a_year_comes_from_rows_read_whole():
    assert carried_rows(parse_path(Y2025)) == {"carried_over": (0,) * 7, "carried_forward": (0,) * 7}
    # 2022's 结转下年度 has a blank cell: not a carry to split another year's run with
    assert "carried_forward" not in carried_rows(parse_path(Y2022))
    edited = parse_bytes(carried_edit(), "edited.txt")
    assert "carried_over" not in carried_rows(edited)  # unread cells are no carry either
    facts = {agency_key(edited): {2021: YearFacts({}, {"carried_forward": (2, 20, 0, 0, 0, 0, 22)})}}
    assert hints(edited, facts) == {"carried_over": SeriesHint(2021, values=(2, 20, 0, 0, 0, 0, 22))}
    assert hints(edited, {agency_key(edited): {2020: facts[agency_key(edited)][2021]}}) == {}  # not adjacent


def test_a_long_batch_holds_a_bounded_window_and_keeps_the_order():
    given = [Y2023, Y2025, Y2022, Y2024]
    reports = {p: parse_path(p) for p in given}

    def run(window: int) -> list[Path]:
        reread: list[Path] = []

        def again(item, found):
            reread.append(item[0])
            return item

        out = [p for p, _ in settle(((p, reports[p]) for p in given), lambda i: i[1], again, window=window)]
        assert out == given
        return reread

    # a window of two: 2023 waits until 2022 has been seen, 2024 until the end
    assert run(2) == [Y2023, Y2024]
    # a window of one: 2023 must go before 2022 arrives; only 2025 was seen (no blanks): left as read
    assert run(1) == [Y2024]


def test_the_checker_says_which_cells_were_inferred_and_blames_nobody_for_them():
    from nianbao.check import check_report

    report = parse_bytes(carried_edit(), "edited.txt", {"carried_over": SeriesHint(2021, values=(2, 20, 0, 0, 0, 0, 22))})
    findings = check_report(report)
    said = [f for f in findings if f.rule == "template.cells_inferred"]
    assert said and set(OVER) <= {c for f in said for c in f.cells} and all(f.severity == "info" for f in said)
    # the table does not balance with 上年结转 of 22 (the edit): on inferred cells that is info, not an error
    on_row = [f for f in findings if set(f.cells or []) & set(OVER)]
    assert on_row and all(f.severity == "info" for f in on_row)
