"""Rules the store applies across the corpus rather than to one report or one pair of years.

They are registered here like every other rule (ids, severities, messages and rationales in one
registry, listed by ``nianbao rules`` and ``docs/rules.md``), but their findings are made by the
store, which alone sees the whole corpus, or by the pipeline: ``nianbao/store/relations.py`` (text
copied from another agency's report, the finding made by ``nianbao.pipeline``) and
``nianbao/pipeline.py`` (a check that failed on a file).
"""

from __future__ import annotations

from .registry import rule


@rule(
    "corpus.copied_text_other_agency",
    "warning",
    "正文与其他机关的报告几乎相同",
    "报告正文与{who}的报告几乎相同（相似度{ratio}%），疑似照搬照抄",
    "国办公开办函〔2021〕30号把“内容雷同”列为追责情形；社科院评估发现跨地区抄袭。入库时用 MinHash 找出正文"
    "相似的其他机关报告，再逐字比对确认。",
    scope="corpus",
)
def copied_text_other_agency(r, *reports):
    return ()  # made by the store: nianbao/store/relations.py


@rule(
    "corpus.check_failed",
    "warning",
    "核查未能完成",
    "{path}: 核查时出现内部错误，未能完成核查 ({error})",
    "一条规则在某份报告上出错时，入库照常进行，并记下这一情况，以免把“未核查”误当作“没有问题”。",
    scope="corpus",
)
def check_failed(r, *reports):
    return ()  # made by the pipeline: nianbao/pipeline.py
