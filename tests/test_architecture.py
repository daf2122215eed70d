"""Which package may import which (docs/architecture.md): the store stores and queries, the web
shows; reading and checking are the pipeline's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import nianbao

PACKAGE = Path(nianbao.__file__).parent

READER = ("nianbao.read", "nianbao.extract", "nianbao.parse")
CHECKER = ("nianbao.check",)
FORBIDDEN = {
    "store": READER + CHECKER + ("nianbao.pipeline", "nianbao.serve", "nianbao.cli"),
    "serve": READER,
    "check": READER + ("nianbao.store", "nianbao.serve", "nianbao.cli", "nianbao.pipeline"),
}


def imports_of(path: Path) -> set[str]:
    """Every module a file imports (relative imports resolved), wherever the import statement is."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    package = list(rel.parts[:-1])  # the package the file is in (a package's __init__ included)
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)
    return out


def _banned(mod: str, prefixes: tuple[str, ...]) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in prefixes)


@pytest.mark.parametrize("area", sorted(FORBIDDEN))
def test_layers_import_only_downwards(area):
    found = []
    for path in sorted((PACKAGE / area).rglob("*.py")):
        for mod in sorted(imports_of(path)):
            if _banned(mod, FORBIDDEN[area]):
                found.append(f"{path.relative_to(PACKAGE)} imports {mod}")
    assert found == []


def test_the_import_reader_sees_relative_and_late_imports(tmp_path):
    fake = PACKAGE / "store" / "ingest.py"
    got = imports_of(fake)
    assert "nianbao.store.relations" in got and "nianbao.model.Report" in got
    # a late import inside a function counts too
    src = PACKAGE / "serve" / "views" / "editor.py"
    assert "nianbao.register.io.read_sheet" in imports_of(src)
