"""PDF benchmark: pages per second, and nianbao's PDF time against pdfplumber's bare text extraction.

    python bench/bench_pdf.py [PDF ...] [--repeat N] [--big COPIES]

Without arguments it uses the text-layer PDFs of ``tests/fixtures/formats/`` (LibreOffice output of
two seed reports, 7 pages). ``--big N`` also makes one long PDF (N copies of the longgang DOCX
fixture, each with its three tables, converted by LibreOffice) in a temporary folder. For each file, best of N runs of:

- ``pdfplumber``: ``pdfplumber.open(f)`` and ``page.extract_text()`` for every page — the baseline;
- ``read_pdf``: nianbao's reader (pypdfium2 triage, tables from ruling lines, grids, page breaks);
- ``parse``: the whole pipeline (``parse_bytes``: reader + extractor).

Prints one JSON object of figures; ``ratio_read`` / ``ratio_parse`` are nianbao's time divided by
the baseline's (target ≤ 1.5).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pdfplumber  # noqa: E402

from nianbao.parse import parse_bytes  # noqa: E402
from nianbao.read.pdf import read_pdf  # noqa: E402

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "formats"


def bare_text(data: bytes) -> int:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def best_of(fn, data: bytes, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(data)
        best = min(best, time.perf_counter() - t)
    return best


def big_pdf(copies: int, outdir: Path) -> Path:
    """One long report-like PDF: the DOCX fixture repeated ``copies`` times, through LibreOffice."""
    import copy
    import shutil
    import subprocess

    import docx

    d = docx.Document(str(FIXTURES / "longgang-2021.docx"))
    body = d.element.body
    parts = [el for el in body if not el.tag.endswith("}sectPr")]
    sect = body[-1]
    for _ in range(copies - 1):
        for el in parts:
            sect.addprevious(copy.deepcopy(el))
    src = outdir / "big.docx"
    d.save(str(src))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=600)
    return outdir / "big.pdf"


def main() -> int:
    import tempfile

    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--big", type=int, default=0)
    args = ap.parse_args()
    files = args.pdfs or sorted(p for p in FIXTURES.glob("*.pdf") if p.name.count(".") == 1
                                and p.stem not in ("corrupt", "encrypted"))
    if args.big:
        files.append(big_pdf(args.big, Path(tempfile.mkdtemp(prefix="nianbao-bench-pdf-"))))
    parse_bytes(files[0].read_bytes(), str(files[0]))  # warm imports
    out: dict = {"files": [], "repeat": args.repeat}
    totals = {"pages": 0, "pdfplumber": 0.0, "read_pdf": 0.0, "parse": 0.0}
    for f in files:
        data = f.read_bytes()
        pages = bare_text(data)
        base = best_of(bare_text, data, args.repeat)
        read = best_of(lambda d: read_pdf(d, str(f)), data, args.repeat)
        full = best_of(lambda d: parse_bytes(d, str(f)), data, args.repeat)
        out["files"].append({"file": f.name, "pages": pages, "pdfplumber_s": round(base, 4),
                             "read_pdf_s": round(read, 4), "parse_s": round(full, 4),
                             "ratio_read": round(read / base, 2), "ratio_parse": round(full / base, 2)})
        totals["pages"] += pages
        totals["pdfplumber"] += base
        totals["read_pdf"] += read
        totals["parse"] += full
    out["pages"] = totals["pages"]
    out["pages_per_second_read_pdf"] = round(totals["pages"] / totals["read_pdf"], 1)
    out["pages_per_second_parse"] = round(totals["pages"] / totals["parse"], 1)
    out["pages_per_second_pdfplumber_text"] = round(totals["pages"] / totals["pdfplumber"], 1)
    out["ratio_read"] = round(totals["read_pdf"] / totals["pdfplumber"], 2)
    out["ratio_parse"] = round(totals["parse"] / totals["pdfplumber"], 2)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
