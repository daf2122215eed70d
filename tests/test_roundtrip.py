"""Round trip of the reader: random valid reports (``nianbao.synth``) rendered into each layout
(``nianbao.render.layouts``) and read back with ``nianbao.parse.parse_bytes`` exactly.

"Exactly" means: what an honest reader can recover. The oracle below says, for every cell of the
report, one of three things:

- ``exact``: the cell was printed where its position is certain; it must come back with its value;
- ``null``: the printed text does not determine it; it must come back null (never a guess);
- ``either``: the reader may use more arithmetic than the oracle does (e.g. place a row with a blank
  cell through the column identities); it must come back null or with its true value, never another
  number.

Rules of the oracle, by how the cell was printed:

1. A cell printed in a row whose numbers are all there: ``exact``, in every layout (zero tokens
   ``/ — - 无``, thousands separators, decimals, CRLF, traditional labels, broken labels, shifted
   tab fields are all presentation).
2. A blank cell (left empty) in the pipe and markdown layouts, where the ``|`` keep every cell's
   position (also when a row's numbers land on the line after its label): in
   table 2 (no identity) ``null``; in tables 3 and 4 ``either``, because the row and column
   identities may force its value (issue 2: "fill a cell only where the template's arithmetic
   forces its value"), and a forced value is the true one. The other cells of its row: ``exact``.
3. A blank cell in the layouts that do not keep positions (one cell per line, tab fields that
   shift): the row prints fewer numbers than it has cells, so no position
   is certain, and the blank one may be any of them: every cell of the row is ``either``. (Real
   reports show that such a cell is a printed blank, null, so no cell is forced to 0 by the row
   identity: that would print a number the report does not.) Only zero cells are blanked (a blank
   in a report means nothing to report), so ``either`` is "null or 0" there.
4. A row whose numbers ran together (``规章000``): all the ways to cut the digit run into the row's
   cells (no leading zeros; a decimal point only in a 万元 amount) are enumerated; those that break
   the row's identity are dropped (table 3 rows: six applicant columns add up to 总计; table 4:
   each block's four results add up to its 总计); then, for table 3, the combinations of the rows'
   candidates are kept only if every column identity holds (新收 + 结转 = 总计 + 结转下年度;
   results add up to （七）总计). A row left with one reading: every cell ``exact``. A row left
   with several: a cell that differs between them is ``null``; one they all agree on is
   ``either``. Table 2 rows have no identity within a year, so a
   run like ``2026`` for three cells is ambiguous: ``null``.

Meta must come back exactly: title, agency, year, template and publication date; and each of the
six chapters' text must be found under its key, from its first words to its last.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from nianbao import synth
from nianbao import template as T
from nianbao.model import Report
from nianbao.parse import parse_bytes
from nianbao.render import layouts as L

# Inputs are seeds: a smaller seed is not a simpler report, so shrinking would only spend minutes;
# the failure message carries the rendered lines and expected vs got instead.
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
POSITIONAL = {"pipe", "markdown_pdf"}  # layouts where a blank cell keeps its position (| … |)
MAX_COMBINATIONS = 20000  # joint search cap for run-together table 3; beyond it cells are "either"


@dataclass(frozen=True)
class Expect:
    how: str  # "exact", "null" or "either"
    value: object = None

    def accepts(self, got) -> bool:
        if self.how == "null":
            return got is None
        if self.how == "exact":
            return got is not None and got == self.value and type(got) in (int, float)
        return got is None or got == self.value


# --------------------------------------------------------------------------- rows of a report


@dataclass
class OracleRow:
    key: str  # the renderer's row key: active.<row>, requests.<row>, appeals, appeals.<block>
    paths: list[str]
    identity: str  # "none", "row_total" (sum of first n-1 == last), "blocks" (three blocks of five)


def oracle_rows(r: Report, appeals_flat: bool) -> list[OracleRow]:
    out = []
    for ar in T.ACTIVE_ROWS[r.meta.template]:
        out.append(OracleRow(f"active.{ar.key}", [f"tables.active.{ar.key}.{f.key}" for f in ar.fields], "none"))
    for row in r.tables.requests:
        paths = [f"tables.requests.{row}.{c}" for c in T.REQUEST_COLUMN_KEYS]
        out.append(OracleRow(f"requests.{row}", paths, "row_total"))
    if appeals_flat:
        paths = [f"tables.appeals.{b}.{f}" for b in T.APPEAL_BLOCK_KEYS for f in T.APPEAL_FIELD_KEYS]
        out.append(OracleRow("appeals", paths, "blocks"))
    else:
        for b in T.APPEAL_BLOCK_KEYS:
            out.append(OracleRow(f"appeals.{b}", [f"tables.appeals.{b}.{f}" for f in T.APPEAL_FIELD_KEYS], "row_total"))
    return out


# --------------------------------------------------------------------------- digit runs


def _tokens(s: str, i: int, amount: bool):
    """Every number that can start at ``s[i]``: no leading zero; decimals only for amounts."""
    if i >= len(s) or not s[i].isdigit():
        return
    ends = [i + 1] if s[i] == "0" else range(i + 1, len(s) + 1)
    for j in ends:
        if not s[i:j].isdigit():
            break
        yield int(s[i:j]), j
        if amount and j < len(s) and s[j] == ".":
            for k in range(j + 2, len(s) + 1):
                if not s[j + 1 : k].isdigit():
                    break
                if s[k - 1] == "0":  # the renderer strips trailing zeros of decimals
                    continue
                yield float(s[i:k]), k


def cuts(s: str, kinds: list[bool], identity: str) -> list[tuple]:
    """All ways to read the run ``s`` as ``len(kinds)`` numbers (``kinds[i]``: an amount) that
    satisfy the row's identity."""
    out: list[tuple] = []

    def plain(i: int, n: int, acc: tuple):
        if n == len(kinds):
            if i == len(s):
                out.append(acc)
            return
        for v, j in _tokens(s, i, kinds[n]):
            plain(j, n + 1, acc + (v,))

    def with_totals(i: int, acc: tuple, block: int):
        # blocks of `block` cells, the last of each the sum of the others: it must be printed next
        n = len(acc)
        if n == len(kinds):
            if i == len(s):
                out.append(acc)
            return
        if (n + 1) % block == 0:
            total = str(sum(acc[n - block + 1 :]))
            if s.startswith(total, i):
                with_totals(i + len(total), acc + (int(total),), block)
            return
        for v, j in _tokens(s, i, False):
            with_totals(j, acc + (v,), block)

    if identity == "none":
        plain(0, 0, ())
    elif identity == "blocks":
        with_totals(0, (), 5)
    else:
        with_totals(0, (), len(kinds))
    return out


