"""The registry itself: ids, duplicates, versions, the generated docs/rules.md."""

from __future__ import annotations

import pytest

from nianbao.check import RULES
from nianbao.check import docs
from nianbao.check.registry import ID_PATTERN, rule


def test_ids_match_the_pattern_and_groups_are_known():
    assert len(RULES) >= 40
    for rid, r in RULES.items():
        assert ID_PATTERN.match(rid), rid
        assert r.id == rid
        assert r.group in docs.GROUP_TITLE, rid
        assert r.severity in ("error", "warning", "info")
        assert r.message and r.rationale and r.title
        assert set(r.versions) <= {"2019", "2021"} and r.versions


def test_issue_rule_ids_exist():
    for rid in (
        "requests.balance", "requests.row_total", "requests.result_total", "requests.compensating",
        "requests.split_number", "appeals.total", "template.version_year", "text.requests_received",
        "text.percentage", "year.future_plan", "deadline.published", "fees.chapter_six", "pair.carried_over",
    ):
        assert rid in RULES


def test_duplicate_id_raises_at_registration():
    with pytest.raises(ValueError, match="duplicate rule id 'requests.balance'"):
        rule("requests.balance", "error", "t", "m", "r")


@pytest.mark.parametrize("bad", ["Requests.balance", "balance", "requests.Balance", "requests.bal-ance", "a.b.c"])
def test_bad_ids_raise(bad):
    with pytest.raises(ValueError, match="does not match"):
        rule(bad, "error", "t", "m", "r")


def test_bad_severity_scope_version_raise():
    with pytest.raises(ValueError, match="severity"):
        rule("test.bad_severity", "fatal", "t", "m", "r")
    with pytest.raises(ValueError, match="scope"):
        rule("test.bad_scope", "error", "t", "m", "r", scope="region")
    with pytest.raises(ValueError, match="versions"):
        rule("test.bad_version", "error", "t", "m", "r", versions=("2018",))
    assert not any(k.startswith("test.") for k in RULES)


def test_docs_rules_md_is_up_to_date():
    assert docs.DOC_PATH.read_text(encoding="utf-8") == docs.render(), (
        "docs/rules.md is out of date: run python -m nianbao.check.docs"
    )


def test_docs_list_every_rule_and_its_message():
    text = docs.render()
    for r in RULES.values():
        assert f"### `{r.id}`" in text
        assert r.message in text


def test_every_message_is_the_rules_own_words_not_a_bare_field():
    import re

    for rid, r in RULES.items():
        for template in (r.message, *r.extra_messages):
            words = re.sub(r"\{[a-z_]+\}", "", template)
            assert len(words) >= 4, f"{rid}: message {template!r} says nothing of its own"


def test_a_finding_cannot_use_a_message_outside_the_registry():
    r = RULES["requests.balance"]
    with pytest.raises(ValueError, match="not in the registry"):
        r.finding(_template="随便写的{x}", x=1)


def test_the_identity_rules_write_their_registry_message():
    from nianbao import synth

    rep = synth.report(5, year=2022)
    rep.tables.requests["granted"]["natural_person"] += 1  # breaks its row total and its column
    rep.tables.requests["granted"]["total"] += 0
    from nianbao.check import check_report

    found = {f.rule: f for f in check_report(rep)}
    row = found["requests.row_total"]
    g = rep.tables.requests["granted"]
    parts = [g[c] for c in ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other")]
    assert row.message == (
        f"表三“（一）予以公开”行：自然人({parts[0]})+商业企业({parts[1]})+科研机构({parts[2]})+社会公益组织({parts[3]})"
        f"+法律服务机构({parts[4]})+其他({parts[5]})={sum(parts)}，不等于总计({g['total']})"
    )
    assert found["requests.result_total"].message.startswith("表三“自然人”列：各项办理结果之和")
