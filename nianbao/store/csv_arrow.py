"""CSV lines made from Arrow columns, byte for byte what :func:`nianbao.store.export.write_csv`
writes for the same cells (``csv.writer``, excel dialect, through ``csv_cell``), without a Python
object per cell:

- a number: plain decimals (integers as digits; a float formatted by
  :func:`nianbao.numbers.format_number` once per distinct value);
- a text: a leading apostrophe when a spreadsheet would take it for a formula (``safe_text``);
  quoted when it holds a comma, a double quote or a line break, its quotes doubled (QUOTE_MINIMAL);
- an empty cell for None; rows ending in CRLF.

Dictionary arrays are worked on through their dictionary (each distinct text once).
"""

from __future__ import annotations

from ..numbers import format_number

FORMULA = r"^[=+\-@\t\r]"  # export.FORMULA_START as a pattern
NEEDS_QUOTES = r'[,"\r\n]'  # what QUOTE_MINIMAL quotes with the excel dialect


def _texts(arr):
    """Strings (no nulls) of a plain string array, made formula-safe and quoted where needed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    s = pc.fill_null(arr, "")
    safe = pc.match_substring_regex(s, FORMULA)
    if pc.any(safe).as_py():
        s = pc.if_else(safe, pc.binary_join_element_wise("'", s, ""), s)
    quote = pc.match_substring_regex(s, NEEDS_QUOTES)
    if pc.any(quote).as_py():
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(s, '"', '""'), '"', "")
        s = pc.if_else(quote, quoted, s)
    return s.cast(pa.string())


def text_column(arr):
    """A text column's CSV fields."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(arr.type):
        fields = _texts(arr.dictionary)
        return pc.fill_null(fields.take(arr.indices), "")
    return _texts(arr)


def number_column(arr):
    """A numeric column's CSV fields: integers as digits; a float with an integral value below 2^53
    as those digits (what ``format_number`` writes for it), any other float formatted by
    ``format_number`` once per distinct value."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_integer(arr.type):
        return pc.fill_null(arr.cast(pa.string()), "")
    values = arr.to_numpy(zero_copy_only=False)  # nulls as NaN (a stored NaN reads as null)
    empty = np.isnan(values)
    whole = ~empty & (np.abs(values) < 2.0**53) & (np.trunc(values) == values)
    texts = pa.array(np.where(whole, values, 0).astype(np.int64)).cast(pa.string())
    other = ~(whole | empty)
    if other.any():
        distinct, at = np.unique(values[other], return_inverse=True)
        shown = pa.array([format_number(v) for v in distinct.tolist()], pa.string())
        where = np.zeros(len(values), dtype=np.int64)
        where[other] = at
        texts = pc.if_else(pa.array(other), shown.take(pa.array(where)), texts)
    if empty.any():
        texts = pc.if_else(pa.array(empty), "", texts)
    return texts


def lines(columns: list, kinds: list[str]) -> memoryview:
    """The CSV lines (CRLF-terminated) of equal-length columns; ``kinds``: "text" or "number" each,
    or "fields" for a column of CSV fields made already (by :func:`text_column`, :func:`number_column`
    or joined from them with commas)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    make = {"text": text_column, "number": number_column, "fields": lambda c: c}
    fields = [make[k](c) for c, k in zip(columns, kinds)]
    row = pc.binary_join_element_wise(*fields, ",")
    row = pc.binary_join_element_wise(row, pa.scalar("\r\n"), "")
    row = row.cast(pa.large_string())
    offsets = np.frombuffer(row.buffers()[1], dtype=np.int64)[row.offset:row.offset + len(row) + 1]
    return memoryview(row.buffers()[2])[offsets[0]:offsets[-1]] if len(row) else memoryview(b"")
