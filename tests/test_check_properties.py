"""Properties over many reports: valid reports give no errors; any one changed table-3 or table-4
number gives an error that names the changed cell; the checker is pure and deterministic."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao import synth
from nianbao import template as T
from nianbao.check import check_report, run

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.integers(0, 10_000))
def test_valid_reports_have_no_error(seed):
    report = synth.report(seed)
    assert [f for f in check_report(report) if f.severity == "error"] == []


@SETTINGS
@given(st.integers(0, 10_000), st.data())
def test_one_changed_request_cell_gives_an_error_naming_it(seed, data):
    report = synth.report(seed)
    rows = list(report.tables.requests)
    row = data.draw(st.sampled_from(rows))
    col = data.draw(st.sampled_from(T.REQUEST_COLUMN_KEYS))
    delta = data.draw(st.integers(1, 50))
    report.tables.requests[row][col] += delta
    path = f"tables.requests.{row}.{col}"
    errors = [f for f in check_report(report) if f.severity == "error"]
    assert errors, path
    assert any(path in f.cells for f in errors), (path, [f.message for f in errors])


@SETTINGS
@given(st.integers(0, 10_000), st.data())
def test_one_changed_appeal_cell_gives_appeals_total(seed, data):
    report = synth.report(seed)
    block = data.draw(st.sampled_from(T.APPEAL_BLOCK_KEYS))
    field = data.draw(st.sampled_from(T.APPEAL_FIELD_KEYS))
    report.tables.appeals[block][field] += data.draw(st.integers(1, 9))
    found = [f for f in check_report(report) if f.rule == "appeals.total"]
    assert len(found) == 1 and f"tables.appeals.{block}.{field}" in found[0].cells


def test_pure_and_deterministic():
    report = synth.report(7)
    report.tables.requests["granted"]["total"] += 3
    before = copy.deepcopy(report.model_dump())
    first = check_report(report)
    assert report.model_dump() == before
    assert [f.model_dump() for f in check_report(report)] == [f.model_dump() for f in first]
    assert run(report).findings == first


def test_errors_come_first_then_tables_in_order():
    report = synth.report(11)
    report.tables.appeals["reconsideration"]["total"] += 1
    report.tables.requests["granted"]["total"] += 1
    report.meta.title = None
    found = check_report(report)
    severities = [f.severity for f in found]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    errors = [f for f in found if f.severity == "error"]
    tables = [f.cells[0].split(".")[1] for f in errors]
    assert tables == sorted(tables, key=["active", "requests", "appeals"].index)
    assert tables[-1] == "appeals"


@SETTINGS
@given(st.integers(0, 10_000))
def test_synthetic_text_agrees_with_its_tables(seed):
    report = synth.report(seed)
    assert [f.message for f in check_report(report) if f.rule.startswith("text.")] == []


@SETTINGS
@given(st.integers(0, 10_000), st.integers(1, 30))
def test_a_changed_figure_in_the_text_is_found(seed, delta):
    report = synth.report(seed)
    granted = report.tables.requests["granted"]["total"]
    old = f"予以公开{granted}件"
    assert old in report.sections.requests
    report.sections.requests = report.sections.requests.replace(old, f"予以公开{granted + delta}件")
    found = [f for f in check_report(report) if f.rule == "text.requests_outcome"]
    assert len(found) == 1
    assert (found[0].expected, found[0].actual) == (granted, granted + delta)
