"""Accuracy of the reader on real reports with hand-read truth (tests/documents/).

For every document and in total: fields exact / wrong / missed against the truth (every table cell
plus year, template, publication date and agency), cells the reader declared unread, and the
reading status. "wrong" is a value that is not the truth: the number that must stay 0. A missed
field is null where the truth has a value (a fused run only the CMS page splits, a blank whose
place is lost): allowed, but then it must be in ``reading.unread``.

Each folder is read as one batch, as ``nianbao check FOLDER/*`` reads it: a report with a row that
only the same agency's other years can place is read again with them (``nianbao.extract.series``;
such cells are counted as read, and listed under "inferred"). ``--alone`` reads each file by itself.

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
from nianbao.extract.series import settle  # noqa: E402
from nianbao.parse import parse_bytes, parse_path  # noqa: E402


def _timed(doc: Path):
    t0 = time.perf_counter()
    report = parse_path(doc)
    return report, (time.perf_counter() - t0) * 1000


def _again(item, found):
    doc, truth, _, ms = item
    return doc, truth, parse_bytes(doc.read_bytes(), str(doc), found), ms


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markdown", action="store_true", help="print the summary as a markdown table")
    ap.add_argument("--alone", action="store_true", help="read each file by itself (no series across a folder)")
    args = ap.parse_args(argv)
    rows = []
    for folder in ("corpus", "wild", "converted"):
        mine = [(doc, truth) for doc, truth in documents() if doc.parent.name == folder]
        read = [(doc, truth, *_timed(doc)) for doc, truth in mine]
        if not args.alone:
            read = settle(read, lambda item: item[2], _again)
        for doc, truth, report, ms in read:
            s = score(report.to_json_dict(), truth)
            rows.append((folder, doc.name, s, len(report.reading.unread), report.reading.status, ms,
                         len(report.reading.inferred)))
    if not args.markdown:
        print(f"{'document':44s} {'exact':>9s} {'wrong':>5s} {'missed':>6s} {'unread':>6s} {'inferred':>8s}  status    ms")
        for folder, name, s, unread, status, ms, inferred in rows:
            print(f"{folder + '/' + name:44s} {s.exact:4d}/{s.total:<4d} {len(s.wrong):5d} {len(s.missed):6d} "
                  f"{unread:6d} {inferred:8d}  {status:8s} {ms:5.1f}")
            for w in s.wrong:
                print(f"    WRONG {w}")
    print()
    print("| set | files | fields exact | wrong | missed | cells unread | complete |")
    print("|---|---|---|---|---|---|---|")
    for folder in ("corpus", "wild", "converted"):
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
