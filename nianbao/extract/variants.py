"""Printed labels that differ from the template's (``label_variant`` notes): a row of table 2 or 3,
or a column header of table 2, in words other than the template's."""

from __future__ import annotations

import re

from .. import template as T
from ..model import Note
from .cells import CELLS_APART, LABEL_NUMBERING, TableRead
from .normalize import key
from .notes import note

_UNIT = re.compile(r"\(单位[^)]*\)")


def label_notes(table: str, read: TableRead, version: str | None) -> list[Note]:
    """The label variants of one table as read."""
    if not read.table:
        return []
    if table == "active" and version:
        return _active_rows(read, version) + _active_headers(read, version)
    if table == "requests":
        return _request_rows(read)
    return []


def active_label_differs(printed: str, row) -> bool:
    """A table-2 row label printed in other words than the template's."""
    return bool(printed) and key(printed) != key(row.label) and key(row.label) not in key(printed)


def request_label_differs(printed: str, row) -> bool:
    """A table-3 row label printed in other words than the template's (its numbering aside)."""
    bare = LABEL_NUMBERING.sub("", key(printed))
    off = key(row.label)
    return bool(bare) and off not in bare and bare not in off


def _active_rows(read: TableRead, version: str) -> list[Note]:
    notes: list[Note] = []
    for row in T.ACTIVE_ROWS[version]:
        printed = read.labels.get(row.key) if row.key in read.whole_labels else None
        if printed and active_label_differs(printed, row):
            notes.append(note("label_variant", f"表二“{printed}”与{version}年格式的行名“{row.label}”不一致",
                              cells=[T.ac(row.key, f.key) for f in row.fields]))
    return notes


def _active_headers(read: TableRead, version: str) -> list[Note]:
    fields = {f.key: f for row in T.ACTIVE_ROWS[version] for f in row.fields}
    # each printed header, keyed once, with the fields whose keywords it holds
    headers = []
    for printed in dict.fromkeys(read.headers):
        k = _UNIT.sub("", key(printed))  # a unit note such as （单位：万元，保留4位小数） is no alteration
        if "信息内容" in k or CELLS_APART.search(printed.strip()):
            continue  # the caption, or two header cells side by side (上一年 本年增/减)
        named = [g.key for g in fields.values() if any(key(w) in k for w in g.keywords)]
        if len(named) == 1:  # a header run together with others (crawler text) says nothing of one label
            headers.append((printed, k, named[0]))
    notes: list[Note] = []
    for f in fields.values():
        official = _UNIT.sub("", key(f.label))
        for printed, k, named in headers:
            if named == f.key and k != official and k not in official:
                notes.append(note("label_variant", f"表二栏目“{printed.strip()}”与{version}年格式的“{f.label}”不一致",
                                  cells=[T.ac(row.key, f.key) for row in T.ACTIVE_ROWS[version] if f in row.fields]))
                break
    return notes


def _request_rows(read: TableRead) -> list[Note]:
    notes: list[Note] = []
    for row_key, printed in read.labels.items():
        if row_key not in read.whole_labels:
            continue  # a fragment of a wrapped cell, or words the reader is not sure are this row's
        row = T.REQUEST_ROW_BY_KEY[row_key]
        if not request_label_differs(printed, row):
            continue
        notes.append(note("label_variant",
                          f"表三“{printed.strip()}”与格式规定的行名“{row.number}{T._short(row.label)}”不一致",
                          cells=[T.rq(row_key, c) for c in T.REQUEST_COLUMN_KEYS]))
    return notes
