"""Compare a parsed report with a hand-read truth file (tests/documents/*/truth/*.json).

Used by ``tests/test_documents.py`` and ``bench/bench_accuracy.py``, with the conventions of the truth
files (README beside this file): a number is what the report prints, ``null`` a printed blank,
``"0?"`` a cell not printed at all (0 or null both right), ``"?"`` unreadable to a person (skipped).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
FOLDERS = ("corpus", "wild", "converted")


@dataclass
class Score:
    name: str
    exact: int = 0
    total: int = 0
    wrong: list[str] = field(default_factory=list)  # "path: want …, got …" for values that are not the truth
    missed: list[str] = field(default_factory=list)  # cells left null where the truth has a value


def truth_of(doc: Path) -> Path | None:
    """The truth file of a document: in its folder's ``truth/``, else (a file converted from a real
    report by a real tool, ``converted/``) the truth of the report it was made from, by stem."""
    own = HERE / doc.parent.name / "truth" / f"{doc.name}.json"  # where the converted file prints otherwise
    if own.exists():
        return own
    for folder in (doc.parent.name,) + FOLDERS:
        truth = HERE / folder / "truth" / f"{doc.stem}.json"
        if truth.exists():
            return truth
    return None


def documents() -> list[tuple[Path, Path]]:
    """Every real document with its truth file, in name order."""
    out = []
    for folder in FOLDERS:
        for f in sorted((HERE / folder).iterdir()):
            if f.is_file() and f.suffix in (".txt", ".html", ".htm", ".md", ".pdf", ".docx"):
                truth = truth_of(f)
                if truth is not None:
                    out.append((f, truth))
    return out


def _leaves(obj, prefix=""):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _leaves(v, f"{prefix}.{k}" if prefix else k)
    else:
        yield prefix, obj


def _get(obj: dict, path: str):
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def _same(want, got) -> bool:
    if want == "0?":
        return got in (0, None)
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(want - got) < 1e-6
    return want == got


def score(report: dict, truth_file: Path) -> Score:
    """Every field of the truth against the report (the report as ``Report.to_json_dict()``)."""
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    s = Score(truth_file.stem)
    meta = truth.get("meta", {})
    checks = [(f"tables.{p}", v) for p, v in _leaves(truth.get("tables", {}))]
    checks += [(f"meta.{k}", meta[k]) for k in ("year", "template", "published") if k in meta]
    for path, want in checks:
        if want == "?":
            continue
        got = _get(report, path)
        s.total += 1
        if _same(want, got):
            s.exact += 1
        elif got is None:
            s.missed.append(path)
        else:
            s.wrong.append(f"{path}: want {want!r}, got {got!r}")
    if "agency_contains" in meta:
        s.total += 1
        agency = (report.get("meta") or {}).get("agency") or ""
        if meta["agency_contains"] in agency:
            s.exact += 1
        elif agency:
            s.wrong.append(f"meta.agency: want ~{meta['agency_contains']!r}, got {agency!r}")
        else:
            s.missed.append("meta.agency")
    return s


def truth_value(truth_file: Path, path: str):
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    return _get({"tables": truth.get("tables", {})}, path)
