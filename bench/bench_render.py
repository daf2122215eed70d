"""``nianbao render``: time per format and the render → parse round trip over generated reports.

Generates ``--n`` random valid reports (``nianbao.synth``, years alternating between the 2019 and
2021 templates), renders each in every format asked for, parses the output back and compares the
meta (title, agency, year, template, published) and every table cell with the report rendered.
PDF goes through LibreOffice, converted in one batch (its start-up dominates).

Prints one JSON object: per format the reports rendered, wrong round trips (with the first few
differences), and milliseconds per report to render and to parse back.

Usage: python bench/bench_render.py [--n 50] [--formats html,md,docx,pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import time

from nianbao import synth
from nianbao.parse import parse_bytes
from nianbao.render.official import layout, render

META = ("title", "agency", "year", "template", "published")


def differences(source, got) -> list:
    out = [k for k in META if getattr(source.meta, k) != getattr(got.meta, k)]
    for t in ("active", "requests", "appeals"):
        a, b = getattr(source.tables, t), getattr(got.tables, t) or {}
        out += [f"{t}.{row}" for row in a if a.get(row) != b.get(row)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--formats", default="html,md,docx")
    args = ap.parse_args()
    reports = [synth.report(i, year=2020 if i % 2 else 2023) for i in range(args.n)]
    out = {"n": args.n, "load": os.getloadavg()[0]}
    for fmt in args.formats.split(","):
        t0 = time.perf_counter()
        if fmt == "pdf":
            from nianbao.render.official_docx import to_docx
            from nianbao.render.official_pdf import docx_to_pdf_many

            files = docx_to_pdf_many([to_docx(layout(r)) for r in reports], timeout=60 * args.n)
        else:
            files = [render(r, fmt)[0] for r in reports]
        t1 = time.perf_counter()
        wrong = []
        for i, (r, data) in enumerate(zip(reports, files)):
            diff = differences(r, parse_bytes(data, f"x.{fmt}"))
            if diff:
                wrong.append({"seed": i, "differences": diff[:5]})
        t2 = time.perf_counter()
        out[fmt] = {"reports": len(reports), "wrong": len(wrong), "first_wrong": wrong[:3],
                    "render_ms": round(1000 * (t1 - t0) / len(reports), 1),
                    "parse_ms": round(1000 * (t2 - t1) / len(reports), 1)}
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
