"""The official format of the annual report, defined once.

Everything that knows a label, a key or an identity of the 政府信息公开工作年度报告 reads it from
here: the reader (to recognise rows and columns), the checker (identities, labels, versions), the
store (one column per cell), the renderer and the web UI (to draw the tables as the official
format does). Keys are those of ``../shared/spec/report-model.md``; labels are the official ones
(full-width punctuation) with the variants met in published reports.

Two template versions exist: ``"2019"`` (国办公开办函〔2019〕60号, reports on 2019 and 2020) and
``"2021"`` (国办公开办函〔2021〕30号, reports on 2021 onwards).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

VERSIONS = ("2019", "2021")


def template_for_year(year: int | None) -> str | None:
    """The template version a report on ``year`` must follow."""
    if year is None:
        return None
    return "2021" if year >= 2021 else "2019"


# --------------------------------------------------------------------------- chapters


@dataclass(frozen=True)
class Chapter:
    key: str  # key in ``sections``
    number: str  # 一 … 六
    heading: str  # the official heading
    keywords: tuple[str, ...]  # any of these (after normalisation) marks the heading
    variants: tuple[str, ...] = ()  # non-standard headings seen in the wild
    # the words that follow the chapter's number in headings met in published reports (the official
    # wording first): specific enough to find a heading in the middle of a line of running text
    phrases: tuple[str, ...] = ()


CHAPTERS: tuple[Chapter, ...] = (
    Chapter("overview", "一", "一、总体情况", ("总体情况", "基本情况", "概述"),
            phrases=("总体情况", "基本情况", "概述")),
    Chapter(
        "active",
        "二",
        "二、主动公开政府信息情况",
        ("主动公开政府信息", "主动公开情况", "主动公开"),
        phrases=("主动公开政府信息情况", "主动公开政府信息", "主动公开情况"),
    ),
    Chapter(
        "requests",
        "三",
        "三、收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请", "收到和处理", "依申请公开", "政府信息公开申请"),
        phrases=("收到和处理政府信息公开申请情况", "收到和处理政府信息公开申请", "依申请公开政府信息情况"),
    ),
    Chapter(
        "appeals",
        "四",
        "四、政府信息公开行政复议、行政诉讼情况",
        ("行政复议", "行政诉讼"),
        ("四、因政府信息公开工作被申请行政复议提起行政诉讼情况",),
        phrases=("政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议", "因政府信息公开工作被申请行政复议",
                 "行政复议、行政诉讼情况"),
    ),
    Chapter(
        "problems",
        "五",
        "五、存在的主要问题及改进情况",
        ("存在的主要问题", "存在问题", "主要问题", "问题及改进", "不足"),
        (
            "五、政府信息公开工作存在的主要问题及改进情况",
            "五、存在的问题及改进措施",
            "五、存在问题及下一步工作措施",
        ),
        phrases=("存在的主要问题", "政府信息公开工作存在的主要问题", "存在问题及", "存在的问题及", "主要问题及改进"),
    ),
    Chapter(
        "other",
        "六",
        "六、其他需要报告的事项",
        ("其他需要报告", "其他报告的事项", "其他事项", "其它需要报告"),
        ("六、其他报告的事项",),
        phrases=("其他需要报告的事项", "其他报告的事项", "其它需要报告的事项", "其他需要报告"),
    ),
)

# Chapters some reports add that are not one of the six (spec §8: kept as text, never unread): the
# 信息处理费 table that the 2025 reports carry as chapter 五.
EXTRA_CHAPTER_PHRASES: dict[str, tuple[str, ...]] = {
    "fees": ("信息处理费收取情况", "收取信息处理费情况", "信息处理费情况"),
}

CHAPTER_KEYS = tuple(c.key for c in CHAPTERS)
CHAPTER_BY_KEY = {c.key: c for c in CHAPTERS}

# --------------------------------------------------------------------------- table 2


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # official column label
    kind: str = "count"  # "count" (integer ≥ 0), "signed" (integer), "amount" (number ≥ 0)
    keywords: tuple[str, ...] = ()  # column header keywords, used for template detection


@dataclass(frozen=True)
class ActiveRow:
    key: str
    label: str
    caption: str  # 第二十条第（…）项
    fields: tuple[Field, ...]
    keywords: tuple[str, ...]  # a label containing one of these is this row
    exclude: tuple[str, ...] = ()  # … unless it contains one of these


_F2021_DOCS = (
    Field("issued", "本年制发件数", keywords=("本年制发",)),
    Field("repealed", "本年废止件数", keywords=("本年废止",)),
    Field("in_force", "现行有效件数", keywords=("现行有效",)),
)
_F2021_DECISIONS = (Field("decisions", "本年处理决定数量", keywords=("本年处理决定",)),)
_F2019_DOCS = (
    Field("made", "本年新制作数量", keywords=("本年新制作",)),
    Field("published", "本年新公开数量", keywords=("本年新公开",)),
    Field("public_total", "对外公开总数量", keywords=("对外公开总数",)),
)
_F2019_ITEMS = (
    Field("previous_items", "上一年项目数量", keywords=("上一年项目",)),
    Field("change", "本年增/减", kind="signed", keywords=("本年增",)),
    Field("decisions", "处理决定数量", keywords=()),
)

ACTIVE_HEADER = "信息内容"  # the first header cell of each 表二 block

ACTIVE_ROWS: dict[str, tuple[ActiveRow, ...]] = {
    "2021": (
        ActiveRow("regulations", "规章", "第二十条第（一）项", _F2021_DOCS, ("规章",)),
        ActiveRow(
            "normative_documents",
            "行政规范性文件",
            "第二十条第（一）项",
            _F2021_DOCS,
            ("规范性文件",),
        ),
        ActiveRow("licensing", "行政许可", "第二十条第（五）项", _F2021_DECISIONS, ("行政许可",)),
        ActiveRow("punishment", "行政处罚", "第二十条第（六）项", _F2021_DECISIONS, ("行政处罚",)),
        ActiveRow("coercion", "行政强制", "第二十条第（六）项", _F2021_DECISIONS, ("行政强制",)),
        ActiveRow(
            "fees",
            "行政事业性收费",
            "第二十条第（八）项",
            (Field("amount", "本年收费金额（单位：万元）", kind="amount", keywords=("本年收费金额",)),),
            ("事业性收费",),
        ),
    ),
    "2019": (
        ActiveRow("regulations", "规章", "第二十条第（一）项", _F2019_DOCS, ("规章",)),
        ActiveRow(
            "normative_documents", "规范性文件", "第二十条第（一）项", _F2019_DOCS, ("规范性文件",)
        ),
        ActiveRow("licensing", "行政许可", "第二十条第（五）项", _F2019_ITEMS, ("行政许可",)),
        ActiveRow(
            "other_services",
            "其他对外管理服务事项",
            "第二十条第（五）项",
            _F2019_ITEMS,
            ("对外管理服务",),
        ),
        ActiveRow("punishment", "行政处罚", "第二十条第（六）项", _F2019_ITEMS, ("行政处罚",)),
        ActiveRow("coercion", "行政强制", "第二十条第（六）项", _F2019_ITEMS, ("行政强制",)),
        ActiveRow(
            "fees",
            "行政事业性收费",
            "第二十条第（八）项",
            _F2019_ITEMS[:2],
            ("事业性收费",),
        ),
        ActiveRow(
            "procurement",
            "政府集中采购",
            "第二十条第（九）项",
            (
                Field("projects", "采购项目数量", keywords=("采购项目数量",)),
                Field("amount", "采购总金额", kind="amount", keywords=("采购总金额",)),
            ),
            ("集中采购",),
        ),
    ),
}

# Column-header words that identify each version's table 2 (spec §4.1, version detection).
TEMPLATE_MARKERS: dict[str, tuple[str, ...]] = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "本年处理决定数量"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "第二十条第(九)项"),
}

# --------------------------------------------------------------------------- table 3

REQUEST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_welfare", "社会公益组织"),
    ("legal_services", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
REQUEST_COLUMN_KEYS = tuple(k for k, _ in REQUEST_COLUMNS)
REQUEST_PARTS = REQUEST_COLUMN_KEYS[:6]  # the six applicant columns that add up to 总计
REQUEST_COLUMN_LABEL = dict(REQUEST_COLUMNS)


@dataclass(frozen=True)
class RequestRow:
    key: str
    label: str  # official label, without the group prefix
    number: str  # official numbering: "一、", "（一）", "1."
    group: str | None  # the merged group label it sits under: "（三）不予公开" …
    versions: tuple[str, ...]
    keywords: tuple[str, ...]  # a label containing one of these is this row
    exact: tuple[str, ...] = ()  # labels that are this row only when they are the whole label
    is_result: bool = False  # one of the outcome rows that add up to （七）总计


_B = ("2019", "2021")
REQUEST_ROWS: tuple[RequestRow, ...] = (
    RequestRow("new_received", "本年新收政府信息公开申请数量", "一、", None, _B, ("本年新收", "新收政府信息")),
    RequestRow("carried_over", "上年结转政府信息公开申请数量", "二、", None, _B, ("上年结转",)),
    RequestRow("granted", "予以公开", "（一）", "三、本年度办理结果", _B, ("予以公开",), is_result=True),
    RequestRow(
        "partially_granted",
        "部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（二）",
        "三、本年度办理结果",
        _B,
        ("部分公开",),
        is_result=True,
    ),
    RequestRow("denied_state_secret", "属于国家秘密", "1.", "（三）不予公开", _B, ("国家秘密",), is_result=True),
    RequestRow(
        "denied_prohibited",
        "其他法律行政法规禁止公开",
        "2.",
        "（三）不予公开",
        _B,
        ("禁止公开",),
        is_result=True,
    ),
    RequestRow(
        "denied_three_safety", "危及“三安全一稳定”", "3.", "（三）不予公开", _B, ("三安全", "一稳定"), is_result=True
    ),
    RequestRow(
        "denied_third_party", "保护第三方合法权益", "4.", "（三）不予公开", _B, ("第三方",), is_result=True
    ),
    RequestRow(
        "denied_internal", "属于三类内部事务信息", "5.", "（三）不予公开", _B, ("内部事务",), is_result=True
    ),
    RequestRow(
        "denied_process", "属于四类过程性信息", "6.", "（三）不予公开", _B, ("过程性",), is_result=True
    ),
    RequestRow(
        "denied_enforcement_file", "属于行政执法案卷", "7.", "（三）不予公开", _B, ("执法案卷",), is_result=True
    ),
    RequestRow("denied_query", "属于行政查询事项", "8.", "（三）不予公开", _B, ("查询事项",), is_result=True),
    RequestRow(
        "unable_not_held", "本机关不掌握相关政府信息", "1.", "（四）无法提供", _B, ("不掌握",), is_result=True
    ),
    RequestRow(
        "unable_need_create", "没有现成信息需要另行制作", "2.", "（四）无法提供", _B, ("另行制作", "没有现成"), is_result=True
    ),
    RequestRow(
        "unable_unclear", "补正后申请内容仍不明确", "3.", "（四）无法提供", _B, ("仍不明确", "补正后"), is_result=True
    ),
    RequestRow(
        "rejected_complaint", "信访举报投诉类申请", "1.", "（五）不予处理", _B, ("信访", "举报投诉"), is_result=True
    ),
    RequestRow("rejected_duplicate", "重复申请", "2.", "（五）不予处理", _B, ("重复申请",), is_result=True),
    RequestRow(
        "rejected_publication", "要求提供公开出版物", "3.", "（五）不予处理", _B, ("出版物",), is_result=True
    ),
    RequestRow(
        "rejected_excessive", "无正当理由大量反复申请", "4.", "（五）不予处理", _B, ("大量反复", "反复申请"), is_result=True
    ),
    RequestRow(
        "rejected_reconfirm",
        "要求行政机关确认或重新出具已获取信息",
        "5.",
        "（五）不予处理",
        _B,
        ("重新出具", "确认或重新", "已获取信息"),
        is_result=True,
    ),
    RequestRow(
        "other_no_correction",
        "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "1.",
        "（六）其他处理",
        ("2021",),
        ("不补正",),
        is_result=True,
    ),
    RequestRow(
        "other_no_fee",
        "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "2.",
        "（六）其他处理",
        ("2021",),
        ("缴纳费用", "收费通知"),
        is_result=True,
    ),
    RequestRow(
        "other_other", "其他", "3.", "（六）其他处理", ("2021",), (), exact=("3.其他", "其他", "3其他"), is_result=True
    ),
    RequestRow("other_handling", "其他处理", "（六）", None, _B, ("其他处理",), is_result=True),
    RequestRow("processed_total", "总计", "（七）", None, _B, ("(七)总计", "七)总计", "(七)合计"), exact=("总计", "合计")),
    RequestRow("carried_forward", "结转下年度继续办理", "四、", None, _B, ("结转下年度", "下年度继续办理")),
)
REQUEST_ROW_BY_KEY = {r.key: r for r in REQUEST_ROWS}
OTHER_SPLIT_KEYS = ("other_no_correction", "other_no_fee", "other_other")
REQUEST_GROUPS = (
    ("三、本年度办理结果", None),
    ("（三）不予公开", ("denied_",)),
    ("（四）无法提供", ("unable_",)),
    ("（五）不予处理", ("rejected_",)),
    ("（六）其他处理", ("other_",)),
)
REQUEST_HEADER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
# The merged header cells of 表三 (spec §3.1): H1 over the seven columns, H2 over the five bodies.
REQUEST_HEADER_APPLICANTS = "申请人情况"
REQUEST_HEADER_LEGAL_PERSONS = "法人或其他组织"


def request_rows(version: str | None, other_split: bool | None = None) -> tuple[RequestRow, ...]:
    """The data rows of table 3 for a template version, in order.

    ``other_split`` says how （六） is printed: three sub-rows (the 2021 format) or one row (the
    2019 format, and some 2021 reports). By default it follows the version.
    """
    if other_split is None:
        other_split = version == "2021"
    keep = []
    for row in REQUEST_ROWS:
        if row.key in OTHER_SPLIT_KEYS and not other_split:
            continue
        if row.key == "other_handling" and other_split:
            continue
        keep.append(row)
    return tuple(keep)


def result_row_keys(rows) -> tuple[str, ...]:
    """The outcome rows that add up to （七）总计 (spec §6.2 I2)."""
    keys = [r.key if isinstance(r, RequestRow) else r for r in rows]
    return tuple(k for k in keys if REQUEST_ROW_BY_KEY[k].is_result)


# --------------------------------------------------------------------------- table 4

APPEAL_BLOCKS: tuple[tuple[str, str], ...] = (
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼·未经复议直接起诉"),
    ("litigation_after_reconsideration", "行政诉讼·复议后起诉"),
)
APPEAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
APPEAL_BLOCK_KEYS = tuple(k for k, _ in APPEAL_BLOCKS)
APPEAL_FIELD_KEYS = tuple(k for k, _ in APPEAL_FIELDS)
APPEAL_PARTS = APPEAL_FIELD_KEYS[:4]
APPEAL_BLOCK_LABEL = dict(APPEAL_BLOCKS)
APPEAL_FIELD_LABEL = dict(APPEAL_FIELDS)

# --------------------------------------------------------------------------- cells

TABLE_KEYS = ("active", "requests", "appeals")
TABLE_LABEL = {"active": "表二", "requests": "表三", "appeals": "表四"}
TABLE_TITLE = {
    "active": "主动公开政府信息情况",
    "requests": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
}


def table_heading(table: str) -> str:
    """``表三 收到和处理政府信息公开申请情况``: a table's number and title, as headings print it."""
    return f"{TABLE_LABEL[table]} {TABLE_TITLE[table]}"