def _printed(v) -> str:
    """How a run-together row prints a value (renderer with decimals=False)."""
    if isinstance(v, float):
        t = f"{v:.2f}"
        return t.rstrip("0").rstrip(".") if "." in t else t
    return str(v)


# --------------------------------------------------------------------------- the oracle


def expected(r: Report, layout: str, blank: frozenset, run: frozenset | None, appeals_flat: bool) -> dict:
    exp: dict[str, Expect] = {}
    rows = oracle_rows(r, appeals_flat)
    multi: list[tuple[OracleRow, list[tuple]]] = []
    for row in rows:
        values = [r.get(p) for p in row.paths]
        blanks = [p for p in row.paths if p in blank]
        if layout == "run_together" and (run is None or row.key in run) and all(v >= 0 for v in values):
            s = "".join(_printed(v) for v in values)
            kinds = [p.endswith(".amount") for p in row.paths]
            cands = cuts(s, kinds, row.identity)
            assert tuple(values) in cands, (row.key, s, values)
            if len(cands) == 1 or row.key.startswith("requests."):
                multi.append((row, cands))
            else:
                exp.update(_from_candidates(row, cands, values))
            continue
        if not blanks:
            for p, v in zip(row.paths, values):
                exp[p] = Expect("exact", v)
        elif layout in POSITIONAL:
            # the blank's position is certain: the other cells are exact; the blank is null, or
            # (tables 3 and 4) the value arithmetic forces, which is its true value
            for p, v in zip(row.paths, values):
                if p not in blank:
                    exp[p] = Expect("exact", v)
                else:
                    exp[p] = Expect("null") if p.startswith("tables.active.") else Expect("either", v)
        else:
            for p, v in zip(row.paths, values):
                exp[p] = Expect("either", v)
    if multi:
        exp.update(_joint(r, multi))
    return exp


