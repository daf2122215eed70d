"""The search for a copy of the same report (``duplicates.find_text``): looked up by agency, it must
decide as the search through the text bands did (``duplicates.find_by_bands``): the same agency
(one key containing the other counts), the same year, a band shared among the 200 most recent
reports sharing it, the same or a near-identical text."""

from __future__ import annotations

import copy

from nianbao import synth
from nianbao.pipeline import write_reports
from nianbao.store import agency_history, duplicates, list_reports
from nianbao.store import similarity as sim
from nianbao.store.agencies import place
from nianbao.store.raw import raw


def _report(agency: str, year: int = 2021, seed: int = 2):
    r = synth.report(seed, year=year, agency=agency)
    r.source.path = f"{agency}{year}-{seed}.json"
    return r


def _copy(r, agency: str | None = None, path: str = "copy.json"):
    """The same report from another file: a few figures changed, perhaps under another name."""
    c = copy.deepcopy(r)
    changed = 0
    for p, v in list(c.cells()):
        if isinstance(v, int) and v and changed < 3:
            c.set(p, v + 1)
            changed += 1
    assert changed == 3
    if agency is not None:
        c.meta.agency = agency
    c.source.path = path
    return c


def _write(store, reports):
    return [(x.status, x.report_id) for x in write_reports(store, reports)]


def test_a_copy_under_a_name_containing_the_agencys_joins_it(store):
    gov = _report("宁波市海曙区人民政府")
    office = _copy(gov, "宁波市海曙区人民政府办公室")
    assert place(gov.meta.agency).key in place(office.meta.agency).key  # one key contains the other
    (first,) = _write(store, [gov])
    assert _write(store, [office]) == [("duplicate", first[1])]


def test_a_copy_under_a_name_contained_in_the_agencys_joins_it(store):
    office = _report("宁波市海曙区人民政府办公室")
    gov = _copy(office, "宁波市海曙区人民政府")
    (first,) = _write(store, [office])
    assert _write(store, [gov]) == [("duplicate", first[1])]


def test_the_same_text_of_another_agency_or_year_is_not_a_copy(store):
    r = _report("安吉县教育局")
    other = _copy(r, "德清县教育局", "other.json")
    later = _copy(r, path="later.json")
    later.meta.year = 2022
    assert [s for s, _ in _write(store, [r, other, later])] == ["new", "new", "new"]
    assert len(list_reports(store, limit=None)) == 3


def test_a_renamed_agency_is_found_under_its_new_name(store):
    r = _report("安吉县教育局")
    (first,) = _write(store, [r])
    assert _write(store, [_copy(r, "德清县教育局", "before.json")]) == [("new", first[1] + 1)]  # another agency yet
    agency_id = next(s.agency_id for s in list_reports(store, limit=None) if s.id == first[1])
    agency_history.rename_agency(store, agency_id, "长兴县教育局")
    # the writer's connection saw the agency under its former name: it must see the new one
    assert _write(store, [_copy(r, "长兴县教育局", "after.json")]) == [("duplicate", first[1])]


def _shared_text_reports(n: int):
    """``n`` reports of other agencies whose text is the same as the first one's once names and
    figures are taken out (they share every band)."""
    names = [f"{c}县{b}" for c in ("安吉", "德清", "长兴", "桐庐", "淳安", "建德", "临安", "富阳")
             for b in ("教育局", "民政局", "财政局", "商务局", "审计局", "统计局", "林业局", "水利局",
                       "交通运输局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局",
                       "自然资源和规划局", "住房和城乡建设局", "农业农村局", "司法局", "人力资源和社会保障局",
                       "生态环境分局", "医疗保障局", "退役军人事务局", "体育局", "科学技术局", "公安局",
                       "信访局", "档案局", "气象局")]
    base = _report("宁波市海曙区人民政府", seed=9)
    out = []
    for name in names[:n]:
        c = copy.deepcopy(base)
        c.meta.agency = name
        for k in sim.CHAPTERS:
            text = getattr(c.sections, k)
            if text:
                setattr(c.sections, k, text.replace("宁波市海曙区人民政府", name))
        c.source.path = f"{name}.json"
        out.append(c)
    return base, out


