"""``nianbao register table3``: due dates on the official calendar (hand counts around 春节, 国庆
and 元旦 with their adjusted working weekends), table 3 of a few hundred applications across a year
boundary whose identities hold, and bad rows listed with row and column."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import subprocess
import sys

import pytest

from nianbao import template as T
from nianbao.check import check_report
from nianbao.model import Meta, Report, Source, Tables
from nianbao.register import calendar as C
from nianbao.register.io import REQUEST_COLUMNS, read_sheet
from nianbao.register.requests import table3

D = dt.date.fromisoformat
HEADER = [c.label for c in REQUEST_COLUMNS]


def write_csv(path, rows, header=HEADER):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") for h in header])
    return path


def run(*args):
    return subprocess.run([sys.executable, "-m", "nianbao", *args], capture_output=True, text=True)


# --------------------------------------------------------------------------- the calendar, counted by hand

# Official arrangements (国务院办公厅 notices):
#   2025 春节 1月28日–2月4日 off, 1月26日(日) and 2月8日(六) worked;
#   2025 国庆中秋 10月1日–8日 off, 9月28日(日) and 10月11日(六) worked;
#   2026 元旦 1月1日–3日 off, 1月4日(日) worked;
#   2026 春节 2月15日–23日 off, 2月14日(六) and 2月28日(六) worked;
#   2026 中秋 9月25日–27日 off; 国庆 10月1日–7日 off, 9月20日(日) and 10月10日(六) worked.


def test_calendar_days_and_coverage():
    assert C.is_workday(D("2026-02-14")) and C.is_workday(D("2026-02-28"))  # adjusted Saturdays
    assert not C.is_workday(D("2026-02-16")) and not C.is_workday(D("2026-02-23"))  # 春节, a Monday
    assert C.is_workday(D("2026-09-20")) and C.is_workday(D("2026-10-10"))
    assert not C.is_workday(D("2026-10-07"))
    assert C.is_workday(D("2025-01-26")) and not C.is_workday(D("2025-10-08"))
    assert not C.is_workday(D("2026-03-07"))  # an ordinary Saturday
    assert C.FIRST_YEAR <= 2019 and C.LAST_YEAR >= 2026
    with pytest.raises(C.OutsideCalendar):
        C.is_workday(dt.date(C.LAST_YEAR + 1, 3, 2))


DUE = [
    # received 2026-02-06 (Fri). Working days after it: 2/9,10,11,12,13 (1–5), 2/14 Sat worked (6),
    # 2/15–23 off, 2/24,25,26,27 (7–10), 2/28 Sat worked (11), 3/2–6 (12–16), 3/9,10,11,12 (17–20).
    ({"收到日期": "2026-02-06"}, "2026-03-12"),
    # received 2026-09-18 (Fri). 9/19 Sat off; 9/20 Sun worked (1), 9/21–24 (2–5), 9/25–27 中秋 off,
    # 9/28,29,30 (6–8), 10/1–7 off, 10/8,9 (9–10), 10/10 Sat worked (11), 10/12–16 (12–16),
    # 10/19,20,21,22 (17–20).
    ({"收到日期": "2026-09-18"}, "2026-10-22"),
    # across the year boundary: received 2025-12-19 (Fri). 12/22–26 (1–5), 12/29,30,31 (6–8),
    # 1/1–3 off, 1/4 Sun worked (9), 1/5–9 (10–14), 1/12–16 (15–19), 1/19 (20).
    ({"收到日期": "2025-12-19"}, "2026-01-19"),
    # extended (+20): 40 working days after 2025-12-19; the 20th is 1/19 (above), then 1/20–23 (21–24),
    # 1/26–30 (25–29), 2/2–6 (30–34), 2/9–13 (35–39), 2/14 Sat worked (40): due on an adjusted Saturday.
    ({"收到日期": "2025-12-19", "延期": "是"}, "2026-02-14"),
    # 2025 国庆中秋: received 2025-09-26 (Fri). 9/28 Sun worked (1), 9/29,30 (2–3), 10/1–8 off,
    # 10/9,10 (4–5), 10/11 Sat worked (6), 10/13–17 (7–11), 10/20–24 (12–16), 10/27,28,29,30 (17–20).
    ({"收到日期": "2025-09-26"}, "2025-10-30"),
    # 2025 春节: received 2025-01-24 (Fri). 1/26 Sun worked (1), 1/27 (2), 1/28–2/4 off, 2/5,6,7 (3–5),
    # 2/8 Sat worked (6), 2/10–14 (7–11), 2/17–21 (12–16), 2/24,25,26,27 (17–20).
    ({"收到日期": "2025-01-24"}, "2025-02-27"),
    # 补正 restarts the period: corrected application received 2026-03-02 (Mon): 3/3–6 (1–4),
    # 3/9–13 (5–9), 3/16–20 (10–14), 3/23–27 (15–19), 3/30 (20).
    ({"收到日期": "2026-02-06", "补正通知日期": "2026-02-10", "补正收到日期": "2026-03-02"}, "2026-03-30"),
    # extension (+20) and 5 consultation days: 45 working days after 2026-09-18; the 20th is 10/22
    # (above), then 10/23 (21), 10/26–30 (22–26), 11/2–6 (27–31), 11/9–13 (32–36),
    # 11/16–20 (37–41), 11/23,24,25,26 (42–45).
    ({"收到日期": "2026-09-18", "延期": "是", "征求意见工作日": "5"}, "2026-11-26"),
]


@pytest.mark.parametrize("row,due", DUE)
def test_due_dates_match_the_hand_count(tmp_path, row, due):
    base = {"编号": "A1", "申请人类型": "自然人"}
    sheet = read_sheet(write_csv(tmp_path / "r.csv", [{**base, **row}]), REQUEST_COLUMNS)
    result = table3(sheet, 2026, D("2026-11-30"))
    assert result.errors == []
    assert result.deadlines[0]["due"] == due


def test_overdue_days_replied_late_and_pending(tmp_path):
    rows = [
        # due 2026-10-22 (above); replied 10/26 (Mon): 10/23 (Fri), 10/26 → 2 working days late
        {"编号": "late", "收到日期": "2026-09-18", "申请人类型": "商业企业", "答复日期": "2026-10-26", "办理结果": "予以公开"},
        # due 2026-03-12, still pending on 2026-03-16 (Mon): 3/13 (Fri), 3/16 → 2 working days
        {"编号": "pending", "收到日期": "2026-02-06", "申请人类型": "自然人"},
        # due 2026-01-19, replied on the due day: on time
        {"编号": "ontime", "收到日期": "2025-12-19", "申请人类型": "其他", "答复日期": "2026-01-19", "办理结果": "重复申请"},
    ]
    result = table3(read_sheet(write_csv(tmp_path / "r.csv", rows), REQUEST_COLUMNS), 2026, D("2026-03-16"))
    days = {d["id"]: d["overdue_days"] for d in result.deadlines}
    assert days == {"late": 2, "pending": 2, "ontime": 0}
    assert result.overdue == ["late", "pending"]


# --------------------------------------------------------------------------- a year of applications


def make_register(n: int, seed: int = 7) -> list[dict]:
    """``n`` applications received 2025-10-01 … 2026-09-30, some corrected, extended, consulted;
    replies from the same day to 45 working days later, a few still pending."""
    rng = random.Random(seed)
    outcomes = [r.label for r in T.request_rows("2021", True) if r.is_result]
    outcomes[outcomes.index("其他")] = "3.其他"
    applicants = [label for _, label in T.REQUEST_COLUMNS[:6]]
    rows = []
    start = D("2025-10-01")
    for i in range(n):
        received = start + dt.timedelta(days=rng.randrange(365))
        row = {"编号": f"2026-{i:04d}", "收到日期": received.isoformat(), "申请人类型": rng.choice(applicants)}
        if rng.random() < 0.1:
            row["补正通知日期"] = (received + dt.timedelta(days=3)).isoformat()
            row["补正收到日期"] = (received + dt.timedelta(days=10)).isoformat()
        if rng.random() < 0.1:
            row["延期"] = "是"
        if rng.random() < 0.05:
            row["征求意见工作日"] = str(rng.randint(1, 15))
        if rng.random() < 0.9:
            base = D(row.get("补正收到日期", row["收到日期"]))
            replied = C.add_workdays(base, rng.randint(0, 45))
            if replied <= D("2026-12-31"):
                row["答复日期"] = replied.strftime("%Y/%m/%d") if rng.random() < 0.3 else replied.isoformat()
                row["办理结果"] = rng.choice(outcomes)
        rows.append(row)
    return rows


def test_a_year_of_applications_gives_a_balanced_table(tmp_path):
    rows = make_register(400)
    result = table3(read_sheet(write_csv(tmp_path / "r.csv", rows), REQUEST_COLUMNS), 2026, D("2026-12-31"))
    assert result.errors == []
    req = result.requests
    received_2026 = [r for r in rows if r["收到日期"] >= "2026"]
    assert req["new_received"]["total"] == len(received_2026)
    assert req["new_received"]["natural_person"] == sum(r["申请人类型"] == "自然人" for r in received_2026)
    carried = [r for r in rows if r["收到日期"] < "2026" and r.get("答复日期", "9999").replace("/", "-") >= "2026"]
    assert req["carried_over"]["total"] == len(carried) > 0
    assert req["carried_forward"]["total"] == sum("答复日期" not in r for r in rows) > 0
    assert req["other_other"]["total"] == sum(r.get("办理结果") == "3.其他" and r["答复日期"] >= "2026" for r in rows)
    report = Report(
        source=Source(path="register.csv", sha256=""),
        meta=Meta(title="某局2026年政府信息公开工作年度报告", agency="某局", year=2026, template="2021"),
        tables=Tables(requests=req),
    )
    findings = [f for f in check_report(report) if f.cells and f.cells[0].startswith("tables.requests")]
    assert [f for f in findings if f.severity == "error"] == []
    # and the next year starts from this one: 2027's 上年结转 is 2026's 结转下年度 (by construction)
    # (2027 is outside the calendar data of this version, so the balance of 2025 is checked instead)
    y2025 = table3(read_sheet(tmp_path / "r.csv", REQUEST_COLUMNS), 2025, D("2026-12-31")).requests
    assert y2025["carried_forward"] == req["carried_over"]
    overdue = {d["id"] for d in result.deadlines if d["overdue_days"] and d["overdue_days"] > 0}
    assert set(result.overdue) == overdue and overdue


def test_xlsx_register_with_english_headers(tmp_path):
    import xlsxwriter

    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, ["id", "received", "applicant", "replied", "outcome", "note"])
    ws.write_row(1, 0, ["X1"])
    ws.write_datetime(1, 1, dt.datetime(2026, 2, 6), date)
    ws.write(1, 2, "法律服务机构")
    ws.write_datetime(1, 3, dt.datetime(2026, 3, 13), date)
    ws.write(1, 4, "partially_granted")
    wb.close()
    p = run("register", "table3", str(path), "--year", "2026", "--as-of", "2026-06-01", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["year"] == 2026 and out["template"] == "2021"
    assert out["tables"]["requests"]["partially_granted"]["legal_services"] == 1
    assert out["deadlines"] == [{"id": "X1", "row": 2, "received": "2026-02-06", "replied": "2026-03-13",
                                 "due": "2026-03-12", "overdue_days": 1}]
    assert out["overdue"] == ["X1"]


# --------------------------------------------------------------------------- bad rows


def test_bad_rows_are_listed_with_row_and_column_and_left_out(tmp_path):
    rows = [
        {"编号": "ok", "收到日期": "2026-03-02", "申请人类型": "自然人", "答复日期": "2026-03-10", "办理结果": "予以公开"},
        {"编号": "b1", "收到日期": "2026-13-02", "申请人类型": "自然人"},  # row 3: no such month
        {"编号": "b2", "收到日期": "上周三", "申请人类型": "自然人"},  # row 4
        {"编号": "b3", "收到日期": "2026-03-02", "申请人类型": "自然人", "答复日期": "2026-03-10", "办理结果": "已办结"},  # row 5
        {"编号": "b4", "收到日期": "2026-03-02", "申请人类型": "自然人", "答复日期": "2026-02-27", "办理结果": "予以公开"},  # row 6
        {"编号": "b5", "收到日期": "2026-03-02", "申请人类型": "个体工商户"},  # row 7
        {"编号": "ok", "收到日期": "2026-03-02", "申请人类型": "其他"},  # row 8: id again
        {"编号": "b7", "收到日期": "2003-12-31", "申请人类型": "其他"},  # row 9: before the calendar data
    ]
    path = write_csv(tmp_path / "r.csv", rows)
    result = table3(read_sheet(path, REQUEST_COLUMNS), 2026, D("2026-06-01"))
    got = [(e["row"], e["column"]) for e in result.errors]
    assert got == [(3, "收到日期"), (4, "收到日期"), (5, "办理结果"), (6, "答复日期"), (7, "申请人类型"), (8, "编号"), (9, "收到日期")]
    assert "上周三" in result.errors[1]["message"]
    assert "已办结" in result.errors[2]["message"]
    assert "个体工商户" in result.errors[4]["message"]
    assert "2004" in result.errors[6]["message"]
    assert result.requests["new_received"]["total"] == 1  # only the good row counts
    assert [d["id"] for d in result.deadlines] == ["ok"]
    p = run("register", "table3", str(path), "--year", "2026", "--as-of", "2026-06-01")
    assert p.returncode == 1
    assert "第 7 行“申请人类型”" in p.stderr


def test_due_date_beyond_the_calendar_is_named_but_the_row_counts(tmp_path):
    path = write_csv(tmp_path / "r.csv", [{"编号": "late-dec", "收到日期": f"{C.LAST_YEAR}-12-20", "申请人类型": "自然人"}])
    result = table3(read_sheet(path, REQUEST_COLUMNS), C.LAST_YEAR, D(f"{C.LAST_YEAR}-12-31"))
    assert [(e["row"], e["column"]) for e in result.errors] == [(2, "收到日期")]
    assert "答复期限无法计算" in result.errors[0]["message"]
    assert result.deadlines[0]["due"] is None
    assert result.requests["new_received"]["total"] == 1 and result.requests["carried_forward"]["total"] == 1


def test_missing_column(tmp_path):
    header = [h for h in HEADER if h != "答复日期"]
    path = write_csv(tmp_path / "r.csv", [{"编号": "a", "收到日期": "2026-03-02", "申请人类型": "自然人"}], header)
    result = table3(read_sheet(path, REQUEST_COLUMNS), 2026, D("2026-06-01"))
    assert [(e["row"], e["column"]) for e in result.errors] == [(1, "答复日期")]
    assert result.requests["new_received"]["total"] == 0


def test_as_of_outside_the_calendar_is_a_usage_error(tmp_path):
    path = write_csv(tmp_path / "r.csv", [{"编号": "a", "收到日期": "2026-03-02", "申请人类型": "自然人"}])
    p = run("register", "table3", str(path), "--year", "2026", "--as-of", f"{C.LAST_YEAR + 1}-01-05")
    assert p.returncode == 2
    assert f"{C.FIRST_YEAR}–{C.LAST_YEAR}" in p.stderr


def test_template_xlsx_and_csv(tmp_path):
    import openpyxl

    out = tmp_path / "台账.xlsx"
    assert run("register", "template", "-o", str(out)).returncode == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["台账", "选项", "填写说明"]
    ws = wb["台账"]
    assert [c.value for c in ws[1]] == ["编号", "收到日期", "申请人类型", "补正通知日期", "补正收到日期", "延期",
                                        "征求意见工作日", "答复日期", "办理结果"]
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["C2"].type == "list" and lists["I2"].type == "list"
    choices = [wb["选项"].cell(i, 1).value for i in range(1, 7)]
    assert choices == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    outcomes = [wb["选项"].cell(i, 2).value for i in range(1, 22)]
    assert outcomes[0] == "予以公开" and outcomes[-1] == "其他" and None not in outcomes
    assert wb["选项"].cell(22, 2).value is None  # 21 result rows in the 2021 format
    # an empty register reads back with every column found
    sheet = read_sheet(out, REQUEST_COLUMNS)
    assert sheet.missing == [] and sheet.rows == []
    csv_out = tmp_path / "台账.csv"
    assert run("register", "template", "--csv", "-o", str(csv_out)).returncode == 0
    assert csv_out.read_text(encoding="utf-8-sig").strip() == ",".join(HEADER)
