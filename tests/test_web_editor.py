"""编写 (issue 16 item 4): a draft started from last year's report, checked as the clerk types,
saved in the database, and downloaded only once every error is fixed or explained."""

from __future__ import annotations

import re

import pytest

from nianbao import pipeline, store
from nianbao import template as T
from nianbao.check.texts import figures
from nianbao.parse import parse_bytes
from nianbao.store import drafts
from test_web_app import client_for, csrf_of
from test_web_data import seed001_report

AGENCY = "西安市高陵区人民政府"
CF = {"natural_person": 3, "commercial": 1, "research": 0, "social_welfare": 0, "legal_services": 0, "other": 0, "total": 4}


def last_year(db: str) -> int:
    """The 2022 report (2021 template) with 结转下年度 3 + 1 = 4 (natural persons, companies)."""
    r = seed001_report(AGENCY, 2022)
    r.tables.requests["carried_forward"] = dict(CF)
    with store.open_store(db) as s:
        return pipeline.add_report(s, r)


def start(c, rid: int) -> int:
    r = c.post("/write", data={"source": str(rid), "agency": "", "year": "", "csrf": csrf_of(c)}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def draft(db: str, draft_id: int):
    with store.open_store(db) as s:
        return drafts.get(s, draft_id)


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "web.db")


def test_start_from_last_year_carries_the_carried_forward_cells_and_the_stock(db):
    rid = last_year(db)
    c = client_for(db)
    did = start(c, rid)
    d = draft(db, did)
    r = d.report
    assert (r.meta.agency, r.meta.year, r.meta.template) == (AGENCY, 2023, "2021")
    assert r.meta.title == "西安市高陵区人民政府2023年政府信息公开工作年度报告"
    assert r.tables.requests["carried_over"] == CF  # last year's 结转下年度继续办理, column by column
    assert r.tables.requests["new_received"]["total"] == 0 and r.tables.requests["granted"]["natural_person"] == 0
    # 现行有效 carried (13 last year, nothing made or repealed yet), this year's flows 0
    assert r.tables.active["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": 13}
    assert r.tables.active["licensing"] == {"decisions": 0}
    assert r.sections.overview == "按照省、市政务公开办公室要求，持续推进政府信息公开工作。"
    assert d.based_on == rid
    html = c.get(f"/write/{did}").text
    assert 'id="in-tables-requests-carried_over-natural_person" value="3"' in html
    assert 'id="in-tables-active-normative_documents-in_force" value="13"' in html
    # the official labels of the template
    assert "上年结转政府信息公开申请数量" in html and "属于三类内部事务信息" in html and "现行有效件数" in html


def test_start_from_the_empty_template_when_no_report_of_last_year(db):
    last_year(db)
    c = client_for(db)
    r = c.post("/write", data={"source": "", "agency": "某县财政局", "year": "2020", "csrf": csrf_of(c)}, follow_redirects=False)
    d = draft(db, int(r.headers["location"].rsplit("/", 1)[1]))
    assert d.based_on is None and d.report.meta.template == "2019"
    assert "other_handling" in d.report.tables.requests and "other_no_fee" not in d.report.tables.requests
    assert set(d.report.tables.active) == {row.key for row in T.ACTIVE_ROWS["2019"]}
    # found by name and year: the agency's 2022 report starts its 2023 draft
    r = c.post("/write", data={"source": "", "agency": AGENCY, "year": "2023", "csrf": csrf_of(c)}, follow_redirects=False)
    assert draft(db, int(r.headers["location"].rsplit("/", 1)[1])).report.tables.requests["carried_over"] == CF
    r = c.post("/write", data={"source": "", "agency": "", "year": "二〇二三", "csrf": csrf_of(c)})
    assert r.status_code == 400 and "年度“二〇二三”无效" in r.text


def note(html: str, path: str) -> str:
    m = re.search(rf'<span class="cell-note" id="n-{path.replace(".", "-")}"[^>]*>(.*?)</span>\s*(?=<span class="cell-note"|$)', html, re.S)
    assert m, path
    return m.group(1)


def test_an_identity_error_appears_beside_the_cell_and_goes_when_fixed(db):
    c = client_for(db)
    did = start(c, last_year(db))
    token = csrf_of(c)
    new = T.rq("new_received", "natural_person")
    total = T.rq("new_received", "total")
    # 5 natural persons under a 总计 of 0: the row-total identity breaks
    r = c.post(f"/write/{did}/check", data={new: "5", "csrf": token})
    assert r.status_code == 200
    assert 'data-rule="requests.row_total"' in r.text
    assert "f-error" in note(r.text, total) and "f-error" in note(r.text, new)
    assert 'hx-swap-oob="true"' in r.text
    # 总计 5: that identity holds again (the balance still needs the results, another rule)
    r = c.post(f"/write/{did}/check", data={new: "5", total: "5", "csrf": token})
    row_total = [m for m in re.findall(r'data-rule="([^"]+)" data-cells="([^"]*)"', r.text) if m[0] == "requests.row_total"]
    assert not [m for m in row_total if total in m[1].split()]
    assert draft(db, did).report.get(total) == 5  # saved with the check