def _from_candidates(row: OracleRow, cands, values) -> dict:
    """One reading left: every cell exact. Several: a cell that differs between them is null; one
    that is the same in all of them is ``either`` (a reader may keep the whole run null because its
    split is not unique, or fill the cells every split agrees on)."""
    exp = {}
    for i, p in enumerate(row.paths):
        seen = {c[i] for c in cands}
        if len(cands) == 1:
            exp[p] = Expect("exact", values[i])
        elif len(seen) == 1:
            exp[p] = Expect("either", values[i])
        else:
            exp[p] = Expect("null")
    return exp


def _joint(r: Report, multi: list[tuple[OracleRow, list[tuple]]]) -> dict:
    """Table 3 run-together rows: keep the combinations of candidates that satisfy every column
    identity; a cell is exact where all surviving combinations agree. Table 2/4 rows here have
    exactly one candidate."""
    exp: dict[str, Expect] = {}
    known = {p: v for p, v in r.cells()}
    fixed = [(row, c[0]) for row, c in multi if len(c) == 1]
    free = [(row, c) for row, c in multi if len(c) > 1]
    for row, c in fixed:
        for p, v in zip(row.paths, c):
            exp[p] = Expect("exact", v)
    if not free:
        return exp
    total = 1
    for _, c in free:
        total *= len(c)
    if total > MAX_COMBINATIONS:
        for row, _ in free:
            for p in row.paths:
                exp[p] = Expect("either", known[p])
        return exp
    idents = [i for i in T.request_identities(tuple(r.tables.requests)) if i.kind != "row_total"]
    surviving: list[set] = [set() for _ in free]
    for combo in itertools.product(*[c for _, c in free]):
        vals = dict(known)
        for (row, _), cand in zip(free, combo):
            vals.update(zip(row.paths, cand))
        if all(sum(vals[p] for p in i.left) == sum(vals[p] for p in i.right) for i in idents):
            for k, cand in enumerate(combo):
                surviving[k].add(cand)
    for (row, _), cands in zip(free, surviving):
        values = [known[p] for p in row.paths]
        assert tuple(values) in cands
        exp.update(_from_candidates(row, sorted(cands), values))
    return exp


# --------------------------------------------------------------------------- checking


def _context(text: str, path: str) -> str:
    """The lines of the rendered text around a cell's row label, for the failure message."""
    row = path.split(".")[2]
    label = None
    if path.startswith("tables.requests."):
        label = T.REQUEST_ROW_BY_KEY[row].label[:6]
    elif path.startswith("tables.active."):
        label = next(ar.label for rows in T.ACTIVE_ROWS.values() for ar in rows if ar.key == row)[-4:]
    elif path.startswith("tables.appeals."):
        label = "尚未"  # the header of table 4 (尚未审结), then its numbers
    lines = text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if label and label in line:
            return "\n".join(repr(x) for x in lines[max(0, i - 1) : i + 10])
    return ""