# Finding severities, worst first, and their Chinese names (terminal, web, exports).
SEVERITIES = ("error", "warning", "info")
SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


class InvalidCellPath(ValueError):
    """A string that is not ``tables.<table>.<row>.<column>`` (or names no cell of a template)."""


class CellPath(str):
    """The dotted path of one cell, ``tables.<table>.<row>.<column>`` (spec §2).

    A ``str`` (it stays a plain string in JSON, dict keys and comparisons), made only here::

        CellPath("requests", "new_received", "total")      # tables.requests.new_received.total
        CellPath.parse("tables.appeals.reconsideration.total").row   # "reconsideration"

    ``label`` is its Chinese description for messages; :meth:`validate` checks it names a cell of
    a template version.
    """

    __slots__ = ()

    def __new__(cls, table: str, row: str, column: str) -> "CellPath":
        if table not in TABLE_KEYS:
            raise InvalidCellPath(f"未知的表：{table!r}（可用 {', '.join(TABLE_KEYS)}）")
        for part in (row, column):
            if not part or "." in part:
                raise InvalidCellPath(f"单元格路径的行或列无效：{part!r}")
        return super().__new__(cls, f"tables.{table}.{row}.{column}")

    def __getnewargs__(self) -> tuple[str, str, str]:  # pickling (worker processes, Dask)
        return (self.table, self.row, self.column)

    @classmethod
    def parse(cls, text: str) -> "CellPath":
        """The path written as ``tables.<table>.<row>.<column>``; :class:`InvalidCellPath` otherwise."""
        if isinstance(text, CellPath):
            return text
        parts = str(text).split(".")
        if len(parts) != 4 or parts[0] != "tables" or parts[1] not in TABLE_KEYS or not all(parts):
            raise InvalidCellPath(
                f"{text!r} 不是单元格路径（应为 tables.<表>.<行>.<列>，表为 {'、'.join(TABLE_KEYS)}）"
            )
        return cls(parts[1], parts[2], parts[3])

    @property
    def table(self) -> str:
        return self.split(".")[1]

    @property
    def row(self) -> str:
        return self.split(".")[2]

    @property
    def column(self) -> str:
        return self.split(".")[3]

    @property
    def label(self) -> str:
        """Chinese description for messages: 表三“一、本年新收政府信息公开申请数量”行“总计”列."""
        return _label(self.table, self.row, self.column)

    @property
    def spec(self) -> "CellSpec | None":
        """The cell's definition (kind, label) in either template version, None if it has none."""
        return _SPEC_BY_PATH.get(self)

    def in_version(self, version: str | None) -> bool:
        """Whether a report of this template version (None: either) can print this cell."""
        if version is None:
            return self in _SPEC_BY_PATH
        return self in _PATHS_BY_VERSION.get(version, ())

    def validate(self, version: str | None = None) -> "CellPath":
        """This path, or :class:`InvalidCellPath` when no cell of the version (None: any) has it."""
        if not self.in_version(version):
            where = f"{version}年版格式" if version else "年报格式"
            raise InvalidCellPath(f"{self}：{where}中没有这个单元格")
        return self


