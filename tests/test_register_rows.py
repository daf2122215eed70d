"""Both registers go through the same steps (``nianbao.register.io``): a missing required column is
one error on row 1, a bad row is listed with its spreadsheet row and column and left out, the other
rows are counted. Messages and counts below are written by hand from the rows given."""

from __future__ import annotations

import csv
import datetime as dt

from nianbao.register.io import RECORD_COLUMNS, REQUEST_COLUMNS, read_sheet
from nianbao.register.records import table2
from nianbao.register.requests import table3


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def test_a_missing_column_stops_each_register_with_its_own_message(tmp_path):
    requests = read_sheet(write_csv(tmp_path / "r.csv", ["编号", "收到日期", "答复日期", "办理结果"],
                                    [["A1", "2026-03-02", "", ""]]), REQUEST_COLUMNS)
    got = table3(requests, 2026, dt.date(2026, 12, 31))
    assert got.errors == [{"row": 1, "column": "申请人类型",
                           "message": "缺少必填列“申请人类型”（或英文表头 applicant），无法使用本台账"}]
    assert got.requests["new_received"]["total"] == 0  # nothing counted from an unusable register
    records = read_sheet(write_csv(tmp_path / "a.csv", ["类别", "日期"], [["规章", "2026-01-05"]]), RECORD_COLUMNS)
    got = table2(records, 2026)
    assert got.errors == [{"row": 1, "column": "事项", "message": "缺少必填列“事项”（或英文表头 item）"}]
    assert got.active["regulations"]["issued"] == 0


def test_bad_request_rows_are_listed_with_row_and_column_and_left_out(tmp_path):
    header = [c.label for c in REQUEST_COLUMNS]
    blank = {h: "" for h in header}

    def row(**kw):
        return [{**blank, **kw}.get(h, "") for h in header]

    path = write_csv(tmp_path / "r.csv", header, [
        row(编号="A1", 收到日期="2026-03-02", 申请人类型="自然人", 答复日期="2026-03-10", 办理结果="予以公开"),  # row 2
        row(编号="A2", 收到日期="2026-13-40", 申请人类型="自然人"),  # row 3: no such date
        row(编号="A1", 收到日期="2026-04-01", 申请人类型="商业企业"),  # row 4: A1 again
        row(编号="A3", 收到日期="2026-05-06", 申请人类型="自然人"),  # row 5: pending at the end of the year
    ])
    got = table3(read_sheet(path, REQUEST_COLUMNS), 2026, dt.date(2026, 12, 31))
    assert got.errors == [
        {"row": 3, "column": "收到日期", "message": "不存在的日期“2026-13-40”"},
        {"row": 4, "column": "编号", "message": "编号“A1”与第 2 行重复"},
    ]
    assert got.requests["new_received"]["natural_person"] == 2  # A1 and A3
    assert got.requests["new_received"]["commercial"] == 0  # the duplicate is left out
    assert got.requests["granted"]["total"] == 1 and got.requests["carried_forward"]["total"] == 1


def test_bad_record_rows_are_listed_with_row_and_column_and_left_out(tmp_path):
    header = [c.label for c in RECORD_COLUMNS]
    path = write_csv(tmp_path / "a.csv", header, [
        ["规章", "R1", "2026-02-01", "", "", ""],  # row 2
        ["规章", "R2", "2026/2/30", "", "", ""],  # row 3: no such date
        ["行政许可", "", "2026-03-01", "", "", ""],  # row 4: no item
        ["规章", "R3", "", "", "", ""],  # row 5: no date
    ])
    got = table2(read_sheet(path, RECORD_COLUMNS), 2026)
    assert got.errors == [
        {"row": 3, "column": "日期", "message": "不存在的日期“2026/2/30”"},
        {"row": 4, "column": "事项", "message": "事项为空"},
        {"row": 5, "column": "日期", "message": "日期为空"},
    ]
    assert got.active["regulations"]["issued"] == 1 and got.active["licensing"]["decisions"] == 0