def check(r: Report, layout: str, text: str, exp: dict, encoding: str = "utf-8") -> None:
    got = parse_bytes(text.encode(encoding), "x.txt")
    problems = []
    for field in ("title", "agency", "year", "template", "published"):
        want, have = getattr(r.meta, field), getattr(got.meta, field)
        if want != have:
            problems.append(f"meta.{field}: expected {want!r}, got {have!r}")
    bad = []
    for p, e in exp.items():
        have = got.get(p) if got.has(p) else None
        if not e.accepts(have):
            bad.append(p)
            problems.append(f"{p}: expected {e.how} {e.value!r}, got {have!r}")
    for key in T.CHAPTER_KEYS:  # each chapter's text, start to end, under its own key
        want = "".join(getattr(r.sections, key).split())
        have = "".join((getattr(got.sections, key) or "").split())
        if want[:12] not in have or want[-12:] not in have:
            problems.append(f"sections.{key}: expected text from {want[:12]!r} to {want[-12:]!r}, got {have[:40]!r}…")
    extra = [p for p, v in got.cells() if v is not None and p not in exp]
    problems += [f"{p}: not in the report, got {got.get(p)!r}" for p in extra]
    if problems:
        context = _context(text, bad[0]) if bad else ""
        raise AssertionError(
            f"layout {layout} ({encoding}): {len(problems)} problem(s)\n" + "\n".join(problems[:12]) + "\n--- text:\n" + context
        )


def _blanks(r: Report, rnd: random.Random, n: int) -> frozenset:
    """Up to ``n`` zero cells to leave blank: a table first (so that table 2's few cells get their
    share), then a zero cell in it."""
    zeros: dict[str, list[str]] = {}
    for p, v in r.cells():
        if v == 0 and not isinstance(v, float):
            zeros.setdefault(p.split(".")[1], []).append(p)
    out: set[str] = set()
    for _ in range(n):
        tables = [t for t in zeros if set(zeros[t]) - out]
        if not tables:
            break
        out.add(rnd.choice(sorted(set(zeros[rnd.choice(tables)]) - out)))
    return frozenset(out)


cases = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**31),
        "style": st.integers(0, 2**31),
        "blanks": st.sampled_from([0, 0, 1, 2, 3]),
        "appeals_flat": st.booleans(),
        # the spec: text arrives in UTF-8, GBK/GB18030 or UTF-16, detected from content
        "encoding": st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    }
)


def _roundtrip(layout: str, case: dict, **options) -> None:
    r = synth.report(case["seed"])
    blank = _blanks(r, random.Random(case["style"]), case["blanks"]) if layout != "run_together" else frozenset()
    text = L.render(
        r, layout, random.Random(case["style"]), blank=blank, appeals_flat=case["appeals_flat"], **options
    )
    exp = expected(r, layout, blank, options.get("run"), case["appeals_flat"])
    check(r, layout, text, exp, case.get("encoding", "utf-8"))


@SETTINGS
@given(case=cases)
def test_cell_per_line(case):
    _roundtrip("cell_per_line", case)


@SETTINGS
@given(case=cases)
def test_pipe(case):
    _roundtrip("pipe", case)


@SETTINGS
@given(case=cases)
def test_tsv_shifted(case):
    _roundtrip("tsv_shifted", case)


@SETTINGS
@given(case=cases)
def test_markdown_pdf(case):
    _roundtrip("markdown_pdf", case)


@SETTINGS
@given(case=cases, run_share=st.sampled_from([0.3, 0.7, 1.0]))
def test_run_together(case, run_share):
    r = synth.report(case["seed"])
    rnd = random.Random(case["seed"] ^ case["style"])
    keys = [row.key for row in oracle_rows(r, case["appeals_flat"])]
    run = frozenset(k for k in keys if rnd.random() < run_share)
    _roundtrip("run_together", case, run=run, decimals=False)


# --------------------------------------------------------------------------- the oracle itself