def cell_table(text: str) -> str | None:
    """The table a cell path is in (``requests`` …), None when ``text`` is no cell path."""
    try:
        return CellPath.parse(text).table
    except InvalidCellPath:
        return None


@dataclass(frozen=True)
class CellSpec:
    path: CellPath  # e.g. tables.requests.new_received.total
    label: str  # Chinese description for messages: 表三“一、本年新收…”行“总计”列
    kind: str = "count"

    @property
    def table(self) -> str:
        return self.path.table

    @property
    def row(self) -> str:
        return self.path.row

    @property
    def column(self) -> str:
        return self.path.column


def active_cells(version: str) -> list[CellSpec]:
    return [
        CellSpec(CellPath("active", row.key, f.key), f"表二“{row.label}”{f.label}", f.kind)
        for row in ACTIVE_ROWS[version]
        for f in row.fields
    ]


def request_cells(version: str | None, other_split: bool | None = None) -> list[CellSpec]:
    return [
        CellSpec(CellPath("requests", row.key, col), f"表三“{row.number}{row.label}”行“{col_label}”列")
        for row in request_rows(version, other_split)
        for col, col_label in REQUEST_COLUMNS
    ]


def appeal_cells() -> list[CellSpec]:
    return [
        CellSpec(CellPath("appeals", b, f), f"表四“{bl}”{fl}") for b, bl in APPEAL_BLOCKS for f, fl in APPEAL_FIELDS
    ]