def test_a_non_number_is_refused_on_the_form_and_the_saved_value_kept(db):
    c = client_for(db)
    did = start(c, last_year(db))
    path = T.rq("carried_over", "natural_person")
    r = c.post(f"/write/{did}/check", data={path: "十二", "csrf": csrf_of(c)})
    assert r.status_code == 200
    assert "“十二”不是数字" in note(r.text, path) and "未保存" in note(r.text, path)
    assert draft(db, did).report.get(path) == 3
    # the page's own save (no script) answers the form again with the message, not an error page
    r = c.post(f"/write/{did}", data={path: "-2", "csrf": csrf_of(c)})
    assert r.status_code == 400 and "是负数" in r.text and 'id="draft-form"' in r.text


def balanced_form(token: str) -> dict:
    """This year: 10 new (8 people, 2 companies), 4 carried over; 11 granted, 3 carried forward."""
    f = {"csrf": token}
    rows = {
        "new_received": {"natural_person": 8, "commercial": 2, "total": 10},
        "carried_over": {"natural_person": 3, "commercial": 1, "total": 4},
        "granted": {"natural_person": 9, "commercial": 2, "total": 11},
        "processed_total": {"natural_person": 9, "commercial": 2, "total": 11},
        "carried_forward": {"natural_person": 2, "commercial": 1, "total": 3},
    }
    for row, cols in rows.items():
        for col in T.REQUEST_COLUMN_KEYS:
            f[T.rq(row, col)] = str(cols.get(col, 0))
    return f