def test_cuts_by_hand():
    # 规章000: three zeros, one way only
    assert cuts("000", [False] * 3, "none") == [(0, 0, 0)]
    # 2026 as three cells: 2|0|26, 20|2|6, 2|02? (no: leading zero) …
    assert sorted(cuts("2026", [False] * 3, "none")) == [(2, 0, 26), (20, 2, 6)]
    # a table-3 row 66 0 0 0 0 0 66 → "660000066": the total must be the sum, and 6+60 is 66 too
    assert sorted(cuts("660000066", [False] * 7, "row_total")) == [(6, 60, 0, 0, 0, 0, 66), (66, 0, 0, 0, 0, 0, 66)]
    # 5 0 0 0 0 0 5 → "5000005": only one reading (50 would need a total of 50)
    assert cuts("5000005", [False] * 7, "row_total") == [(5, 0, 0, 0, 0, 0, 5)]
    # 1 1 0 0 0 0 2 vs 11 0 0 0 0 0 … : "1100002" reads only as 1,1,0,0,0,0,2
    assert cuts("1100002", [False] * 7, "row_total") == [(1, 1, 0, 0, 0, 0, 2)]
    # "3138.8" as 采购项目数量 + 采购总金额: 3|138.8, 31|38.8, 313|8.8
    assert sorted(cuts("3138.8", [False, True], "none")) == [(3, 138.8), (31, 38.8), (313, 8.8)]
    # table 4: 0 0 0 0 0 | 1 0 0 0 1 | 0 0 0 2 2 → unique
    assert cuts("000001000100022", [False] * 15, "blocks") == [(0,) * 5 + (1, 0, 0, 0, 1) + (0, 0, 0, 2, 2)]


def test_oracle_blank_rules():
    r = synth.report(1)
    zero_row = next(k for k, cols in r.tables.requests.items() if all(v == 0 for v in cols.values()))
    p = f"tables.requests.{zero_row}.research"
    for layout, how in (("pipe", "either"), ("cell_per_line", "either"), ("tsv_shifted", "either")):
        exp = expected(r, layout, frozenset([p]), None, True)
        assert exp[p].how == how, layout
    a = "tables.active.licensing.decisions"
    assert expected(r, "pipe", frozenset([a]), None, True)[a].how == "null"
    q = f"tables.requests.{zero_row}.other"
    exp = expected(r, "cell_per_line", frozenset([p, q]), None, True)
    assert exp[p].how == exp[q].how == "either"


# --------------------------------------------------------------------------- the harness can fail


def test_check_fails_on_a_changed_number():
    """The comparison is not vacuous: change one printed number and the round trip must fail."""
    r = synth.report(3)
    text = L.to_pipe(r)
    exp = expected(r, "pipe", frozenset(), None, True)
    check(r, "pipe", text, exp)  # the plain rendering reads back
    total = r.tables.requests["new_received"]["total"]
    line = next(x for x in text.split("\n") if x.startswith("一、本年新收"))
    wrong = line[: line.rindex(f"| {total} |")] + f"| {total + 1} |" + line[line.rindex(f"| {total} |") + len(f"| {total} |") :]
    try:
        check(r, "pipe", text.replace(line, wrong), exp)
    except AssertionError as e:
        assert "tables.requests.new_received.total" in str(e)
    else:
        raise AssertionError("a changed 总计 went unnoticed")


def test_expect_semantics():
    assert Expect("exact", 0).accepts(0) and not Expect("exact", 0).accepts(None)
    assert not Expect("exact", 3).accepts(True)  # a bool is not a count
    assert Expect("null").accepts(None) and not Expect("null").accepts(0)
    assert Expect("either", 0).accepts(None) and Expect("either", 0).accepts(0)
    assert not Expect("either", 0).accepts(5)


# --------------------------------------------------------------------------- the renderer itself


