"""The cross-year rules on a stored report's JSON (``relations.PairReport``, what the writer checks
a pair with) find exactly what they find on the Report."""

from __future__ import annotations

from nianbao import synth
from nianbao.check import check_pair
from nianbao.store.relations import PairReport, check_pairs


def _dump(findings):
    return [f.model_dump() for f in findings]


def test_pair_findings_are_the_same_on_the_json_as_on_the_report():
    corpus = synth.corpus(12, [2019, 2020, 2021, 2022], seed=4,
                          inject=["cross_year", "jump", "copy", "identity", "missing"])
    by_agency: dict[str, list] = {}
    for r in corpus.reports:
        by_agency.setdefault(r.meta.agency, []).append(r)
    pairs = [(a, b) for rs in by_agency.values() for a, b in zip(rs, rs[1:])]
    a, b = pairs[0]
    b.reading.unread = ["tables.requests.carried_over.total"]  # a finding resting on it becomes 无法核对
    b.reading.inferred = ["meta.year"]
    a.sections.overview = None  # a chapter missing from one of them
    kinds = set()
    for earlier, later in pairs:
        on_reports = _dump(check_pair(earlier, later))
        on_json = _dump(check_pair(PairReport(earlier.model_dump_json()), PairReport(later.model_dump_json())))
        assert on_json == on_reports
        kinds |= {f["rule"] for f in on_reports}
    # the pairs cover the rules the corpus can break (2019 and 2021 templates, a copied report)
    assert {"pair.carried_over", "pair.jump", "pair.tables_copy", "pair.text_copy"} <= kinds
    assert len(pairs) >= 30


def test_a_field_missing_from_the_json_reads_as_the_models_default():
    r = synth.report(3, year=2021, agency="安吉县教育局")
    bare = PairReport('{"meta": {"year": 2021}, "tables": {"requests": {"new_received": {"total": 5}}}}')
    assert bare.meta.template is None and bare.sections.overview is None and bare.tables.active is None
    assert bare.reading.unread == [] and bare.reading.inferred == []
    assert bare.get("tables.requests.new_received.total") == 5 and bare.has("tables.appeals.reconsideration.total") is False
    # a report against itself: not consecutive, so only the copy rules, and both find it copied
    (found,) = check_pairs(check_pair, [(r.model_dump_json(), r.model_dump_json())])
    assert sorted(f.rule for f in found) == ["pair.tables_copy", "pair.text_copy"]
    assert "相似度为100%" in next(f.message for f in found if f.rule == "pair.text_copy")