def _cap_case(store, later: int):
    base, others = _shared_text_reports(later)
    assert len(others) == later
    _write(store, [base] + others)
    with store.engine.connect() as conn:
        bands = raw(conn).all("SELECT band, count(*) FROM text_bands GROUP BY band, value")
    assert len(bands) == 8 and all(n == later + 1 for _, n in bands)  # all share every band
    return base, _write(store, [_copy(base, path="copy.json")])


def test_a_copy_is_found_among_the_200_most_recent_reports_of_a_band(store):
    base, written = _cap_case(store, 199)
    assert written == [("duplicate", 1)]


def test_a_copy_is_not_looked_for_beyond_the_200_most_recent_reports_of_a_band(store):
    # as the search through the bands always did: the stored report is the 201st most recent
    base, written = _cap_case(store, 200)
    assert written == [("new", 202)]


def test_the_search_by_agency_decides_as_the_search_by_bands(store):
    corpus = synth.corpus(60, [2020, 2021, 2022], seed=21, inject=["copy", "cross_year"])
    reports = list(corpus.reports)
    for n, r in enumerate(reports[:30]):  # copies under related names, some stored long after
        name = r.meta.agency
        longer = name + "办公室" if name.endswith("人民政府") else "关于" + name
        reports.append(_copy(r, (name, longer, "安吉县教育局")[n % 3], f"copy{n}.json"))
    _write(store, reports)
    decided = {"same": 0, "found": 0}
    with store.engine.connect() as conn:
        for r in reports:
            text = sim.normalised_text(r)
            sig = sim.signature_of_text(text)
            if sig is None:
                continue
            key = place(r.meta.agency).key
            a = duplicates.find_text(conn, r.meta.year, key, sig, text)
            b = duplicates.find_by_bands(conn, r.meta.year, key, sig, text)
            assert a == b, (r.meta.agency, r.meta.year)
            decided["same"] += 1
            decided["found"] += a is not None
    # every stored reading finds its report (itself or the one it joined); some texts are too short
    assert decided["found"] == decided["same"] > 120


def test_the_agency_index_forgets_what_a_rolled_back_transaction_added(store):
    from nianbao.store.duplicates import AgencyIndex
    from nianbao.store.write import agency_id

    first, second = place("安吉县教育局").key, place("德清县民政局").key
    with store.engine.connect() as conn:
        tx = conn.begin()
        gone = agency_id(conn, "安吉县教育局")
        assert AgencyIndex.of(conn).related(raw(conn), first) == [gone]
        tx.rollback()
        with conn.begin():
            kept = agency_id(conn, "德清县民政局")  # SQLite gives it the id the rolled-back one had
        assert AgencyIndex.of(conn).related(raw(conn), second) == [kept]
        assert AgencyIndex.of(conn).related(raw(conn), first) == []


def test_the_agency_index_in_a_writing_transaction_and_after_another_connection_changed_agencies(store):
    """In one transaction the index is read whole once, then only the agencies that transaction
    adds are new; the next transaction finds what another connection changed meanwhile (here an
    agency removed without an audit event: only the count of the agencies tells)."""
    from nianbao.store.duplicates import AgencyIndex
    from nianbao.store.write import agency_id

    first, second = place("安吉县教育局").key, place("德清县民政局").key
    with store.writer.connect() as conn:
        with conn.begin():
            a = agency_id(conn, "安吉县教育局")
            assert AgencyIndex.of(conn).related(raw(conn), first) == [a]
            b = agency_id(conn, "德清县民政局")  # added by the same transaction, after the index was read
            assert AgencyIndex.of(conn).related(raw(conn), second) == [b]
        with store.engine.begin() as other:
            other.exec_driver_sql(f"DELETE FROM agencies WHERE id = {a}")
        with conn.begin():
            assert AgencyIndex.of(conn).related(raw(conn), first) == []
            assert AgencyIndex.of(conn).related(raw(conn), second) == [b]