def test_layout_signatures_as_in_the_seeds():
    r = synth.report(12)
    cpl = L.to_cell_per_line(r)
    # seed 000: every cell on its own line with blank lines between; the header split 商业 / 企业
    assert "\n\n商业\n企业\n\n" in cpl or "\n\n商业企业\n\n" in cpl
    assert "\n\n规章\n\n" in cpl
    pipe = L.to_pipe(r)
    # seed 001: "label | v | … |" padded with "||"
    row = next(x for x in pipe.split("\n") if x.startswith("一、本年新收"))
    assert row.count(" | ") == 7 and row.endswith("||")
    tsv = L.to_tsv_shifted(r)
    row = next(x for x in tsv.split("\n") if "1.属于国家秘密" in x)
    assert row.startswith("\t") and row.count("\t") >= 8  # seed 002: merged group columns
    md = L.to_markdown_pdf(r, split_rows=1.0)
    lines = md.split("\n")
    i = next(k for k, x in enumerate(lines) if "一、本年新收" in x)
    assert lines[i].startswith("| ") and not any(ch.isdigit() for ch in lines[i].replace("一、", ""))
    assert lines[i + 1].startswith("| ") and lines[i + 1].replace("|", "").split()[-1] == str(
        r.tables.requests["new_received"]["total"]
    )
    run = L.to_run_together(r)
    req = r.tables.requests["new_received"]
    digits = "".join(str(req[c]) for c in T.REQUEST_COLUMN_KEYS)
    assert digits in run and " ".join(str(req[c]) for c in T.REQUEST_COLUMN_KEYS) not in run


def test_presentation_options():
    r = synth.report(5)
    zero_rows = [k for k, cols in r.tables.requests.items() if all(v == 0 for v in cols.values())]
    assert zero_rows
    label = T.REQUEST_ROW_BY_KEY[zero_rows[0]].label[:5]
    for token in ("/", "—", "-", "无"):
        text = L.to_pipe(r, zero=token)
        row = next(x for x in text.split("\n") if label in x)
        assert row.count(f"| {token} ") == 7, (token, row)
    assert "\r\n" in L.to_pipe(r, crlf=True) and "\r\n" not in L.to_pipe(r)
    trad = L.to_cell_per_line(r, traditional=True)
    assert "本年新收政府信息公開申請數量" in trad
    half = L.to_pipe(r, halfwidth=True)
    assert "(一)予以公开" in half and "（一）" not in half
    big = synth.report(next(s for s in range(500) if any((v or 0) >= 1000 for _, v in synth.report(s).cells())))
    n = next(v for _, v in big.cells() if (v or 0) >= 1000 and isinstance(v, int))
    assert f"{n:,}" in L.to_pipe(big, thousands=True)
    # blank cells: the pipe keeps an empty slot
    p = f"tables.requests.{zero_rows[0]}.research"
    row = next(x for x in L.to_pipe(r, blank=[p]).split("\n") if label in x)
    assert "|  |" in row
    # table 4 as one flat row of 15 numbers, or one row per block
    flat = L.to_pipe(r, appeals_flat=True)
    assert any(len([c for c in x.split("|") if c.strip()]) == 15 for x in flat.split("\n"))
    rows = L.to_pipe(r, appeals_flat=False)
    assert any(x.startswith("复议后起诉 | ") for x in rows.split("\n"))
    # chrome: breadcrumbs before the title, share buttons after the text
    chrome = L.to_pipe(r, random.Random(1), chrome=True, signature=False)
    head = chrome.split("\n")[0]
    assert head != r.meta.title and ("首页" in head or ">" in head)


def test_unknown_layout_is_refused():
    try:
        L.render(synth.report(1), "docx")
    except ValueError as e:
        assert "unknown layout" in str(e)
    else:
        raise AssertionError("no error for an unknown layout")


# --------------------------------------------------------------------------- minimal cases
# Small hand-made reports, each showing one way the reader and the oracle disagreed in the
# property tests above; the expected values are worked out by hand in the comments.


def _hand_report(year: int) -> Report:
    """A report of ``year`` with every cell 0 (identities hold trivially), meta from the generator."""
    r = synth.report(1, year=year)
    for path, _ in list(r.cells()):
        r.set(path, 0)
    return r


def _read(text: str) -> Report:
    return parse_bytes(text.encode("utf-8"), "x.txt")


