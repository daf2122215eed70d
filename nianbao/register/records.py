"""Proactive-disclosure records → table 2 (spec §9, ``nianbao register table2``).

One row per item: 类别, 事项, 日期 (made, decided or paid), 废止日期 (规章 and 规范性文件), 金额
(fees and procurement; in 元, or in 万元 when the header says ``金额（万元）``), and for the 2019
template an optional 公开日期 (date published; the 日期 when absent). For year Y:

2021 template
- 规章 / 行政规范性文件: ``issued`` items dated in Y, ``repealed`` items repealed in Y, ``in_force``
  last year's ``in_force`` (``--previous``) + issued − repealed; without a previous report, the
  items dated on or before 31 December Y and not repealed by then;
- 行政许可 / 行政处罚 / 行政强制: ``decisions`` dated in Y;
- 行政事业性收费: ``amount`` the 金额 paid in Y, in 万元.

2019 template
- 规章 / 规范性文件: ``made`` dated in Y, ``published`` published in Y, ``public_total`` last
  year's ``public_total`` + published (``--previous``); else every item published by 31 December Y;
- 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制, 行政事业性收费: ``previous_items`` the number of
  items (distinct 事项) last year: last year's ``previous_items`` + ``change`` (``--previous``),
  else the distinct 事项 dated in Y−1; ``change`` the distinct 事项 dated in Y minus that;
  ``decisions`` the rows dated in Y (not for 收费);
- 政府集中采购: ``projects`` rows dated in Y, ``amount`` their 金额 in 万元.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Optional

from .. import template as T
from ..model import Report
from .io import RECORD_COLUMNS, RowError, Sheet, date_cell, missing_columns, read_rows, text_of

_COLUMN = {c.key: c for c in RECORD_COLUMNS}
_LABEL = {c.key: c.label for c in RECORD_COLUMNS}


def categories(version: str) -> dict[str, str]:
    """类别 → table 2 row key: the template's row labels (and keys), 规范性文件 and 行政规范性文件 both."""
    out = {row.label: row.key for row in T.ACTIVE_ROWS[version]}
    out.update({row.key: row.key for row in T.ACTIVE_ROWS[version]})
    if version == "2021":
        out["规范性文件"] = "normative_documents"
    else:
        out["行政规范性文件"] = "normative_documents"
    return out


@dataclass
class Record:
    row: int
    category: str  # a table 2 row key
    item: str
    date: dt.date
    repealed: Optional[dt.date]
    amount: Optional[Decimal]  # in 万元
    published: dt.date


@dataclass
class Result:
    year: int
    template: str
    active: dict
    errors: list[dict] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)  # cells carried from --previous

    def to_json(self) -> dict:
        return {"year": self.year, "template": self.template, "tables": {"active": self.active},
                "carried_from_previous": self.carried, "errors": self.errors}


def _date(cells: dict, key: str, required: bool = False) -> Optional[dt.date]:
    return date_cell(cells, _COLUMN[key], required)


def record(row: int, cells: dict, cats: dict[str, str], version: str, yuan: bool) -> Record:
    raw_cat = re.sub(r"\s+", "", text_of(cells.get("category")))
    cat = cats.get(raw_cat)
    if cat is None:
        raise RowError(_LABEL["category"], f"类别“{raw_cat}”不是{version}年版表二的一行（{'、'.join(r.label for r in T.ACTIVE_ROWS[version])}）")
    item = text_of(cells.get("item"))
    if not item:
        raise RowError(_LABEL["item"], "事项为空")
    date = _date(cells, "date", required=True)
    repealed = _date(cells, "repealed")
    if repealed is not None:
        if cat not in ("regulations", "normative_documents"):
            raise RowError(_LABEL["repealed"], "只有规章和规范性文件有废止日期")
        if repealed < date:
            raise RowError(_LABEL["repealed"], f"废止日期 {repealed} 早于日期 {date}")
    published = _date(cells, "published") or date
    amount = None
    text = text_of(cells.get("amount")).replace(",", "").replace("，", "")
    if text:
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise RowError(_LABEL["amount"], f"金额“{text}”不是数字") from None
        if amount < 0:
            raise RowError(_LABEL["amount"], f"金额“{text}”为负数")
        if yuan:
            amount = amount / 10000
    needs_amount = (cat == "fees" and version == "2021") or cat == "procurement"
    if needs_amount and amount is None:
        raise RowError(_LABEL["amount"], "收费、采购记录须填写金额")
    return Record(row, cat, item, date, repealed, amount, published)


