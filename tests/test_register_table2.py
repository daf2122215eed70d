"""``nianbao register table2``: records made and repealed across years give the hand-counted table
2, with 现行有效件数 / 对外公开总数量 / 上一年项目数量 carried from last year's report."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

from nianbao.model import Meta, Report, Source, Tables
from nianbao.register.io import RECORD_COLUMNS, read_sheet
from nianbao.register.records import table2

HEADER = ["类别", "事项", "日期", "废止日期", "金额", "公开日期"]


def write_csv(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow(list(r) + [""] * (len(header) - len(r)))
    return path


RECORDS_2021 = [
    ("规章", "R1", "2023-03-01"),
    ("规章", "R2", "2024-05-10"),
    ("行政规范性文件", "N1", "2022-06-01", "2024-02-01"),  # repealed in 2024
    ("规范性文件", "N2", "2023-07-01", "2023-12-01"),  # made and repealed in 2023
    ("行政规范性文件", "N3", "2024-01-15"),
    ("行政规范性文件", "N4", "2024-03-01", "2024-11-30"),  # made and repealed in 2024
    ("行政规范性文件", "N5", "2024-12-31"),
    ("行政规范性文件", "N6", "2025-01-02"),  # next year
    ("行政规范性文件", "N7", "2023-01-10", "2025-03-01"),  # still in force at the end of 2024
    ("行政许可", "准予许可1", "2024-02-02"),
    ("行政许可", "准予许可2", "2024-06-02"),
    ("行政许可", "准予许可3", "2024-12-02"),
    ("行政许可", "准予许可0", "2023-12-02"),
    ("行政处罚", "罚1", "2024-04-04"),
    ("行政处罚", "罚2", "2024-09-09"),
    ("行政事业性收费", "缴费1", "2024-03-03", "", "12,345.00"),
    ("行政事业性收费", "缴费2", "2024-08-08", "", "7655"),
    ("行政事业性收费", "缴费0", "2023-08-08", "", "5000"),
]


def previous(template: str, year: int, active: dict) -> Report:
    return Report(source=Source(path="prev.json", sha256=""),
                  meta=Meta(agency="某局", year=year, template=template), tables=Tables(active=active))


def test_2021_counted_by_hand(tmp_path):
    sheet = read_sheet(write_csv(tmp_path / "r.csv", RECORDS_2021), RECORD_COLUMNS)
    result = table2(sheet, 2024)
    assert result.errors == [] and result.template == "2021"
    # 规章: made in 2024 R2; none repealed; in force at 2024-12-31 R1, R2
    # 规范性文件: made in 2024 N3, N4, N5; repealed in 2024 N1, N4; in force N3, N5, N7
    # fees: 12345 + 7655 = 20000 元 = 2 万元 (the 2023 payment not counted)
    assert result.active == {
        "regulations": {"issued": 1, "repealed": 0, "in_force": 2},
        "normative_documents": {"issued": 3, "repealed": 2, "in_force": 3},
        "licensing": {"decisions": 3},
        "punishment": {"decisions": 2},
        "coercion": {"decisions": 0},
        "fees": {"amount": 2},
    }
    assert result.carried == []
    # 2023 from the same records: 规范性文件 made N2, N7; repealed N2; in force N1, N7
    y2023 = table2(sheet, 2023)
    assert y2023.active["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 2}
    assert y2023.active["fees"] == {"amount": 0.5}


def test_2021_stock_carried_from_the_previous_report(tmp_path):
    sheet = read_sheet(write_csv(tmp_path / "r.csv", RECORDS_2021), RECORD_COLUMNS)
    prev = previous("2021", 2023, {"regulations": {"issued": 0, "repealed": 0, "in_force": 5},
                                   "normative_documents": {"issued": 4, "repealed": 1, "in_force": 10}})
    result = table2(sheet, 2024, previous=prev)
    # 5 + 1 − 0 and 10 + 3 − 2
    assert result.active["regulations"]["in_force"] == 6
    assert result.active["normative_documents"]["in_force"] == 11
    assert result.carried == ["tables.active.regulations.in_force", "tables.active.normative_documents.in_force"]
    # carried from the 2023 table computed from the records, 2024 equals the direct count
    y2023 = table2(sheet, 2023)
    chained = table2(sheet, 2024, previous=previous("2021", 2023, y2023.active))
    assert chained.active["normative_documents"]["in_force"] == 3


def test_2019_counted_by_hand_and_carried(tmp_path):
    rows = [
        ("规范性文件", "N1", "2019-05-01"),
        ("规范性文件", "N2", "2020-03-01", "", "", "2020-03-05"),
        ("规范性文件", "N3", "2020-12-30", "", "", "2021-01-04"),  # made in 2020, published in 2021
        ("行政许可", "A许可", "2019-04-01"),
        ("行政许可", "B许可", "2019-05-01"),
        ("行政许可", "A许可", "2020-04-01"),
        ("行政许可", "C许可", "2020-05-01"),
        ("行政许可", "D许可", "2020-06-01"),
        ("政府集中采购", "P1", "2020-07-01", "", "150000"),
        ("政府集中采购", "P2", "2020-08-01", "", "50000"),
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    result = table2(read_sheet(path, RECORD_COLUMNS), 2020)
    assert result.errors == [] and result.template == "2019"
    # made N2, N3; published N2; published by 2020-12-31: N1, N2
    assert result.active["normative_documents"] == {"made": 2, "published": 1, "public_total": 2}
    # items in 2019 {A, B}; in 2020 {A, C, D}: change +1; three decisions in 2020
    assert result.active["licensing"] == {"previous_items": 2, "change": 1, "decisions": 3}
    assert result.active["procurement"] == {"projects": 2, "amount": 20}  # 200000 元 = 20 万元
    assert result.active["fees"] == {"previous_items": 0, "change": 0}
    prev = previous("2019", 2019, {"licensing": {"previous_items": 4, "change": 1, "decisions": 9},
                                   "normative_documents": {"made": 1, "published": 1, "public_total": 7}})
    carried = table2(read_sheet(path, RECORD_COLUMNS), 2020, previous=prev)
    # 上一年项目数量 = 4 + 1; change = 3 items now − 5; 对外公开总数量 = 7 + 1
    assert carried.active["licensing"] == {"previous_items": 5, "change": -2, "decisions": 3}
    assert carried.active["normative_documents"]["public_total"] == 8


def test_bad_rows_and_the_command(tmp_path):
    rows = [
        ("规章", "R1", "2024-03-01"),
        ("红头文件", "X", "2024-03-01"),  # row 3
        ("行政规范性文件", "N1", "2024-03-01", "2024-01-01"),  # row 4: repealed before made
        ("行政事业性收费", "F", "2024-03-01", "", "一万"),  # row 5
        ("行政处罚", "P", "2024-02-30"),  # row 6
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    result = table2(read_sheet(path, RECORD_COLUMNS), 2024)
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "类别"), (4, "废止日期"), (5, "金额"), (6, "日期")]
    assert result.active["regulations"]["issued"] == 1
    assert result.active["punishment"]["decisions"] == 0
    prev = tmp_path / "prev.json"
    prev.write_text(json.dumps(previous("2021", 2023, {"regulations": {"issued": 0, "repealed": 0, "in_force": 3}}).to_json_dict()),
                    encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "nianbao", "register", "table2", str(path), "--year", "2024",
                        "--previous", str(prev), "--json"], capture_output=True, text=True)
    assert p.returncode == 1
    out = json.loads(p.stdout)
    assert out["tables"]["active"]["regulations"] == {"issued": 1, "repealed": 0, "in_force": 4}
    assert "第 3 行“类别”" in p.stderr and "红头文件" in p.stderr