def test_minimal_one_number_for_two_cells_is_not_a_digit_run():
    # 2019 行政事业性收费 has two cells (上一年项目数量, 本年增/减); the report prints 60 and leaves the
    # other blank. "60" is one printed number: 60 in one of the two cells. Reading it as the run
    # "6|0" is a guess. Honest answers: 60 or null for 上一年项目数量, 0 or null for 本年增/减.
    r = _hand_report(2020)
    r.set("tables.active.fees.previous_items", 60)
    blank = frozenset({"tables.active.fees.change"})
    for layout in ("cell_per_line", "tsv_shifted"):
        got = _read(L.render(r, layout, blank=blank))
        assert got.get("tables.active.fees.previous_items") in (60, None), layout
        assert got.get("tables.active.fees.change") in (0, None), layout


@pytest.mark.parametrize("sep", ["", " "])
def test_minimal_table2_on_one_crawler_line(sep):
    # Crawler text: table 2's single-field rows on one line, their numbers glued to the labels or
    # with a space around them. Each row's cell is certain: 行政许可 4, 行政处罚 0, 行政强制 0,
    # 行政事业性收费 851.9.
    r = _hand_report(2022)
    r.set("tables.active.licensing.decisions", 4)
    r.set("tables.active.fees.amount", 851.9)
    text = L.to_run_together(r, decimals=False)
    lines = text.split("\n")
    line = (
        f"第二十条第（五）项信息内容本年处理决定数量行政许可{sep}4{sep}第二十条第（六）项信息内容本年处理决定数量"
        f"行政处罚{sep}0{sep}行政强制{sep}0{sep}第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费{sep}851.9{sep}"
    )
    first = next(i for i, x in enumerate(lines) if x.startswith("第二十条第（五）") or "第二十条第（五）" in x)
    head = lines[first].split("第二十条第（五）")[0]
    end = next(i for i, x in enumerate(lines) if x.startswith("三、"))
    text = "\n".join(lines[:first] + ([head] if head else []) + [line] + lines[end:])
    got = _read(text)
    assert got.get("tables.active.licensing.decisions") == 4
    assert got.get("tables.active.punishment.decisions") == 0
    assert got.get("tables.active.coercion.decisions") == 0
    assert got.get("tables.active.fees.amount") == 851.9


def test_minimal_column_identities_split_a_run():
    # 22 requests from natural persons, all denied as 危及“三安全一稳定”. Only that row ran together:
    # "220000022" reads as 22|0|0|0|0|0|22 or 2|20|0|0|0|0|22 by its row total alone, but （七）总计
    # prints 0 for 商业企业, and the results must add up to it, so 20 there is impossible: one split.
    r = _hand_report(2022)
    for row in ("new_received", "denied_three_safety", "processed_total"):
        r.set(f"tables.requests.{row}.natural_person", 22)
        r.set(f"tables.requests.{row}.total", 22)
    text = L.to_run_together(r, run=frozenset({"requests.denied_three_safety"}))
    assert "3.危及“三安全一稳定”220000022" in text.replace(" ", "")
    got = _read(text)
    assert got.get("tables.requests.denied_three_safety.natural_person") == 22
    assert got.get("tables.requests.denied_three_safety.commercial") == 0
    assert got.get("tables.requests.denied_three_safety.total") == 22


def test_minimal_pipe_flat_table4_with_a_blank_first_cell():
    # The flat row of table 4 with its first cell (行政复议 结果维持) left blank: " | 0 | 2 | 0 | 2 | …".
    # The pipes keep positions: 结果纠正 0, 其他结果 2, 尚未审结 0, 总计 2; the blank is null (or 0,
    # which 2 = ? + 0 + 2 + 0 forces).
    r = _hand_report(2022)
    r.set("tables.appeals.reconsideration.other", 2)
    r.set("tables.appeals.reconsideration.total", 2)
    text = L.to_pipe(r, blank=frozenset({"tables.appeals.reconsideration.upheld"}), appeals_flat=True)
    assert "\n | 0 | 2 | 0 | 2 | 0 |" in text
    got = _read(text)
    assert got.get("tables.appeals.reconsideration.upheld") in (0, None)
    assert got.get("tables.appeals.reconsideration.other") == 2
    assert got.get("tables.appeals.reconsideration.total") == 2


