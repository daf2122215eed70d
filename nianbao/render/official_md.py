"""The official format as markdown: ``#`` title, ``##`` chapter headings, pipe tables.

Markdown has no merged cells: a merged cell's text stands in its first grid slot and the slots it
covers stay empty, so every row has the table's full width and each value sits in its own column.
The first header row of a table is the pipe table's header line.
"""

from __future__ import annotations

from .official import Official, OfficialTable, grid_positions


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def _grid(t: OfficialTable) -> list[list[str]]:
    out = [[""] * t.width for _ in t.rows]
    for r, c, cell in grid_positions(t.rows):
        out[r][c] = _escape(cell.text)
    return out


def to_markdown(doc: Official) -> str:
    out: list[str] = []
    if doc.title:
        out += [f"# {doc.title}", ""]
    for p in doc.opening:
        out += [p, ""]
    for ch in doc.chapters:
        out += [f"## {ch.heading}", ""]
        for p in ch.paragraphs:
            out += [p, ""]
        if ch.table is not None:
            grid = _grid(ch.table)
            out.append("| " + " | ".join(grid[0]) + " |")
            out.append("|" + "---|" * ch.table.width)
            for row in grid[1:]:
                out.append("| " + " | ".join(row) + " |")
            out.append("")
    for text in (doc.agency, doc.date):
        if text:
            out += [text, ""]
    return "\n".join(out).rstrip("\n") + "\n"