def all_cells(version: str | None) -> list[CellSpec]:
    """Every cell of a template version (table 3 with （六） as the version prints it)."""
    v = version or "2021"
    return active_cells(v) + request_cells(v) + appeal_cells()


def cells_of(version: str) -> list[CellSpec]:
    """Every cell a report of this version may print (table 3's （六） both ways), in template order."""
    seen: dict[str, CellSpec] = {}
    for c in active_cells(version) + request_cells(version, True) + request_cells(version, False) + appeal_cells():
        seen.setdefault(c.path, c)
    return list(seen.values())


_PATHS_BY_VERSION = {v: frozenset(c.path for c in cells_of(v)) for v in VERSIONS}
_SPEC_BY_PATH: dict[str, CellSpec] = {}
for _v in ("2021", "2019"):
    for _c in cells_of(_v):
        _SPEC_BY_PATH.setdefault(_c.path, _c)
ALL_CELL_PATHS = frozenset(_SPEC_BY_PATH)  # every cell of either version


def rq(row: str, column: str = "total") -> CellPath:
    """A cell of table 3 (表三)."""
    return CellPath("requests", row, column)


def ap(block: str, column: str = "total") -> CellPath:
    """A cell of table 4 (表四)."""
    return CellPath("appeals", block, column)


def ac(row: str, column: str) -> CellPath:
    """A cell of table 2 (表二)."""
    return CellPath("active", row, column)


