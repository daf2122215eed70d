"""Reading registers (CSV or XLSX; Chinese or English headers) and writing an empty request register.

Both registers (requests → table 3, records → table 2) are read the same way: :func:`read_sheet`,
then :func:`missing_columns` for the header and :func:`read_rows` for the rows, where a bad cell
raises :class:`RowError` and its row is listed and left out.

A register is a table whose first row names the columns. Rows are numbered as the spreadsheet
numbers them: the header is row 1, the first application row 2, so that a message's row number is
the row a clerk sees in Excel or WPS.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from .. import limits
from .. import template as T
from ..errors import NianbaoError


class RegisterError(NianbaoError):
    """A register that cannot be read at all (not a CSV/XLSX, no header row)."""

    code = "bad_register"


@dataclass(frozen=True)
class Column:
    key: str  # English header (spec §9)
    label: str  # Chinese header (spec §9)
    required: bool
    help: str  # for the instructions sheet


# The request register of spec §9 (依申请公开台账), in order.
REQUEST_COLUMNS: tuple[Column, ...] = (
    Column("id", "编号", True, "任意文本，不得重复"),
    Column("received", "收到日期", True, "收到申请的日期（条例第三十一条），如 2026-03-05"),
    Column("applicant", "申请人类型", True, "自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他（下拉选择）"),
    Column("correction_sent", "补正通知日期", False, "可空：发出补正通知的日期"),
    Column("correction_received", "补正收到日期", False, "可空：收到补正后申请的日期（答复期限自此重新计算）"),
    Column("extended", "延期", False, "可空：是/否（经批准延长答复期限，最多20个工作日）"),
    Column("consultation_days", "征求意见工作日", False, "可空：征求第三方或其他机关意见所用工作日（不计入答复期限）"),
    Column("replied", "答复日期", True, "答复日期；尚未答复的留空"),
    Column("outcome", "办理结果", True, "表三办理结果的一行（下拉选择），如 予以公开、本机关不掌握相关政府信息、重复申请、其他；尚未答复的留空"),
)

# Proactive-disclosure records (spec §9, register table2).
RECORD_COLUMNS: tuple[Column, ...] = (
    Column("category", "类别", True, "规章、行政规范性文件、行政许可、其他对外管理服务事项、行政处罚、行政强制、行政事业性收费、政府集中采购"),
    Column("item", "事项", True, "标题或文号"),
    Column("date", "日期", True, "制发、决定或缴费日期"),
    Column("repealed", "废止日期", False, "规章、规范性文件的废止日期"),
    Column("amount", "金额", False, "收费、采购金额（元；表头写“金额（万元）”则按万元）"),
    Column("published", "公开日期", False, "可空（2019年版）：公开日期，缺省与日期相同"),
)

T_ = TypeVar("T_")

APPLICANT_LABELS = tuple(T.REQUEST_COLUMN_LABEL[k] for k in T.REQUEST_PARTS)


@dataclass
class Sheet:
    """A register as read: each row's cells by column key, with its spreadsheet row number."""

    path: str
    columns: dict[str, str]  # key -> the header as written
    rows: list[tuple[int, dict[str, Any]]]
    missing: list[Column]  # required columns not found
    header_units: dict[str, str]  # key -> unit named in the header (金额（万元）)


def _norm_header(text: str) -> str:
    return re.sub(r"[\s\u3000_\-]+", "", str(text or "")).lower()


def _match_column(header: str, columns: tuple[Column, ...]) -> Optional[Column]:
    h = _norm_header(header)
    base = re.sub(r"[（(].*?[)）]", "", h)  # 金额（万元） → 金额
    for col in columns:
        if h in (col.key.replace("_", ""), _norm_header(col.label)) or base in (
            col.key.replace("_", ""),
            _norm_header(col.label),
        ):
            return col
    return None


