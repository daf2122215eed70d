"""The generator's own invariants (independent of the reader): every identity of the template holds,
keys are the template's, meta and chapter text agree with the tables, corpora continue across years,
and injected errors are where the corpus says they are."""

from __future__ import annotations

import re

import pytest

from nianbao import synth
from nianbao import template as T

SEEDS = range(400)


@pytest.fixture(scope="module")
def reports():
    return [synth.report(s) for s in SEEDS]


def _req(r, row, col):
    return r.tables.requests[row][col]


def test_same_seed_same_report_and_seeds_differ():
    a, b, c = synth.report(7), synth.report(7), synth.report(8)
    assert a.model_dump() == b.model_dump()
    assert a.model_dump() != c.model_dump()


def test_keys_are_the_templates(reports):
    for r in reports:
        v = r.meta.template
        assert v == T.template_for_year(r.meta.year)
        assert list(r.tables.active) == [ar.key for ar in T.ACTIVE_ROWS[v]]
        for ar in T.ACTIVE_ROWS[v]:
            assert list(r.tables.active[ar.key]) == [f.key for f in ar.fields]
        rows = list(r.tables.requests)
        split = "other_no_correction" in rows
        assert rows == [x.key for x in T.request_rows(v, split)]
        if v == "2019":
            assert not split and "other_handling" in rows
        for row in rows:
            assert list(r.tables.requests[row]) == list(T.REQUEST_COLUMN_KEYS)
        assert list(r.tables.appeals) == list(T.APPEAL_BLOCK_KEYS)
        for b in T.APPEAL_BLOCK_KEYS:
            assert list(r.tables.appeals[b]) == list(T.APPEAL_FIELD_KEYS)


def test_both_templates_and_both_forms_of_six_occur(reports):
    assert {r.meta.template for r in reports} == {"2019", "2021"}
    forms = {("other_handling" in r.tables.requests, r.meta.template) for r in reports}
    assert forms == {(True, "2019"), (False, "2021"), (True, "2021")}


def test_table3_identities_hold_written_out(reports):
    """The identities spelled out here (not taken from template.py), so a wrong template helper
    and a wrong generator cannot agree by accident."""
    for r in reports:
        rows = list(r.tables.requests)
        results = [k for k in rows if k not in ("new_received", "carried_over", "processed_total", "carried_forward")]
        for col in T.REQUEST_COLUMN_KEYS:
            # 第一项加第二项之和，等于第三项加第四项之和
            assert _req(r, "new_received", col) + _req(r, "carried_over", col) == _req(
                r, "processed_total", col
            ) + _req(r, "carried_forward", col)
            assert sum(_req(r, k, col) for k in results) == _req(r, "processed_total", col)
        for row in rows:
            parts = ["natural_person", "commercial", "research", "social_welfare", "legal_services", "other"]
            assert sum(_req(r, row, c) for c in parts) == _req(r, row, "total")


def test_template_identities_hold_and_counts_are_non_negative(reports):
    for r in reports:
        assert synth.broken_identities(r) == []
        for b in T.APPEAL_BLOCK_KEYS:
            blk = r.tables.appeals[b]
            assert blk["upheld"] + blk["corrected"] + blk["other"] + blk["pending"] == blk["total"]
        for path, value in r.cells():
            assert value is not None, path
            if path.endswith(".change"):
                prev = r.get(path.replace(".change", ".previous_items"))
                assert value >= -prev, path
            else:
                assert value >= 0, path
            if not path.endswith(".amount"):
                assert isinstance(value, int), path


def test_magnitudes_are_realistic(reports):
    values = [v for r in reports for p, v in r.cells() if p.startswith("tables.requests")]
    zeros = sum(1 for v in values if v == 0) / len(values)
    assert 0.5 < zeros < 0.98
    assert any(v >= 1000 for v in values)
    assert sum(1 for v in values if 0 < v < 10) > sum(1 for v in values if v >= 100)
    amounts = [r.tables.active["fees"].get("amount") for r in reports if r.meta.template == "2021"]
    assert any(isinstance(a, float) and a != int(a) for a in amounts)
    assert any(a == 0 for a in amounts)


def test_meta_and_chapter_text_agree_with_tables(reports):
    for r in reports:
        m = r.meta
        assert m.title == f"{m.agency}{m.year}年政府信息公开工作年度报告"
        y, mo, d = m.published.split("-")
        assert int(y) == m.year + 1 and mo == "01" and 1 <= int(d) <= 31
        assert re.search(r"(人民政府|局|委员会|办公室)$", m.agency)
        got = re.search(r"全年共收到政府信息公开申请(\d+)件，予以公开(\d+)件", r.sections.requests)
        assert got, r.sections.requests
        assert int(got.group(1)) == r.tables.requests["new_received"]["total"]
        assert int(got.group(2)) == r.tables.requests["granted"]["total"]
        for key in T.CHAPTER_KEYS:
            assert getattr(r.sections, key)


