"""The pages read a report's cells from ``cell_packs`` only: with the old ``cells`` table gone
(issue 14's stage 2 drops it), 总览, 排名, the report page and 历年趋势 still give their figures."""

from __future__ import annotations

import re
import sqlite3

from nianbao import pipeline, store
from test_web_app import client_for
from test_web_data import BALANCE, seed001_report


def test_pages_answer_from_the_packs_without_the_cells_table(tmp_path):
    db = str(tmp_path / "w.db")
    ids = {}
    with store.open_store(db) as s:
        for year, sha in ((2021, "a"), (2022, "b")):
            report = seed001_report(agency="龙港市人民政府", year=year, sha=sha * 64)
            report.findings = [BALANCE]
            ids[year] = pipeline.add_report(s, report)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE IF EXISTS cells")
    con.commit()
    con.close()
    c = client_for(db)
    html = c.get("/").text
    assert "&#34;data&#34;: [66, 66]" in re.search(r'id="chart-requests" data-option="([^"]+)"', html).group(1)
    # 复议纠错率 11/(7+11+7) = 44.0 % in both years
    assert "[44.0, 44.0]" in re.search(r'id="chart-correction" data-option="([^"]+)"', html).group(1)
    # 公开率 (予以公开 66 + 部分公开 0) ÷ 办理结果总计 66, one report of 2022
    data = c.get("/rankings", params={"level": "agency", "year": 2022, "min_n": 1, "format": "json"}).json()
    assert [(i["unit"], i["numerator"], i["denominator"], i["reports"]) for i in data["items"]] == [("龙港市人民政府", 66, 66, 1)]
    page = c.get(f"/reports/{ids[2022]}").text
    cell = re.search(r'<td id="c-tables-requests-new_received-total"[^>]*>(.*?)</td>', page, re.S)
    assert re.sub(r"<[^>]+>", "", cell.group(1)).strip() == "66"
    trend = c.get(f"/reports/{ids[2022]}/trend").text
    row = trend.split('id="trend-tables-requests-granted-total"')[1].split("</tr>")[0]
    assert [re.sub(r"<[^>]+>", "", x).strip()[:2] for x in re.findall(r'<td class="n">(.*?)</td>', row)] == ["66", "66"]
