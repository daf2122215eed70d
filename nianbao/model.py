"""The canonical report model (``../shared/spec/report-model.md``), as pydantic models.

Tables are kept as plain nested dicts keyed exactly as the spec says (``tables.requests[row][col]``),
so that the JSON is the contract and every layer can address a cell by its dotted path.
"""

from __future__ import annotations

from typing import Any, Iterator, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from .template import CellPath

SCHEMA_VERSION = 1

Number = Union[int, float]
Table = dict[str, dict[str, Optional[Number]]]
Severity = Literal["error", "warning", "info"]
SEVERITIES = ("error", "warning", "info")
FORMATS = ("html", "pdf", "docx", "text", "markdown")


class Source(BaseModel):
    model_config = ConfigDict(extra="allow")

    path: str
    sha256: str
    format: Optional[str] = None
    reader: Optional[str] = None  # which reader produced the cells (e.g. "html", "pdf", "ocr")


class Meta(BaseModel):
    title: Optional[str] = None
    agency: Optional[str] = None
    year: Optional[int] = None
    template: Optional[Literal["2019", "2021"]] = None
    published: Optional[str] = None  # ISO date


class Sections(BaseModel):
    overview: Optional[str] = None
    active: Optional[str] = None
    requests: Optional[str] = None
    appeals: Optional[str] = None
    problems: Optional[str] = None
    other: Optional[str] = None


class Tables(BaseModel):
    active: Optional[Table] = None
    requests: Optional[Table] = None
    appeals: Optional[Table] = None


class Provenance(BaseModel):
    raw: Optional[str] = None
    line: Optional[int] = None
    page: Optional[int] = None


class Finding(BaseModel):
    """One thing a rule found. ``cells`` are dotted paths into the report."""

    model_config = ConfigDict(extra="allow")

    rule: str
    severity: Severity
    message: str
    cells: list[str] = Field(default_factory=list)
    expected: Optional[Number] = None
    actual: Optional[Number] = None


class Note(BaseModel):
    """Something the reader met (spec §8 ``notes``): a code from the reader's note registry
    (``nianbao.extract.notes``), the stage that wrote it, a Chinese message and the cells concerned."""

    code: str
    message: str
    stage: Optional[str] = None
    cells: list[str] = Field(default_factory=list)
    line: Optional[int] = None


ReadingStatus = Literal["complete", "partial"]


class Reading(BaseModel):
    """How completely the file was read (spec §8). ``unread``: template cells the reader could not
    place (null because of the reader, not because the report prints a blank); ``inferred``: fields
    not printed as such but inferred; ``suggested``: likely values where the printed one looks misread
    (never applied)."""

    status: ReadingStatus = "complete"
    unread: list[str] = Field(default_factory=list)
    inferred: list[str] = Field(default_factory=list)
    suggested: dict[str, str] = Field(default_factory=dict)


class Report(BaseModel):
    model_config = ConfigDict(extra="allow")

    schema_version: int = SCHEMA_VERSION
    source: Source
    meta: Meta = Field(default_factory=Meta)
    sections: Sections = Field(default_factory=Sections)
    # text before chapter 一 (legal basis, statistical period, contact); not one of the six chapters
    preamble: Optional[str] = None
    tables: Tables = Field(default_factory=Tables)
    provenance: dict[str, Provenance] = Field(default_factory=dict)
    findings: list[Finding] = Field(default_factory=list)
    reading: Reading = Field(default_factory=Reading)
    notes: list[Note] = Field(default_factory=list)

    # -- cells by dotted path -------------------------------------------------------------

    def get(self, path: str, default: Any = None) -> Any:
        """The value at a dotted path such as ``tables.requests.new_received.total``."""
        parts = path.split(".")
        if len(parts) != 4 or parts[0] != "tables":
            raise ValueError(f"not a cell path: {path!r} (expected tables.<table>.<row>.<column>)")
        table = getattr(self.tables, parts[1], None)
        if table is None:
            return default
        return table.get(parts[2], {}).get(parts[3], default)

    def has(self, path: str) -> bool:
        parts = path.split(".")
        table = getattr(self.tables, parts[1], None)
        return table is not None and parts[3] in table.get(parts[2], {})

    def set(self, path: str, value: Optional[Number], provenance: Provenance | None = None) -> None:
        _, table_key, row, col = path.split(".")
        table = getattr(self.tables, table_key)
        if table is None:
            table = {}
            setattr(self.tables, table_key, table)
        table.setdefault(row, {})[col] = value
        if provenance is not None:
            self.provenance[path] = provenance

    def cells(self) -> Iterator[tuple[str, Optional[Number]]]:
        """Every cell the report has, as (path, value), tables in spec order."""
        for table_key in ("active", "requests", "appeals"):
            table = getattr(self.tables, table_key)
            if not table:
                continue
            for row, cols in table.items():
                for col, value in cols.items():
                    yield CellPath(table_key, row, col), value

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json")


class ErrorLine(BaseModel):
    """The line written for a file that cannot be read."""

    source: Source
    error: dict[str, str]
