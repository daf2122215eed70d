"""Row labels misprinted in real tables (wild-layouts.md class 3): a character dropped or doubled, a
comma put in. The real pages of tests/documents with one table label edited at a time must read
exactly as the page as published: the row is named by its place in the template's order (and, where
a row the report does not print leaves the counts unequal, by the likeness of its words), never lost,
never given another row's numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from documents.truth import score, truth_of
from nianbao import template as T
from nianbao.parse import parse_bytes

DOCS = Path(__file__).parent / "documents"
PAGES = sorted(p for folder in ("corpus", "wild") for p in (DOCS / folder).glob("*.txt"))
LABELS = sorted({r.label for v in T.VERSIONS for r in T.ACTIVE_ROWS[v]}
                | {r.label for r in T.REQUEST_ROWS if len(r.label) >= 4})


def _edits(label: str) -> dict[str, str]:
    mid = len(label) // 2
    return {"drop": label[:mid] + label[mid + 1:], "comma": label[:mid] + "，" + label[mid:]}


def _cases():
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for label in LABELS:
            # the label as a table row prints it: right before its numbers (not a word of the prose)
            spots = [m for m in re.finditer(re.escape(label), text) if re.match(r"\s*[0-9]", text[m.end():])]
            if len(spots) != 1:
                continue
            for kind, typo in _edits(label).items():
                at = spots[0]
                yield pytest.param(page, text[:at.start()] + typo + text[at.end():],
                                   id=f"{page.stem}-{label}-{kind}")


_BASE: dict[Path, object] = {}


def _score(page: Path, text: str):
    return score(parse_bytes(text.encode("utf-8"), page.name).to_json_dict(), truth_of(page))


@pytest.mark.parametrize("page, text", list(_cases()))
def test_a_mistyped_row_label_reads_as_the_published_page(page, text):
    if page not in _BASE:
        _BASE[page] = _score(page, page.read_text(encoding="utf-8"))
    base, got = _BASE[page], _score(page, text)
    assert got.wrong == []
    assert (got.exact, got.missed) == (base.exact, base.missed)


def test_the_cases_cover_both_tables():
    ids = [c.id for c in _cases()]
    assert len(ids) > 600
    assert any("行政许可" in i for i in ids) and any("属于国家秘密" in i for i in ids)
