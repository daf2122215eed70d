"""The pages' answers are kept until the corpus changes (store/cache.py): a write through another
connection or another store object is seen at once; the warming thread's answers are the pages'."""

from __future__ import annotations

from nianbao import pipeline, store
from nianbao.store import query as corpus
from nianbao.store.cache import _state, cached, change_token
from nianbao.store.queries import count_reports, list_reports
from test_web_app import client_for
from test_web_data import seed001_report


def test_a_write_elsewhere_changes_the_token_and_empties_the_cache(tmp_path):
    db = str(tmp_path / "c.db")
    with store.open_store(db) as reader, store.open_store(db) as writer:
        t0 = change_token(reader)
        assert t0 is not None and change_token(reader) == t0  # reading does not move it
        assert count_reports(reader) == 0
        calls = []
        assert cached(reader, "probe", 1, lambda: calls.append(1) or "first") == "first"
        assert cached(reader, "probe", 1, lambda: calls.append(1) or "second") == "first" and len(calls) == 1
        pipeline.add_report(writer, seed001_report(agency="龙港市人民政府", year=2022, sha="1" * 64))
        assert change_token(reader) != t0
        assert count_reports(reader) == 1  # not the 0 kept before the write
        assert [r.name for r in list_reports(reader)] == ["龙港市人民政府"]
        assert cached(reader, "probe", 1, lambda: "third") == "third"


def test_pages_follow_writes_made_while_the_app_runs(tmp_path):
    db = str(tmp_path / "p.db")
    c = client_for(db)
    assert "共 0 份报告" in c.get("/reports").text
    assert c.get("/", params={}).status_code == 200
    with store.open_store(db) as s:
        pipeline.add_report(s, seed001_report(agency="龙港市人民政府", year=2022, sha="1" * 64), check=True)
    html = c.get("/reports").text
    assert "共 1 份报告" in html and "龙港市人民政府" in html
    assert c.get("/reports", params={"format": "json"}).json()["total"] == 1


def test_warming_fills_the_answers_the_pages_ask_for(tmp_path):
    from nianbao.serve.warm import warm

    db = str(tmp_path / "w.db")
    with store.open_store(db) as s:
        for i, year in enumerate((2021, 2022)):
            pipeline.add_report(s, seed001_report(agency="龙港市人民政府", year=year, sha=f"{i + 1:064x}"), check=True)
        warm(s)
        names = {name for name, _ in _state(s).entries}
        assert {"overview", "report_ids", "report_count", "finding_ids", "roster_coverage", "unit_rates"} <= names
        before = len(_state(s).entries)
        o = corpus.overview(s, corpus.Filters())  # answered from the cache: nothing new kept
        assert o.total == 2 and len(_state(s).entries) == before


def test_after_a_write_the_overview_shows_the_last_figures_until_the_new_ones_are_ready(tmp_path):
    import time

    db = str(tmp_path / "o.db")
    with store.open_store(db) as s:
        pipeline.add_report(s, seed001_report(agency="龙港市人民政府", year=2021, sha="1" * 64), check=True)
        first = corpus.overview(s, corpus.Filters())
        assert first.total == 1 and first.as_of is None
        pipeline.add_report(s, seed001_report(agency="龙港市人民政府", year=2022, sha="2" * 64), check=True)
        shown = corpus.overview(s, corpus.Filters())
        if shown.as_of is not None:  # the figures of before the write, said to be so
            assert shown.total == 1
            html = client_for(db).get("/").text
            assert 'id="overview-stale"' in html or "统计正在更新" not in html
        deadline = time.time() + 60
        while shown.as_of is not None and time.time() < deadline:
            time.sleep(0.1)
            shown = corpus.overview(s, corpus.Filters())
        assert shown.as_of is None and shown.total == 2
