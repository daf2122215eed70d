"""Robustness of the reader: the real reports, perturbed as real publishing chains do, scored against
their truth (``scripts/perturb.py`` makes the cases; its docstring lists the transformations).

    python bench/bench_robust.py                     # every transformation, a summary table
    python bench/bench_robust.py --detail            # and one table per transformation (per document)
    python bench/bench_robust.py --only typo_drop md_split --docs w00 --show
    python bench/bench_robust.py --save /tmp/probe/cases   # write every case that scores below its baseline

For each (document × transformation) the perturbed bytes are read by ``nianbao.parse.parse_bytes``
(one process, each file alone: no series across a folder, so the baseline is ``bench_accuracy.py
--alone``) and scored with ``tests/documents/truth.py``: fields exact / wrong / missed, the reading
status, whether the file was taken for a report at all, the agency and the year, and the checker's
errors and warnings that the unperturbed document does not raise ("new alarms", a false accusation
the layout caused; run on every case but the typo cases that read as well as their baseline). The baseline is the
unperturbed document read the same way. The seeds have no truth file: their reference is their own
unperturbed reading, which ``tests/test_seeds.py`` pins cell by cell by hand.

"wrong" (a value that is not the truth) is what matters most, then files not read as a report, then
a wrong or missing agency or year, then missed cells. Exit status 0 always: a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

import perturb  # noqa: E402
from documents.truth import score  # noqa: E402
from nianbao.check import check_report  # noqa: E402
from nianbao.errors import NianbaoError  # noqa: E402
from nianbao.parse import parse_bytes  # noqa: E402


@dataclass
class Result:
    source: str
    transform: str
    variant: str
    exact: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    status: str = ""
    error: str = ""  # error code when not read as a report
    agency_ok: bool = False
    year_ok: bool = False
    file_name: str = ""
    ms: float = 0.0
    findings: set[str] | None = None  # "rule/severity" of the checker's errors and warnings (None: not run)
    report: object = None  # the Report, kept until the findings are decided

    @property
    def detected(self) -> bool:
        return not self.error


def _reference(src: perturb.Source, tmp: Path) -> Path:
    """The truth file of a source; for a seed, its unperturbed reading (pinned by tests/test_seeds.py)."""
    if src.truth_path is not None:
        return src.truth_path
    report = parse_bytes(src.raw, str(src.path)).to_json_dict()
    meta = report["meta"]
    ref = {"meta": {k: meta[k] for k in ("year", "template", "published")}, "tables": report["tables"]}
    if meta.get("agency"):
        ref["meta"]["agency_contains"] = meta["agency"]
    out = tmp / (src.path.stem + ".json")
    out.write_text(json.dumps(ref, ensure_ascii=False), encoding="utf-8")
    return out


def run_one(data: bytes, name: str, truth: Path, transform: str, variant: str, source: str) -> Result:
    r = Result(source, transform, variant, file_name=name)
    t0 = time.perf_counter()
    try:
        report = parse_bytes(data, name)
    except NianbaoError as exc:
        r.error = exc.to_dict()["code"]
    except Exception as exc:  # an internal error is a finding too
        r.error = f"internal:{type(exc).__name__}"
    r.ms = (time.perf_counter() - t0) * 1000
    if r.error:
        probe = score({"meta": {}, "tables": {}}, truth)  # nothing read: every field lost
        r.total = probe.total
        r.missed = ["(not read as a report)"]
        return r
    s = score(report.to_json_dict(), truth)
    r.exact, r.total, r.wrong, r.missed = s.exact, s.total, s.wrong, s.missed
    r.status = report.reading.status
    r.report = report
    bad = {p.split(":")[0] for p in s.wrong} | set(s.missed)
    r.agency_ok = "meta.agency" not in bad
    r.year_ok = "meta.year" not in bad
    return r


def checked(r: Result) -> None:
    """The checker's error and warning findings of the case (``nianbao.check``), as rule/severity."""
    if r.report is not None and r.findings is None:
        r.findings = {f"{f.rule}/{f.severity}" for f in check_report(r.report) if f.severity != "info"}
    r.report = None


def new_findings(r: Result, base: dict[str, Result]) -> set[str]:
    """Errors and warnings the checker raises on the case and not on the unperturbed document: a false
    alarm the perturbation caused (the copies with other numbers are not compared)."""
    b = base[r.source].findings
    if r.findings is None or b is None or "+distinct" in r.transform or r.exact > base[r.source].exact:
        return set()  # a case read better than its baseline may rightly raise what the baseline could not see
    return r.findings - b


