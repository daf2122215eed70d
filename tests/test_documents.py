"""The reader on real published reports (tests/documents/, hand-read truth): the evidence that it
reads real reports, not only the layouts we generate.

Every field of every truth file is compared (``documents/truth.py``). The hard line is that no value
is ever wrong: a cell is the number printed or it is null. Misses are allowed where the truth files
say the text alone cannot tell (fused runs only the CMS page splits, a blank whose position is lost),
but every such cell must be listed as unread with a note that says why, and the report must say
``partial``. The overall rates are the issue's targets (≥ 98 % on corpus/, ≥ 95 % on wild/).
"""

from __future__ import annotations

import pytest

from documents.truth import documents, score, truth_value
from nianbao.check import check_report
from nianbao.extract.notes import UNREAD_CODES
from nianbao.parse import parse_path

DOCS = documents()
IDS = [f"{p.parent.name}/{p.name}" for p, _ in DOCS]


@pytest.fixture(scope="module")
def parsed():
    return {p: parse_path(p) for p, _ in DOCS}


def test_the_base_is_there():
    assert len([p for p, _ in DOCS if p.parent.name == "corpus"]) == 5
    assert len([p for p, _ in DOCS if p.parent.name == "wild"]) == 11


@pytest.mark.parametrize("doc, truth", DOCS, ids=IDS)
def test_no_value_is_wrong(parsed, doc, truth):
    s = score(parsed[doc].to_json_dict(), truth)
    assert s.wrong == []


@pytest.mark.parametrize("doc, truth", DOCS, ids=IDS)
def test_every_miss_is_declared_unread_with_a_reason(parsed, doc, truth):
    report = parsed[doc]
    s = score(report.to_json_dict(), truth)
    unread = set(report.reading.unread)
    for path in s.missed:
        if path.startswith("tables."):
            assert path in unread, f"{path} is null but not listed as unread"
    assert (report.reading.status == "partial") == bool(unread)
    explained = {c for n in report.notes if n.code in UNREAD_CODES for c in n.cells}
    assert unread <= explained, sorted(unread - explained)[:5]


@pytest.mark.parametrize("doc, truth", DOCS, ids=IDS)
def test_no_warning_or_error_rests_on_an_unread_or_wrong_cell(parsed, doc, truth):
    report = parsed[doc]
    unread = set(report.reading.unread)
    for f in check_report(report):
        if f.severity == "info":
            continue
        for cell in f.cells:
            assert cell not in unread, (f.rule, cell)
            want = truth_value(truth, cell)
            if isinstance(want, (int, float)):
                assert report.get(cell) == want, (f.rule, cell)


@pytest.mark.parametrize("folder, target", [("corpus", 0.98), ("wild", 0.95)])
def test_exact_rate_meets_the_target(parsed, folder, target):
    exact = total = 0
    for doc, truth in DOCS:
        if doc.parent.name == folder:
            s = score(parsed[doc].to_json_dict(), truth)
            exact, total = exact + s.exact, total + s.total
    assert total > 1000
    assert exact / total >= target, f"{folder}: {exact}/{total}"


def test_wild_series_are_read_as_reports(parsed):
    # every wild page is a report (the README of the archive): never rejected, metadata right
    for doc, truth in DOCS:
        if doc.parent.name == "wild":
            r = parsed[doc]
            assert r.meta.agency and "标题" not in r.meta.agency
            assert r.meta.year and r.meta.template and r.meta.published


def test_a_table_found_but_not_read_is_no_missing_table(parsed):
    """The PDF LibreOffice makes of the b001 CMS page prints table 2's labels after its numbers; the
    reader locates the table but reads none of it (every cell unread, the report partial). The agency
    printed the table: no ``template.table_missing`` warning may say otherwise."""
    doc = next(p for p, _ in DOCS if p.parent.name == "converted" and p.suffix == ".pdf")
    report = parsed[doc]
    assert report.tables.active is None
    assert any(c.startswith("tables.active.") for c in report.reading.unread)
    assert "template.table_missing" not in {f.rule for f in check_report(report)}
