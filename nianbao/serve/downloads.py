"""Downloads streamed to the browser: rows as CSV chunks (with the BOM Excel on Chinese Windows
needs), a written file in chunks."""

from __future__ import annotations

import csv
import io

from ..store.export import csv_cell, safe_text


def csv_chunks(header: list, rows, size: int = 500):
    buf = io.StringIO()
    w = csv.writer(buf)
    buf.write("\ufeff")  # with a BOM, Excel on Chinese Windows opens UTF-8 CSV correctly
    w.writerow([safe_text(h) for h in header])
    n = 0
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
        n += 1
        if n % size == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def file_chunks(path: str, size: int = 1 << 16):
    with open(path, "rb") as f:
        while chunk := f.read(size):
            yield chunk