def _row(label: str, rs: list[Result], base: dict[str, Result]) -> str:
    exact = sum(r.exact for r in rs)
    total = sum(r.total for r in rs)
    bexact = sum(base[r.source].exact for r in rs)
    wrong = sum(len(r.wrong) for r in rs)
    missed = sum(len(r.missed) for r in rs)
    undetected = sum(not r.detected for r in rs)
    agency = sum(r.detected and not r.agency_ok and base[r.source].agency_ok for r in rs)
    year = sum(r.detected and not r.year_ok and base[r.source].year_ok for r in rs)
    complete = sum(r.status == "complete" for r in rs)
    bcomplete = sum(base[r.source].status == "complete" for r in rs)
    worse = sum(r.exact < base[r.source].exact or len(r.wrong) > len(base[r.source].wrong) for r in rs)
    alarms = sum(bool(new_findings(r, base)) for r in rs)
    pct = f"{exact / total:.1%}" if total else "-"
    return (f"| {label} | {len(rs)} | {exact}/{total} = {pct} | {bexact - exact:+d} | {wrong} | {missed} | "
            f"{undetected} | {agency} | {year} | {complete}/{len(rs)} (base {bcomplete}) | {worse} | {alarms} |")


HEAD = ("| transformation | cases | fields exact | lost vs base | WRONG | missed | not a report | agency lost | "
        "year lost | complete | cases worse | new alarms |\n|---|---|---|---|---|---|---|---|---|---|---|---|")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="transformations (default: all)")
    ap.add_argument("--docs", nargs="*", help="only sources whose name contains one of these")
    ap.add_argument("--no-office", action="store_true", help="skip the LibreOffice DOCX/PDF conversions")
    ap.add_argument("--detail", action="store_true", help="one table per transformation, per document")
    ap.add_argument("--show", action="store_true", help="print each worse case's wrong and missed fields")
    ap.add_argument("--save", metavar="DIR", help="write every case worse than its baseline into DIR")
    args = ap.parse_args(argv)
    srcs = [s for s in perturb.sources() if not args.docs or any(d in s.name for d in args.docs)]
    with tempfile.TemporaryDirectory(prefix="bench-robust-") as tmpdir:
        _bench(args, srcs, Path(tmpdir))
    return 0


def _bench(args, srcs: list, tmp: Path) -> None:
    t0 = time.perf_counter()
    truths = {s.name: _reference(s, tmp) for s in srcs}
    base = {s.name: run_one(s.raw, str(s.path), truths[s.name], "baseline", "", s.name) for s in srcs}
    for b in base.values():
        checked(b)
    results: list[Result] = []
    saved = 0
    for case in perturb.cases(srcs, args.only, office=not args.no_office):
        src = case.source
        truth = truths[src.name]
        if case.truth is not None:  # a copy with other numbers carries its own truth
            truth = tmp / f"{Path(case.file_name).stem}.truth.json"
            truth.write_text(json.dumps(case.truth, ensure_ascii=False), encoding="utf-8")
        r = run_one(case.data, case.file_name, truth, case.transform, case.variant, src.name)
        results.append(r)
        b = base[src.name]
        worse = r.exact < b.exact or len(r.wrong) > len(b.wrong) or not r.detected
        if worse or not case.transform.startswith("typo_"):  # the checker costs ~35 ms: not on every typo
            checked(r)
        r.report = None
        if worse and args.save:
            out = Path(args.save)
            out.mkdir(parents=True, exist_ok=True)
            (out / case.file_name).write_bytes(case.data)
            if case.truth is not None:
                (out / f"{case.file_name}.truth.json").write_text(json.dumps(case.truth, ensure_ascii=False, indent=1),
                                                                  encoding="utf-8")
            saved += 1
    print(f"# bench_robust: {len(srcs)} sources, {len(results)} cases, {time.perf_counter() - t0:.1f} s\n")
    print("Baseline (unperturbed, each file alone):\n")
    print(HEAD)
    print(_row("baseline", list(base.values()), base))
    by_t: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_t[r.transform].append(r)
    print("\nPer transformation (class of wild-layouts.md in brackets):\n")
    print(HEAD)
    for name, rs in by_t.items():
        print(_row(f"{name} [{perturb.TRANSFORMS[name].layout_class}]", rs, base))
    print(_row("**all**", results, base))
    if args.detail or args.show:
        for name, rs in by_t.items():
            print(f"\n## {name} [{perturb.TRANSFORMS[name].layout_class}]: {perturb.TRANSFORMS[name].doc}\n")
            per_doc: dict[str, list[Result]] = defaultdict(list)
            for r in rs:
                per_doc[r.source].append(r)
            if args.detail:
                print(HEAD)
                for doc, drs in per_doc.items():
                    print(_row(doc, drs, base))
            if args.show:
                for r in rs:
                    b = base[r.source]
                    alarms = new_findings(r, base)
                    if r.exact < b.exact or len(r.wrong) > len(b.wrong) or not r.detected or alarms:
                        new_missed = [m for m in r.missed if m not in b.missed]
                        print(f"- {r.file_name} {r.variant}: {r.exact}/{r.total} (base {b.exact}) "
                              f"status={r.status or r.error}")
                        for w in r.wrong:
                            print(f"    WRONG {w}")
                        if alarms:
                            print(f"    new checker alarms: {', '.join(sorted(alarms))}")
                        if new_missed:
                            print(f"    missed ({len(new_missed)}): {', '.join(new_missed[:12])}"
                                  + (" …" if len(new_missed) > 12 else ""))
    if args.save:
        print(f"\n{saved} worse cases written to {args.save}")


if __name__ == "__main__":
    sys.exit(main())
