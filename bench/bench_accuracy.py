"""Accuracy of the reader on real reports with hand-read truth (tests/documents/).

For every document and in total: fields exact / wrong / missed against the truth (every table cell
plus year, template, publication date and agency), cells the reader declared unread, and the
reading status. "wrong" is a value that is not the truth: the number that must stay 0. A missed
field is null where the truth has a value (a fused run only the CMS page splits, a blank whose
place is lost): allowed, but then it must be in ``reading.unread``.

    python bench/bench_accuracy.py                 # tests/documents/corpus and wild
    python bench/bench_accuracy.py --markdown      # the table for the README
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from documents.truth import documents, score  # noqa: E402
from nianbao.parse import parse_path  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markdown", action="store_true", help="print the summary as a markdown table")
    args = ap.parse_args(argv)
    rows = []
    for doc, truth in documents():
        t0 = time.perf_counter()
        report = parse_path(doc)
        ms = (time.perf_counter() - t0) * 1000
        s = score(report.to_json_dict(), truth)
        rows.append((doc.parent.name, doc.name, s, len(report.reading.unread), report.reading.status, ms))
    if not args.markdown:
        print(f"{'document':44s} {'exact':>9s} {'wrong':>5s} {'missed':>6s} {'unread':>6s}  status    ms")
        for folder, name, s, unread, status, ms in rows:
            print(f"{folder + '/' + name:44s} {s.exact:4d}/{s.total:<4d} {len(s.wrong):5d} {len(s.missed):6d} "
                  f"{unread:6d}  {status:8s} {ms:5.1f}")
            for w in s.wrong:
                print(f"    WRONG {w}")
    print()
    print("| set | files | fields exact | wrong | missed | cells unread | complete |")
    print("|---|---|---|---|---|---|---|")
    for folder in ("corpus", "wild"):
        mine = [r for r in rows if r[0] == folder]
        exact = sum(r[2].exact for r in mine)
        total = sum(r[2].total for r in mine)
        wrong = sum(len(r[2].wrong) for r in mine)
        missed = sum(len(r[2].missed) for r in mine)
        unread = sum(r[3] for r in mine)
        complete = sum(r[4] == "complete" for r in mine)
        print(f"| `tests/documents/{folder}` | {len(mine)} | {exact}/{total} = {exact / total:.1%} | {wrong} | "
              f"{missed} | {unread} | {complete}/{len(mine)} |")
    return 1 if any(r[2].wrong for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