def read_sheet(path: str | Path | bytes, columns: tuple[Column, ...], name: str | None = None,
               bounds: "limits.Limits | None" = None) -> Sheet:
    """The rows of a CSV or XLSX register, columns matched by their Chinese or English header.

    ``path`` may be the file's bytes (an upload), ``name`` then what messages call it; ``bounds``:
    the limits an XLSX is checked against (default: the reading limits)."""
    if isinstance(path, bytes):
        data, p = path, name or "台账"
    else:
        p = str(path)
        try:
            data = Path(path).read_bytes()
        except OSError as e:
            raise RegisterError(f"{p}: 无法读取文件 ({e.strerror or e})", p) from e
    if data[:4] == b"PK\x03\x04":
        table = _xlsx_rows(data, p, bounds)
    else:
        table = _csv_rows(data, p)
    header_index = next((i for i, row in enumerate(table) if any(str(c or "").strip() for c in row)), None)
    if header_index is None:
        raise RegisterError(f"{p}: 文件是空的，没有表头", str(p))
    header = table[header_index]
    found: dict[str, int] = {}
    written: dict[str, str] = {}
    units: dict[str, str] = {}
    for i, h in enumerate(header):
        col = _match_column(str(h or ""), columns)
        if col is not None and col.key not in found:
            found[col.key] = i
            written[col.key] = str(h).strip()
            m = re.search(r"[（(]\s*(万元|元)\s*[)）]", str(h))
            if m:
                units[col.key] = m.group(1)
    missing = [c for c in columns if c.required and c.key not in found]
    rows = []
    for i, row in enumerate(table[header_index + 1 :], start=header_index + 2):
        cells = {k: (row[j] if j < len(row) else None) for k, j in found.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue  # an empty line
        rows.append((i, cells))
    return Sheet(p, written, rows, missing, units)


def _csv_rows(data: bytes, path: str) -> list[list[Any]]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RegisterError(f"{path}: 既不是 XLSX 也不是 UTF-8/GB18030 编码的 CSV 文件", path)
    if "\x00" in text:
        raise RegisterError(f"{path}: 不是 CSV 或 XLSX 文件（含二进制内容）", path)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_rows(data: bytes, path: str, bounds: "limits.Limits | None" = None) -> list[list[Any]]:
    # an XLSX is a zip: its members' number, sizes and compression ratio are checked (every part
    # unpacked in chunks and thrown away) before openpyxl unpacks anything
    try:
        limits.check_package(data, path, "XLSX 文件", bounds)
    except NianbaoError as e:
        raise RegisterError(e.message, path) from e
    try:
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # a damaged or foreign zip
        raise RegisterError(f"{path}: XLSX 文件无法打开 ({type(e).__name__}: {e})", path) from e
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


# --------------------------------------------------------------------------- rows and their errors


class RowError(Exception):
    """A bad cell in one row of a register: the column's header (Chinese) and what is wrong."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


def missing_columns(sheet: Sheet, consequence: str = "") -> list[dict]:
    """One error (row 1, the header) for each required column the register lacks."""
    return [
        {"row": 1, "column": c.label, "message": f"缺少必填列“{c.label}”（或英文表头 {c.key}）{consequence}"}
        for c in sheet.missing
    ]


def read_rows(sheet: Sheet, make: Callable[[int, dict[str, Any]], T_]) -> tuple[list[T_], list[dict]]:
    """Each row of a register through ``make(row, cells)``: the rows it accepts, and an error
    ``{"row", "column", "message"}`` for each row where it raised :class:`RowError` (left out)."""
    good: list[T_] = []
    errors: list[dict] = []
    for row, cells in sheet.rows:
        try:
            good.append(make(row, cells))
        except RowError as e:
            errors.append({"row": row, "column": e.column, "message": e.message})
    return good, errors


def date_cell(cells: dict[str, Any], column: Column, required: bool = False) -> Optional[dt.date]:
    """A date cell of a row; :class:`RowError` for an unreadable date, or an empty required one."""
    try:
        d = parse_date(cells.get(column.key))
    except ValueError as e:
        raise RowError(column.label, str(e)) from None
    if d is None and required:
        raise RowError(column.label, f"{column.label}为空")
    return d


# --------------------------------------------------------------------------- cell values


_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*$")


def parse_date(value: Any) -> Optional[dt.date]:
    """A date cell: a spreadsheet date, ``2026-03-05``, ``2026/3/5``, ``2026.3.5`` or
    ``2026年3月5日``; ``None`` for an empty cell. Raises ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    m = _DATE_RE.match(text)
    if not m:
        raise ValueError(f"无法识别的日期“{text}”（应为 2026-03-05 这样的日期）")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ValueError(f"不存在的日期“{text}”") from None


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --------------------------------------------------------------------------- the empty register


INSTRUCTIONS = (
    "依申请公开台账（政府信息公开申请登记表）填写说明",
    "",
    "每件申请填一行；第一行为表头，请勿修改表头文字（也可使用英文表头：id, received, applicant, correction_sent, "
    "correction_received, extended, consultation_days, replied, outcome）。",
    "日期写作 2026-03-05（或 2026/3/5、2026年3月5日），也可使用表格软件的日期格式。",
    "答复期限按《中华人民共和国政府信息公开条例》第三十三条计算：收到申请之日起20个工作日内答复（收到当日不计），"
    "补正后自收到补正申请之日起重新计算（第三十条），经批准延期的最多再延长20个工作日，征求第三方或其他机关意见的时间不计入。",
    "工作日按国务院办公厅公布的法定节假日和调休安排计算。",
    "尚未答复的申请，答复日期和办理结果都留空；已答复的两项都要填写。",
    "生成表三：nianbao register table3 本台账.xlsx --year 2026 --json",
)


def write_request_template(path: str | Path, as_csv: bool = False) -> None:
    """An empty request register: the columns of spec §9; in XLSX with drop-down lists for 申请人类型
    and 办理结果 and a sheet of instructions."""
    labels = [c.label for c in REQUEST_COLUMNS]
    if as_csv:
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerow(labels)
        return
    import xlsxwriter

    outcomes = outcome_choices()
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("台账")
    lists = wb.add_worksheet("选项")
    notes = wb.add_worksheet("填写说明")
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    widths = {"id": 12, "received": 12, "applicant": 14, "correction_sent": 13, "correction_received": 13,
              "extended": 7, "consultation_days": 12, "replied": 12, "outcome": 40}
    last = 2000  # rows prepared with validation
    for j, col in enumerate(REQUEST_COLUMNS):
        ws.write(0, j, col.label, head)
        ws.write_comment(0, j, col.help)
        ws.set_column(j, j, widths[col.key], date_fmt if col.key in ("received", "correction_sent", "correction_received", "replied") else None)
    ws.freeze_panes(1, 0)
    for i, x in enumerate(APPLICANT_LABELS):
        lists.write(i, 0, x)
    for i, x in enumerate(outcomes):
        lists.write(i, 1, x)
    lists.write(0, 2, "是")
    lists.write(1, 2, "否")
    col_of = {c.key: j for j, c in enumerate(REQUEST_COLUMNS)}
    ws.data_validation(1, col_of["applicant"], last, col_of["applicant"], {
        "validate": "list", "source": f"=选项!$A$1:$A${len(APPLICANT_LABELS)}",
        "error_title": "申请人类型", "error_message": "请从下拉列表选择：" + "、".join(APPLICANT_LABELS)})
    ws.data_validation(1, col_of["outcome"], last, col_of["outcome"], {
        "validate": "list", "source": f"=选项!$B$1:$B${len(outcomes)}",
        "error_title": "办理结果", "error_message": "请从下拉列表选择表三的一个办理结果"})
    ws.data_validation(1, col_of["extended"], last, col_of["extended"], {"validate": "list", "source": ["是", "否"]})
    ws.data_validation(1, col_of["consultation_days"], last, col_of["consultation_days"], {
        "validate": "integer", "criteria": ">=", "value": 0, "error_message": "填写不小于0的整数"})
    for key in ("received", "correction_sent", "correction_received", "replied"):
        ws.data_validation(1, col_of[key], last, col_of[key], {
            "validate": "date", "criteria": "between", "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2100, 12, 31),
            "error_message": "请填写日期，如 2026-03-05"})
    notes.set_column(0, 0, 120)
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for i, line in enumerate(INSTRUCTIONS):
        notes.write(i, 0, line, wrap)
    base = len(INSTRUCTIONS) + 1
    notes.write(base, 0, "各列：", wrap)
    for i, col in enumerate(REQUEST_COLUMNS):
        notes.write(base + 1 + i, 0, f"{col.label}（{col.key}）{'（必填列）' if col.required else ''}：{col.help}", wrap)
    wb.close()


def outcome_choices() -> list[str]:
    """The outcome labels offered in the drop-down list: every result row of table 3 (2021 format),
    numbered as the template numbers them within their group."""
    out = []
    for row in T.request_rows("2021", True):
        if row.is_result:
            out.append(row.label if row.key != "other_other" else "其他")
    return out