def test_minimal_traditional_label_broken_inside_a_word():
    # A traditional-character label cut inside 反覆 (反复): "4.無正當理由大量反" / "覆申請". Converted
    # line by line, 覆 stays 覆 ("反覆申请" ≠ "反复申请"); the row must still be found: all zero.
    r = _hand_report(2022)
    text = L.to_cell_per_line(r, traditional=True)
    text = text.replace("4.無正當理由大量反覆申請", "4.無正當理由大量反\n\n覆申請")
    assert "大量反\n\n覆申請" in text
    got = _read(text)
    assert got.get("tables.requests.rejected_excessive.natural_person") == 0
    assert got.get("tables.requests.rejected_excessive.total") == 0


def test_minimal_labelled_table4_rows_run_together():
    # Table 4 printed as one labelled row per block, digits run together: "行政复议0001313" reads only
    # as 0|0|0|13|13 (0|0|0|1 would need the total "1" next; 0|0|0|131 the total "131").
    r = _hand_report(2022)
    r.set("tables.appeals.reconsideration.pending", 13)
    r.set("tables.appeals.reconsideration.total", 13)
    text = L.to_run_together(r, appeals_flat=False)
    assert "行政复议0001313" in text
    got = _read(text)
    assert got.get("tables.appeals.reconsideration.pending") == 13
    assert got.get("tables.appeals.reconsideration.total") == 13
    assert got.get("tables.appeals.litigation_direct.total") == 0


def test_minimal_full_width_digits_run_together():
    # Full-width digits (as word processors type them) in crawler text: "行政事业性收费５８８７．９２" is
    # 5887.92 万元 (NFKC: ５８８７．９２ → 5887.92), never 5887; "规章００４２" reads only as 0|0|42.
    r = _hand_report(2022)
    r.set("tables.active.fees.amount", 5887.92)
    r.set("tables.active.regulations.in_force", 42)
    text = L.to_run_together(r, fullwidth_digits=True)
    assert "行政事业性收费５８８７．９２" in text and "规章００４２" in text
    got = _read(text)
    assert got.get("tables.active.fees.amount") == 5887.92
    assert got.get("tables.active.regulations.issued") == 0
    assert got.get("tables.active.regulations.in_force") == 42


def test_minimal_tall_label_cell_around_its_numbers():
    # PDF text of a tall label cell: its first words above the numbers, its middle beside them and
    # its last words below ("2.申请人" / "逾期未按 0 … 0" / "收费通知要求缴纳费用、…申请"). The row is
    # （六）2. and every printed value is 0; the rows around it keep their own values.
    r = _hand_report(2022)
    for row in ("new_received", "other_other", "processed_total"):
        r.set(f"tables.requests.{row}.natural_person", 3)
        r.set(f"tables.requests.{row}.total", 3)
    text = L.to_tsv_shifted(r)
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    row = next(x for x in text.split("\n") if label in x)
    numbers = row[row.index(label) + len(label) :]
    text = text.replace(row, f"2.申请人\n\t\t逾期未按{numbers}\n收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")
    got = _read(text)
    for col in T.REQUEST_COLUMN_KEYS:
        assert got.get(f"tables.requests.other_no_fee.{col}") == 0, col
    assert got.get("tables.requests.other_other.natural_person") == 3
    assert got.get("tables.requests.other_no_correction.total") == 0


def test_minimal_publication_line_of_a_statistics_bureau():
    # "时间：2021/1/31　来源：新昌县统计局" is the page's publication date, even though the 来源 is a
    # 统计局 (the word 统计 is not a statistical period here).
    r = _hand_report(2020)
    r.meta.agency = "新昌县统计局"
    r.meta.title = "新昌县统计局2020年政府信息公开工作年度报告"
    r.meta.published = "2021-01-31"
    lines = L.to_pipe(r).split("\n")
    assert lines[1] == "发布日期：2021-01-31"
    lines[1] = "时间：2021/1/31\u3000来源：新昌县统计局"
    got = _read("\n".join(lines))
    assert got.meta.published == "2021-01-31"
    assert got.meta.agency == "新昌县统计局"