def _number(d: Decimal) -> float | int:
    d = d.normalize()
    return int(d) if d == d.to_integral_value() else float(d)


def table2(sheet: Sheet, year: int, version: Optional[str] = None, previous: Optional[Report] = None) -> Result:
    version = version or T.template_for_year(year)
    errors = missing_columns(sheet)
    records: list[Record] = []
    if not sheet.missing:
        cats = categories(version)
        yuan = sheet.header_units.get("amount", "元") != "万元"
        records, bad = read_rows(sheet, lambda row, cells: record(row, cells, cats, version, yuan))
        errors += bad
    end = dt.date(year, 12, 31)

    def in_year(d: Optional[dt.date], y: int = year) -> bool:
        return d is not None and d.year == y

    by_cat: dict[str, list[Record]] = {}
    for r in records:
        by_cat.setdefault(r.category, []).append(r)
    prev = (previous.tables.active or {}) if previous is not None else {}
    prev_ok = previous is not None and previous.meta.template == version
    if previous is not None and not prev_ok:
        errors.append({"row": 0, "column": "--previous",
                       "message": f"上一年报告使用{previous.meta.template}年版格式，与{version}年版表二不同，不能结转；改为由记录计算"})
    carried: list[str] = []
    active: dict = {}
    for ar in T.ACTIVE_ROWS[version]:
        rs = by_cat.get(ar.key, [])
        cell: dict = {}
        last = prev.get(ar.key, {}) if prev_ok else {}
        if version == "2021":
            if ar.key in ("regulations", "normative_documents"):
                issued = sum(in_year(r.date) for r in rs)
                repealed = sum(in_year(r.repealed) for r in rs)
                if last.get("in_force") is not None:
                    in_force = last["in_force"] + issued - repealed
                    carried.append(T.ac(ar.key, "in_force"))
                else:
                    in_force = sum(r.date <= end and (r.repealed is None or r.repealed > end) for r in rs)
                cell = {"issued": issued, "repealed": repealed, "in_force": in_force}
            elif ar.key == "fees":
                cell = {"amount": _number(sum((r.amount or Decimal(0) for r in rs if in_year(r.date)), Decimal(0)))}
            else:
                cell = {"decisions": sum(in_year(r.date) for r in rs)}
        else:
            if ar.key in ("regulations", "normative_documents"):
                made = sum(in_year(r.date) for r in rs)
                published = sum(in_year(r.published) for r in rs)
                if last.get("public_total") is not None:
                    total = last["public_total"] + published
                    carried.append(T.ac(ar.key, "public_total"))
                else:
                    total = sum(r.published <= end for r in rs)
                cell = {"made": made, "published": published, "public_total": total}
            elif ar.key == "procurement":
                now = [r for r in rs if in_year(r.date)]
                cell = {"projects": len(now), "amount": _number(sum((r.amount or Decimal(0) for r in now), Decimal(0)))}
            else:
                items_now = {r.item for r in rs if in_year(r.date)}
                if last.get("previous_items") is not None and last.get("change") is not None:
                    before = last["previous_items"] + last["change"]
                    carried.append(T.ac(ar.key, "previous_items"))
                else:
                    before = len({r.item for r in rs if in_year(r.date, year - 1)})
                cell = {"previous_items": before, "change": len(items_now) - before}
                if "decisions" in [f.key for f in ar.fields]:
                    cell["decisions"] = sum(in_year(r.date) for r in rs)
        active[ar.key] = cell
    return Result(year, version, active, sorted(errors, key=lambda e: e["row"]), carried)