def test_corpus_continues_across_years():
    c = synth.corpus(6, range(2019, 2025), seed=3)
    assert len(c) == 36 and c.injections == []
    by = c.by_agency()
    assert len(by) == 6
    for agency, rs in by.items():
        assert [r.meta.year for r in rs] == list(range(2019, 2025))
        for prev, cur in zip(rs, rs[1:]):
            assert synth.broken_identities(cur) == []
            for col in T.REQUEST_COLUMN_KEYS:
                assert cur.tables.requests["carried_over"][col] == prev.tables.requests["carried_forward"][col]
            if prev.meta.template == cur.meta.template == "2021":
                for row in ("regulations", "normative_documents"):
                    p, q = prev.tables.active[row], cur.tables.active[row]
                    assert q["in_force"] == p["in_force"] + q["issued"] - q["repealed"]
            if prev.meta.template == cur.meta.template == "2019":
                for row in ("regulations", "normative_documents"):
                    p, q = prev.tables.active[row], cur.tables.active[row]
                    assert q["public_total"] == p["public_total"] + q["published"]
                for row in ("licensing", "punishment", "fees"):
                    p, q = prev.tables.active[row], cur.tables.active[row]
                    assert q["previous_items"] == p["previous_items"] + p["change"]


def test_corpus_is_deterministic_with_distinct_agencies():
    a = synth.corpus(8, [2021, 2022], seed=11)
    b = synth.corpus(8, [2021, 2022], seed=11)
    assert [r.model_dump() for r in a] == [r.model_dump() for r in b]
    assert len({r.meta.agency for r in a}) == 8


def _find(c, inj):
    rs = c.by_agency()[inj.agency]
    i = [r.meta.year for r in rs].index(inj.year)
    return rs[i - 1], rs[i]


@pytest.mark.parametrize("seed", range(6))
def test_injected_errors_are_where_the_corpus_says(seed):
    c = synth.corpus(4, range(2019, 2024), seed=seed, inject=["identity", "cross_year", "jump", "copy"])
    assert sorted(i.kind for i in c.injections) == ["copy", "cross_year", "identity", "jump"]
    assert len({(i.agency, i.year) for i in c.injections}) == 4
    inj = {i.kind: i for i in c.injections}

    broken = [(r.meta.agency, r.meta.year) for r in c if synth.broken_identities(r)]
    assert broken == [(inj["identity"].agency, inj["identity"].year)]
    kinds = {b.kind for b in synth.broken_identities(_find(c, inj["identity"])[1])}
    assert {"balance", "row_total"} <= kinds

    breaks = []
    for agency, rs in c.by_agency().items():
        for prev, cur in zip(rs, rs[1:]):
            if any(
                cur.tables.requests["carried_over"][col] != prev.tables.requests["carried_forward"][col]
                for col in T.REQUEST_COLUMN_KEYS
            ):
                breaks.append((agency, cur.meta.year))
    # a copied report repeats last year's 上年结转, so it may break the chain too (as a real copy does)
    copied = (inj["copy"].agency, inj["copy"].year)
    assert [b for b in breaks if b != copied] == [(inj["cross_year"].agency, inj["cross_year"].year)]

    prev, cur = _find(c, inj["jump"])
    assert cur.tables.requests["new_received"]["total"] >= 5 * prev.tables.requests["new_received"]["total"]
    assert cur.tables.requests["new_received"]["total"] >= 10

    prev, cur = _find(c, inj["copy"])
    assert cur.tables.model_dump() == prev.tables.model_dump()
    assert cur.sections.model_dump() == prev.sections.model_dump()
    assert cur.meta.year == prev.meta.year + 1 and cur.meta.template == prev.meta.template


def test_unknown_or_impossible_injection_is_refused():
    with pytest.raises(ValueError, match="unknown injection"):
        synth.corpus(2, [2021, 2022], inject=["typo"])
    with pytest.raises(ValueError, match="no report left"):
        synth.corpus(1, [2021, 2022], inject=["identity", "jump"])


def test_a_missing_report_leaves_a_gap_and_the_chain_goes_on():
    c = synth.corpus(3, range(2020, 2025), seed=9, inject=["missing"])
    (inj,) = c.injections
    assert inj.kind == "missing" and len(c) == 14
    years = [r.meta.year for r in c.by_agency()[inj.agency]]
    assert inj.year not in years and len(years) == 4
    # the same corpus without the injection has the same reports, plus the one left out
    full = synth.corpus(3, range(2020, 2025), seed=9)
    kept = [r.model_dump() for r in full if (r.meta.agency, r.meta.year) != (inj.agency, inj.year)]
    # the random stream differs once the injection is drawn, so compare the structure, not values
    assert len(kept) == len(c)
    assert {(r.meta.agency, r.meta.year) for r in c} == {(r["meta"]["agency"], r["meta"]["year"]) for r in kept}


def test_agency_names_are_distinct_and_realistic():
    names = synth.agency_names(30960, seed=3)
    assert len(set(names)) == 30960  # every name of the space, none twice
    assert names[:50] != sorted(names[:50])  # in random order
    assert synth.agency_names(50, seed=3) == names[:50]  # a seed gives one order
    assert all(n.endswith(("人民政府", "局", "委员会", "办公室", "街道办事处")) for n in names)
    with pytest.raises(ValueError):
        synth.agency_names(30961)


def test_a_corpus_takes_its_agencies_names():
    names = synth.agency_names(3, seed=1)
    c = synth.corpus(3, [2022, 2023], seed=5, names=names)
    assert [r.meta.agency for r in c.reports] == [n for n in names for _ in (2022, 2023)]
    assert [r.meta.year for r in c.reports] == [2022, 2023] * 3
    with pytest.raises(ValueError):
        synth.corpus(3, [2022], names=["甲县教育局", "甲县教育局", "乙县财政局"])
