"""Record what the writer decides between reports, to compare two versions of the store's searches.

    python tests/store/relations_record.py STORE_URL OUT.json [--workers N]

Writes a corpus with real duplicates and copies into a fresh store (SQLite path or PostgreSQL URL;
its tables are dropped first) and records, in JSON: the status and report of every input, the files
joined to a report as copies (``report_copies``) and every ``corpus`` and ``cross_year`` finding.
Run it with one version of the code and with another and compare the two files (``cmp``): the
decisions must be the same.

The corpus, in this order:
- the real reports under tests/documents (two readings of one of them: a duplicate);
- copies of the real reports as text: another agency's name put in (copied text), the figures
  changed (the same report again), a year later with the figures changed (a cross-year pair);
- 750 generated reports (150 agencies × 5 years, every injection of ``synth``): they share a few
  text templates, so hundreds of reports share every band;
- generated copies: the same report with its figures changed, under a longer name containing
  the agency's (人民政府 → 人民政府办公室) and under a shorter one contained in it, early reports
  copied late (more than 200 reports share their bands by then), another agency's copy.

``dump(url)`` records a store written otherwise (e.g. by bench/bench_ingest.py) the same way.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "documents"


def _real_inputs(tmp: Path) -> list[Path]:
    from nianbao.parse import parse_path

    real = sorted((DOCS / "corpus").glob("*.txt")) + sorted((DOCS / "corpus").glob("*.html")) \
        + sorted((DOCS / "wild").glob("*.txt"))
    out = list(real)
    rng = random.Random(14)
    for i, p in enumerate(sorted((DOCS / "corpus").glob("*.txt")) + sorted((DOCS / "wild").glob("*.txt"))):
        text = p.read_text(encoding="utf-8")
        agency = parse_path(p).meta.agency
        if not agency:
            continue
        figures = "".join(str(rng.randint(0, 9)) if c.isdigit() and not rng.randint(0, 3) else c for c in text)
        variants = {
            "figures": figures,  # the same report, some figures changed: a duplicate
            "other": text.replace(agency, "安吉县教育局" if i % 2 else "德清县人民政府"),  # copied text
        }
        years = sorted({int(y) for y in __import__("re").findall(r"(20[12]\d)年", text[:400])})
        if years:
            y = years[0]
            variants["next"] = figures.replace(f"{y}年", f"{y + 1}年")  # a year later: a cross-year pair
        for name, body in variants.items():
            q = tmp / f"{p.stem}_{name}.txt"
            q.write_text(body, encoding="utf-8")
            out.append(q)
    return out


def _generated():
    from nianbao import synth

    corpus = synth.corpus(150, [2019, 2020, 2021, 2022, 2023], seed=14,
                          inject=["identity", "cross_year", "jump", "copy", "missing"])
    reports = list(corpus.reports)
    rng = random.Random(1414)
    late = []
    govs = [r for r in reports if r.meta.agency.endswith("人民政府")]
    for n, r in enumerate(govs[:40]):
        c = copy.deepcopy(r)
        for path, v in list(c.cells()):
            if isinstance(v, int) and v and rng.random() < 0.3:
                c.set(path, v + 1)
        name = r.meta.agency
        if n % 4 == 0:
            longer = name + "办公室"  # a name containing the agency's
            c.meta.agency = longer
        elif n % 4 == 1:
            c.meta.agency = name.replace("人民政府", "政府")  # the same key
        elif n % 4 == 2:
            c.meta.agency = "关于" + name  # a stray prefix
        else:
            c.meta.agency = "安吉县教育局"  # another agency: copied text, not a duplicate
        c.source.path = f"copy{n}-{r.meta.year}.json"
        (late if n % 3 == 0 else reports).append(c)
    # shorter names after longer ones: an office's report stored first, its government's copy later
    offices = [r for r in reports if r.meta.agency.endswith("人民政府办公室")]
    for n, r in enumerate(offices[:10]):
        c = copy.deepcopy(r)
        c.meta.agency = r.meta.agency.replace("办公室", "")
        c.source.path = f"short{n}-{r.meta.year}.json"
        late.append(c)
    return reports + late


def record(url: str, workers: int = 1) -> dict:
    import tempfile

    from nianbao.pipeline import ingest, write_reports
    from nianbao.store import open_store

    _fresh(url)
    out: dict = {"inputs": []}
    with tempfile.TemporaryDirectory() as tmp, open_store(url) as store:
        for r in ingest(store, _real_inputs(Path(tmp)), workers=workers):
            out["inputs"].append([Path(r.path).name, r.status, r.report_id])
        for r in write_reports(store, _generated()):
            out["inputs"].append([r.path, r.status, r.report_id])
    out.update(dump(url))
    return out


def dump(url: str) -> dict:
    from nianbao.store import open_store
    from nianbao.store.raw import raw

    with open_store(url) as store, store.engine.connect() as conn:
        r = raw(conn)
        copies = r.all("SELECT c.report_id, s.path FROM report_copies c JOIN sources s ON s.sha256 = c.sha256 "
                       "ORDER BY c.report_id, s.path")
        findings = r.all(
            "SELECT report_id, other_report_id, origin, rule, severity, message, cells, expected, actual, extra "
            "FROM findings WHERE origin IN ('corpus', 'cross_year') ORDER BY report_id, origin, rule, message")
        reports = r.all("SELECT id, sha256, status, text_hash FROM reports ORDER BY id")
    return {"copies": [[i, Path(path).name] for i, path in copies], "findings": [[_plain(v) for v in x] for x in findings],
            "reports": [list(x) for x in reports]}


def _plain(v):
    return v if v is None or isinstance(v, (int, float, str)) else str(v)


def _fresh(url: str) -> None:
    if "://" not in url:
        Path(url).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(url + suffix).unlink(missing_ok=True)
        return
    from sqlalchemy import text

    from nianbao.store.db import make_engine, to_url

    engine = make_engine(to_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


if __name__ == "__main__":
    args = sys.argv[1:]
    workers = 1
    if "--workers" in args:
        i = args.index("--workers")
        workers = int(args[i + 1])
        del args[i : i + 2]
    if args and args[0] == "--dump":
        data = dump(args[1])
        Path(args[2]).write_text(json.dumps(data, ensure_ascii=False, indent=0))
    else:
        data = record(args[0], workers)
        Path(args[1]).write_text(json.dumps(data, ensure_ascii=False, indent=0))
    print(f"{len(data.get('inputs', []))} inputs, {len(data['copies'])} copies, {len(data['findings'])} findings")