def cell_label(path: str) -> str:
    """A Chinese description of a cell path, for messages (the text itself when it is no path)."""
    try:
        return CellPath.parse(path).label
    except InvalidCellPath:
        return path


def _label(table: str, row: str, col: str) -> str:
    if table == "requests":
        r = REQUEST_ROW_BY_KEY.get(row)
        rl = f"{r.number}{r.label}" if r else row
        return f"表三“{_short(rl)}”行“{REQUEST_COLUMN_LABEL.get(col, col)}”列"
    if table == "appeals":
        return f"表四“{APPEAL_BLOCK_LABEL.get(row, row)}”{APPEAL_FIELD_LABEL.get(col, col)}"
    for rows in ACTIVE_ROWS.values():
        for ar in rows:
            if ar.key == row:
                for f in ar.fields:
                    if f.key == col:
                        return f"表二“{ar.label}”{f.label}"
    return f"表二 {row}.{col}"


def short_label(label: str) -> str:
    """A row label without its parenthesised remark: 部分公开（区分处理的，…） → 部分公开."""
    cut = label.find("（区分")
    return label[:cut] if cut > 0 else label


_short = short_label


# --------------------------------------------------------------------------- deadlines

DEADLINE_DEPARTMENT = (1, 31)  # 条例第四十九条: departments, by 1月31日
DEADLINE_GOVERNMENT = (3, 31)  # 本级政府 reports, published by the 主管部门 by 3月31日

