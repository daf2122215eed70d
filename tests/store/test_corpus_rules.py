"""The corpus-scope rules (registered in nianbao/check/corpus.py, made by the store)."""

from nianbao import pipeline
from nianbao.check import RULES
from nianbao.store.relations import RULE_COPY_OTHER

SEED = b"\xe9\xbe\x99\xe6\xb8\xaf" + "市人民政府2021年政府信息公开工作年度报告\n一、总体情况\n无。\n五、存在的主要问题及改进情况\n无。\n".encode()


def test_a_check_that_fails_is_recorded_not_taken_for_a_clean_report(monkeypatch):
    def broken(report):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "check_report", broken)
    parsed = pipeline.check_file(SEED, "a/b.txt")
    (f,) = parsed.report.findings
    assert f.rule == "corpus.check_failed" and f.severity == "warning"
    assert f.message == "a/b.txt: 核查时出现内部错误，未能完成核查 (RuntimeError: boom)"


def test_corpus_rules_are_in_the_registry():
    assert RULES[RULE_COPY_OTHER].scope == "corpus"
    assert RULES["corpus.copied_text_other_agency"].severity == "warning"
    assert RULES["corpus.check_failed"].scope == "corpus"