def test_download_only_after_every_error_is_fixed_or_explained(db):
    c = client_for(db)
    did = start(c, last_year(db))
    token = csrf_of(c)
    # as started: 上年结转 4 with nothing else, the balance of every column with a carry is broken
    r = c.get(f"/write/{did}/download.docx")
    assert r.status_code == 409
    assert "还有" in r.text and "个错误未改正，也未填写说明" in r.text and "本年新收(0)+上年结转(3)=3，不等于办理结果总计(0)+结转下年度(0)=0" in r.text
    left = int(re.search(r"还有 (\d+) 个错误", r.text).group(1))
    assert left == 3  # the balance of natural persons, companies and 总计
    # explaining every error opens the gate
    page = c.post(f"/write/{did}/check", data={"csrf": token}).text
    keys = re.findall(r'name="explain\.([0-9a-f]+)"', page)
    assert len(keys) == left
    r = c.post(f"/write/{did}/check", data={"csrf": token, **{f"explain.{k}": "台账核实中" for k in keys}})
    assert 'id="gate-ok"' in r.text
    assert draft(db, did).explanations == {k: "台账核实中" for k in keys}
    assert c.get(f"/write/{did}/download.docx").status_code == 200
    # an unexplained error closes it again
    c.post(f"/write/{did}/check", data={"csrf": token, **{f"explain.{k}": "" for k in keys}})
    assert c.get(f"/write/{did}/download.html").status_code == 409
    # fixed: the tables balance, the download is the draft in the official format
    r = c.post(f"/write/{did}/check", data=balanced_form(token))
    assert 'id="gate-ok"' in r.text and ">0</b> 个，警告" in r.text.replace('id="n-error">', ">")
    r = c.get(f"/write/{did}/download.docx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    got = parse_bytes(r.content, "draft.docx")
    d = draft(db, did)
    assert got.tables.requests == d.report.tables.requests
    assert got.tables.active == d.report.tables.active and got.tables.appeals == d.report.tables.appeals
    assert got.meta.year == 2023 and got.meta.agency == AGENCY


def test_a_draft_is_kept_in_the_database_across_restarts(db):
    c = client_for(db)
    did = start(c, last_year(db))
    token = csrf_of(c)
    c.post(f"/write/{did}/check", data={"csrf": token, "sections.problems": "人员不足。", "meta.published": "2024-01-20",
                                        T.ap("reconsideration", "upheld"): "2"})
    c2 = client_for(db)  # a new app on the same database
    html = c2.get(f"/write/{did}").text
    assert ">人员不足。</textarea>" in html and 'value="2024-01-20"' in html
    assert 'id="in-tables-appeals-reconsideration-upheld" value="2"' in html
    assert f'href="/write/{did}"' in c2.get("/write").text


def test_offered_sentences_match_the_tables_and_the_text_rules_agree(db):
    c = client_for(db)
    did = start(c, last_year(db))
    token = csrf_of(c)
    r = c.post(f"/write/{did}/check", data=balanced_form(token))
    assert "本年度共收到政府信息公开申请10件，上年结转政府信息公开申请4件。" in r.text
    assert "本年度办结政府信息公开申请11件，其中予以公开11件，部分公开0件" in r.text
    assert "结转下年度继续办理3件。" in r.text
    # a wrong figure in the text is a text-rule warning…
    r = c.post(f"/write/{did}/check", data={"csrf": token, "sections.requests": "本年度共收到政府信息公开申请12件。"})
    assert 'data-rule="text.requests_received"' in r.text
    # …the offered sentences, put into the chapters, raise none, and the checker does read them
    r = c.post(f"/write/{did}/sentences", data={"csrf": token, "sections.requests": ""}, follow_redirects=False)
    assert r.status_code == 303
    d = draft(db, did)
    assert d.report.sections.requests.startswith("本年度共收到政府信息公开申请10件")
    targets = {f.target: f.value for f in figures(d.report)}
    assert targets["received"] == 10 and targets["carried_over"] == 4 and targets["carried_forward"] == 3
    assert targets["granted"] == 11 and targets["reconsideration"] == 0
    html = c.get(f"/write/{did}").text
    assert 'data-rule="text.' not in html


REGISTER = """编号,收到日期,申请人类型,补正通知日期,补正收到日期,延期,征求意见工作日,答复日期,办理结果
A1,2023-03-01,自然人,,,,,2023-03-10,予以公开
A2,2023-04-01,商业企业,,,,,2023-04-12,本机关不掌握相关政府信息
A3,2023-05-06,自然人,,,,,2023-13-01,予以公开
A4,2023-12-20,自然人,,,,,,
A5,2023-06-01,外国人,,,,,2023-06-05,予以公开
"""


def test_a_register_with_bad_rows_lists_them_and_counts_the_rest(db, tmp_path):
    c = client_for(db)
    did = start(c, last_year(db))
    r = c.post(f"/write/{did}/import", data={"kind": "requests", "csrf": csrf_of(c)},
               files={"file": ("台账.csv", REGISTER.encode("utf-8"), "text/csv")})
    assert r.status_code == 200
    errors = r.text.split('id="import-errors"')[1].split("</table>")[0]
    rows = re.findall(r'<td class="n">(\d+)</td>', errors)
    assert rows == ["4", "6"]  # A3 (month 13) and A5 (no such applicant type), header = row 1
    assert "答复日期" in errors and "申请人类型" in errors
    t = draft(db, did).report.tables.requests
    # A1, A2, A4 counted: 3 new (2 people, 1 company), 2 replied, A4 carried forward
    assert t["new_received"]["total"] == 3 and t["new_received"]["natural_person"] == 2
    assert t["granted"]["total"] == 1 and t["unable_not_held"]["commercial"] == 1
    assert t["carried_forward"]["total"] == 1 and t["processed_total"]["total"] == 2
    r = c.post(f"/write/{did}/import", data={"kind": "requests", "csrf": csrf_of(c)},
               files={"file": ("x.csv", b"\xff\xfe\x00garbage", "text/csv")})
    assert r.status_code in (200, 400) and "x.csv" in r.text and "服务器内部错误" not in r.text


RECORDS = """类别,事项,日期,废止日期,金额
行政规范性文件,高政发〔2023〕1号,2023-03-01,,
行政规范性文件,高政发〔2023〕7号,2023-08-15,,
行政规范性文件,高政发〔2019〕3号,2019-05-01,2023-06-01,
行政许可,许可1,2023-02-02,,
行政许可,许可2,2023-04-04,,
行政事业性收费,收费1,2023-05-05,,15000
会议纪要,纪要1,2023-05-05,,
"""


def test_a_records_file_gives_table_2_with_the_stock_carried_from_last_year(db):
    c = client_for(db)
    did = start(c, last_year(db))
    r = c.post(f"/write/{did}/import", data={"kind": "records", "csrf": csrf_of(c)},
               files={"file": ("主动公开.csv", RECORDS.encode("utf-8"), "text/csv")})
    assert r.status_code == 200
    errors = r.text.split('id="import-errors"')[1].split("</table>")[0]
    assert re.findall(r'<td class="n">(\d+)</td>', errors) == ["8"] and "会议纪要" in errors
    assert "按上年报告结转" in r.text
    a = draft(db, did).report.tables.active
    # 13 in force last year + 2 issued − 1 repealed; 15000 元 = 1.5 万元
    assert a["normative_documents"] == {"issued": 2, "repealed": 1, "in_force": 14}
    assert a["licensing"] == {"decisions": 2} and a["fees"] == {"amount": 1.5}


def test_an_import_without_the_forms_token_is_refused(db):
    c = client_for(db)
    did = start(c, last_year(db))
    r = c.post(f"/write/{did}/import", data={"kind": "requests", "csrf": "forged"},
               files={"file": ("台账.csv", REGISTER.encode("utf-8"), "text/csv")})
    assert r.status_code == 403 and "CSRF" in r.text
    assert draft(db, did).report.tables.requests["new_received"]["total"] == 0