# Notices that set the format, by template version (spec §8 O2).
FORMAT_NOTICES = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}


@dataclass(frozen=True)
class Identity:
    """An arithmetic identity between cells: ``sum(left) == sum(right)``.

    ``kind`` names the identity for the checker: ``balance`` (spec S1, per column), ``row_total``
    (I1, per row of table 3), ``result_total`` (I2, per column), ``appeal_total`` (I3, per block).
    ``where`` is the row or column it is about.
    """

    kind: str
    where: str
    left: tuple[str, ...]
    right: tuple[str, ...]


def request_identities(rows: tuple[str, ...]) -> list[Identity]:
    """The identities of table 3 for the data rows a report prints (keys, in order)."""
    return list(_request_identities(tuple(rows)))


@lru_cache(maxsize=64)
def _request_identities(rows: tuple[str, ...]) -> tuple[Identity, ...]:
    # made once per set of rows (a few per template version): the checker asks for every report
    out = []
    present = set(rows)
    results = tuple(k for k in rows if REQUEST_ROW_BY_KEY[k].is_result)
    for col in REQUEST_COLUMN_KEYS:
        if {"new_received", "carried_over", "processed_total", "carried_forward"} <= present:
            out.append(
                Identity(
                    "balance",
                    col,
                    (rq("new_received", col), rq("carried_over", col)),
                    (rq("processed_total", col), rq("carried_forward", col)),
                )
            )
    for row in rows:
        out.append(
            Identity("row_total", row, tuple(rq(row, c) for c in REQUEST_PARTS), (rq(row, "total"),))
        )
    if "processed_total" in present:
        for col in REQUEST_COLUMN_KEYS:
            out.append(
                Identity(
                    "result_total",
                    col,
                    tuple(rq(r, col) for r in results),
                    (rq("processed_total", col),),
                )
            )
    return tuple(out)


def appeal_identities() -> list[Identity]:
    return [
        Identity(
            "appeal_total",
            b,
            tuple(ap(b, f) for f in APPEAL_PARTS),
            (ap(b, "total"),),
        )
        for b in APPEAL_BLOCK_KEYS
    ]
