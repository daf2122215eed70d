"""One report, one record (spec §7 ``duplicate``): the same report as HTML and as crawler text is
stored once, every original kept as its source, the better-read copy used."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.parse import parse_path
from nianbao.pipeline import ingest
from nianbao.store import get_report, list_reports, open_store
from nianbao.store.duplicates import placed

REAL = Path(__file__).resolve().parents[1] / "documents" / "corpus"  # real reports with truth (README there)
COPIES = [REAL / "b001_pingtan_lvyouwentiju_2019.html", REAL / "b001_pingtan_lvyouwentiju_2019.txt"]  # one report
OTHER = REAL / "b002_pingtan_shichangjianguanju_2019.txt"  # another agency, same year
# which copy the reader reads better today (the tests hold whichever it is)
WORSE, BETTER = sorted(COPIES, key=lambda p: placed(parse_path(p)))
UNREAD = {p: len(parse_path(p).reading.unread) for p in COPIES}


def test_the_two_copies_are_not_read_equally_well():
    assert placed(parse_path(WORSE)) < placed(parse_path(BETTER))


def test_a_better_read_copy_replaces_the_stored_reading_in_place(store):
    first = list(ingest(store, [WORSE, OTHER], workers=1))
    assert [r.status for r in first] == ["new", "new"]
    rid = first[0].report_id
    assert get_report(store, rid).summary.path == str(WORSE)
    second = list(ingest(store, [BETTER], workers=1))
    assert [(r.status, r.report_id) for r in second] == [("duplicate", rid)]
    sr = get_report(store, rid)
    assert sr.summary.path == str(BETTER)
    assert len(sr.report.reading.unread) == UNREAD[BETTER]
    assert sorted(sr.sources) == sorted(map(str, COPIES))
    assert len(list_reports(store, year=2019)) == 2  # this report and the other agency's
    again = list(ingest(store, COPIES, workers=1))
    assert [(r.status, r.report_id) for r in again] == [("unchanged", rid), ("unchanged", rid)]


def test_a_worse_read_copy_is_kept_as_a_source_only(store_url):
    r = CliRunner().invoke(app, ["ingest", str(BETTER), str(WORSE), "--db", store_url, "--json", "--workers", "1"])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["status"] for x in lines] == ["new", "duplicate"]
    assert lines[1]["report_id"] == lines[0]["report_id"]
    with open_store(store_url) as s:
        sr = get_report(s, lines[0]["report_id"])
        assert sr.summary.path == str(BETTER) and len(sr.report.reading.unread) == UNREAD[BETTER]
        assert sorted(sr.sources) == sorted(map(str, COPIES))
        assert len(list_reports(s)) == 1


def test_corrections_and_reviews_survive_a_better_copy(store):
    from nianbao.corrections import correct
    from nianbao.store import iter_findings
    from nianbao.store.review import get_review, review

    rid = list(ingest(store, [WORSE], workers=1))[0].report_id
    path = "tables.appeals.reconsideration.total"
    value = get_report(store, rid).report.get(path)
    correct(store, rid, [(path, (value or 0) + 1)], "核对纸质版", "张三")
    f = next(iter_findings(store, report_id=rid))
    review(store, f["id"], "dismissed", "不影响", "李四")
    assert list(ingest(store, [BETTER], workers=1))[0].status == "duplicate"
    sr = get_report(store, rid)
    assert sr.summary.path == str(BETTER)  # the better reading replaced the other
    assert sr.report.get(path) == (value or 0) + 1  # and the correction still applies
    assert get_review(store, f["id"]).review["note"] == "不影响"


def test_the_files_of_a_batch_are_found_at_once_as_one_by_one(store):
    """``ingest._existing_many`` (a batch's files looked up in a few statements) finds what
    ``_existing`` finds for each: a file stored as a report, one joined to a report as a copy (the
    report it joined), one never seen."""
    from hashlib import sha256

    from nianbao.store.ingest import _existing, _existing_many

    assert [r.status for r in ingest(store, [BETTER, OTHER, WORSE], workers=1)] == ["new", "new", "duplicate"]
    shas = [sha256(p.read_bytes()).hexdigest() for p in (BETTER, OTHER, WORSE)] + ["0" * 64]
    with store.engine.connect() as conn:
        one_by_one = {sha: _existing(conn, sha) for sha in shas}
        at_once = _existing_many(conn, shas)
    assert one_by_one[shas[3]] is None and shas[3] not in at_once
    assert one_by_one[shas[2]].id == one_by_one[shas[0]].id  # the copy: its report
    assert {sha: row for sha, row in one_by_one.items() if row is not None} == at_once
