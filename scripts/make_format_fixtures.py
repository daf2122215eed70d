"""Regenerate the format fixtures in ``tests/fixtures/formats/`` with real tools.

Dev script, not run by CI: the committed fixtures are its output. It needs python-docx, reportlab,
pypdfium2, Pillow and LibreOffice (``soffice``) on the PATH.

The content is that of two real reports among the seeds (``samples/seeds/``):

- ``004_09848c8a4e14a3e3.txt``: 龙港市人民政府2021年政府信息公开工作年度报告 (2021 template, many
  non-zero cells, published 2022-01-30, 来源 中共龙港市委市政府办公室);
- ``001_4d1d53446dc0e239.txt``: 高陵区 2022 report (2021 template, cells printed as ``/``, non-zero
  table 4).

Only the paragraphs are shortened; every table value is the seed's. The tables are laid out as
the official format does (spec ``annual-report-format.md`` §2.2, §3.1–3.2, §4): the same span
layout is written as HTML ``rowspan``/``colspan`` and as merged DOCX cells. The expected values of
every fixture are written by hand in ``tests/fixtures/formats/expected/*.json``.

Usage: ``python scripts/make_format_fixtures.py``
"""

from __future__ import annotations

import html
import io
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "formats"


@dataclass
class C:  # a cell of the printed layout
    text: str
    rowspan: int = 1
    colspan: int = 1


# ----------------------------------------------------------------------------- content

REQUEST_LABELS = [
    # (level-1/2 group cell, level-2 cell, level-3 cell) as printed in the official layout
    ("一、本年新收政府信息公开申请数量",),
    ("二、上年结转政府信息公开申请数量",),
    ("（一）予以公开",),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）",),
    ("（三）不予公开", "1.属于国家秘密"),
    (None, "2.其他法律行政法规禁止公开"),
    (None, "3.危及“三安全一稳定”"),
    (None, "4.保护第三方合法权益"),
    (None, "5.属于三类内部事务信息"),
    (None, "6.属于四类过程性信息"),
    (None, "7.属于行政执法案卷"),
    (None, "8.属于行政查询事项"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    (None, "2.没有现成信息需要另行制作"),
    (None, "3.补正后申请内容仍不明确"),
    ("（五）不予处理", "1.信访举报投诉类申请"),
    (None, "2.重复申请"),
    (None, "3.要求提供公开出版物"),
    (None, "4.无正当理由大量反复申请"),
    (None, "5.要求行政机关确认或重新出具已获取信息"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    (None, "3.其他"),
    ("（七）总计",),
    ("四、结转下年度继续办理",),
]
GROUP_SIZE = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}

Z = ["0"] * 7
S = ["/"] * 7

LONGGANG = {
    "slug": "longgang-2021",
    "title": "龙港市人民政府2021年政府信息公开工作年度报告",
    "published": "2022-01-30 09:50",
    "source": "中共龙港市委市政府办公室",
    "intro": [
        "根据《中华人民共和国政府信息公开条例》《浙江省政府信息公开暂行办法》规定和《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）要求，编制本年度报告。本报告所列数据的统计期限从2021年1月1日起至2021年12月31日止。",
    ],
    "overview": [
        "2021年，我市坚持以习近平新时代中国特色社会主义思想为指导，深入贯彻《中华人民共和国政府信息公开条例》，紧紧围绕国家、省、市决策部署，以“公开为常态，不公开为例外”为原则，系统谋划实施政务公开。",
        "（一）聚焦“立足点”，统筹推进谋全局",
        "一是强化引领指导。根据国家、省、市三级政府2021年政务公开工作要点，结合本地实际，印发《2021年龙港市政务公开工作要点》。",
        "二是推进政府信息主动公开。2021年，龙港市政府门户网站共主动公开政府信息2481条。2021年，共主动公开规范性文件42件。",
        "四是推进依申请公开件依法办理。2021年，全市共受理依申请公开件166件，其中予以公开103件、部分公开31件，公开占比80.7%；不予公开3件，占比1.8%；无法提供21件，占比12.7%；不予处理3件，占比1.8%；其他处理4件，占比2.4%；结转下年度继续办理1件，占比0.6%；政府信息公开行政复议案件9件、行政诉讼案件3件。",
        "三是加大培训力度。召开全市政务公开工作培训会，邀请温州市委党校老师授课，培训工作人员42人，有效提升全市政务公开工作水平。",
    ],
    "active": [["0", "0", "0"], ["41", "0", "82"], "3747", "342395", "10304", "3481.768936"],
    "requests": [
        ["136", "2", "0", "0", "27", "1", "166"],
        Z,
        ["75", "1", "0", "0", "27", "0", "103"],
        ["30", "0", "0", "0", "0", "1", "31"],
        ["1", "0", "0", "0", "0", "0", "1"],
        Z,
        Z,
        ["1", "0", "0", "0", "0", "0", "1"],
        Z,
        ["1", "0", "0", "0", "0", "0", "1"],
        Z,
        Z,
        ["17", "1", "0", "0", "0", "0", "18"],
        ["3", "0", "0", "0", "0", "0", "3"],
        Z,
        Z,
        ["3", "0", "0", "0", "0", "0", "3"],
        Z,
        Z,
        Z,
        ["4", "0", "0", "0", "0", "0", "4"],
        Z,
        Z,
        ["135", "2", "0", "0", "27", "1", "165"],
        ["1", "0", "0", "0", "0", "0", "1"],
    ],
    "appeals": ["0", "8", "1", "0", "9", "2", "0", "0", "1", "3", "0", "0", "0", "0", "0"],
    "problems": [
        "2021年度，我市政务公开工作虽取得了一定成效，但与其他县市区之间仍存在不小差距：一是部分单位对政务公开工作重视不够；二是政务公开广度深度不够；三是政策解读质量有待提高。",
        "下一步重点做好以下改进：一是深化政务公开培训指导。二是推进政务公开标准化规范化建设。三是做好政策解读。",
    ],
    "other": ["本年度本机关未收取政府信息公开处理费，无其他需要报告的事项。"],
}

GAOLING = {
    "slug": "gaoling-2022",
    "title": "高陵区2022年政府信息公开工作年度报告",
    "published": "2023-01-18 10:00",
    "source": "高陵区人民政府办公室",
    "intro": [],
    "overview": [
        "2022年，按照省、市政务公开办公室关于《中华人民共和国政府信息公开工作年度报告格式》工作要求，围绕区委、区政府工作重点，在市电子政务办精心指导下，高陵区紧扣工作重点，持续推进政府信息公开工作，各项工作有序开展。",
    ],
    "active": [["/", "/", "/"], ["1", "7", "13"], "84598", "19546", "178", "1627.79"],
    "requests": [
        ["66", "/", "/", "/", "/", "/", "66"],
        S,
        ["66", "/", "/", "/", "/", "/", "66"],
        *([S] * 20),
        ["66", "/", "/", "/", "/", "/", "66"],
        S,
    ],
    "appeals": ["7", "11", "7", "4", "29", "16", "18", "1", "10", "45", "5", "2", "0", "4", "11"],
    "problems": [
        "一年来，我们从完善体制机制、增强队伍能力、推进政务发展等方面，积极开展各项日常性和创新性工作。对此，我们在2023年工作中加以改进。",
        "一是持续强化队伍建设。二是努力提升工作标准。三是积极回应社会关切。四是创新工作方式方法。",
    ],
    "other": ["依据《政府信息公开信息处理费管理办法》，2022年度我区未收取信息处理费。发出收费通知的件数和总金额，以及实际收取的总金额均为0。"],
}

CHAPTER_HEADINGS = {
    "overview": "一、总体情况",
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


# ----------------------------------------------------------------------------- layouts


def table2(values) -> list[list[C]]:
    docs, norm, lic, pun, coe, fee = values
    return [
        [C("第二十条第（一）项", colspan=4)],
        [C("信息内容"), C("本年制发件数"), C("本年废止件数"), C("现行有效件数")],
        [C("规章"), *(C(v) for v in docs)],
        [C("行政规范性文件"), *(C(v) for v in norm)],
        [C("第二十条第（五）项", colspan=4)],
        [C("信息内容"), C("本年处理决定数量", colspan=3)],
        [C("行政许可"), C(lic, colspan=3)],
        [C("第二十条第（六）项", colspan=4)],
        [C("信息内容"), C("本年处理决定数量", colspan=3)],
        [C("行政处罚"), C(pun, colspan=3)],
        [C("行政强制"), C(coe, colspan=3)],
        [C("第二十条第（八）项", colspan=4)],
        [C("信息内容"), C("本年收费金额（单位：万元）", colspan=3)],
        [C("行政事业性收费"), C(fee, colspan=3)],
    ]


TABLE3_HEADER = [
    [C("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3), C("申请人情况", colspan=7)],
    [C("自然人", rowspan=2), C("法人或其他组织", colspan=5), C("总计", rowspan=2)],
    [C("商业企业"), C("科研机构"), C("社会公益组织"), C("法律服务机构"), C("其他")],
]


def table3(values) -> list[list[C]]:
    rows = [list(r) for r in TABLE3_HEADER]
    for i, (labels, vals) in enumerate(zip(REQUEST_LABELS, values)):
        cells: list[C] = []
        if i == 2:
            cells.append(C("三、本年度办理结果", rowspan=22))
        if len(labels) == 1:
            span = 3 if labels[0][0] in "一二四" else 2
            cells.append(C(labels[0], colspan=span))
        else:
            group, item = labels
            if group:
                cells.append(C(group, rowspan=GROUP_SIZE[group]))
            cells.append(C(item))
        cells += [C(v) for v in vals]
        rows.append(cells)
    return rows


def table4(values) -> list[list[C]]:
    fields = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [C("行政复议", colspan=5), C("行政诉讼", colspan=10)],
        [*(C(f, rowspan=2) for f in fields), C("未经复议直接起诉", colspan=5), C("复议后起诉", colspan=5)],
        [*(C(f) for f in fields), *(C(f) for f in fields)],
        [C(v) for v in values],
    ]


# ----------------------------------------------------------------------------- HTML


def html_table(rows: list[list[C]], attrs: str = 'border="1" cellspacing="0"') -> str:
    out = [f"<table {attrs}><tbody>"]
    for row in rows:
        tds = []
        for c in row:
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
            tds.append(f'<td{span}><p style="text-align:center">{html.escape(c.text)}</p></td>')
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def paragraphs(ps: list[str]) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in ps)


NAV = """<div class="top-bar"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/xxgk/">政府信息公开</a> | <a href="/hdjl/">互动交流</a></div>
<div class="nav"><ul><li><a href="/">网站首页</a></li><li><a href="/xxgk/">政府信息公开目录</a></li><li><a href="/xxgknb/">政府信息公开年报</a></li></ul></div>
<div class="breadcrumb">您现在的位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开年报</a> &gt; 县（市、区）政府</div>"""
FOOTER = """<div class="related"><h3>相关文章</h3><ul><li><a href="/a/1.html">关于印发2021年政务公开工作要点的通知</a></li><li><a href="/a/2.html">2020年政府信息公开工作年度报告</a></li></ul></div>
<div class="footer"><p>主办单位：人民政府办公室　备案号：浙ICP备00000000号</p><p>【打印本页】【关闭窗口】</p></div>"""


def html_body(r: dict, *, split_table3: bool = False, images: bool = False, extra: str = "") -> str:
    t3 = table3(r["requests"])
    if images:
        tables = {k: f'<p><img src="/images/{r["slug"]}-{k}.png" alt="表格"></p>' for k in ("active", "requests", "appeals")}
    else:
        tables = {"active": html_table(table2(r["active"])), "appeals": html_table(table4(r["appeals"]))}
        if split_table3:
            # exported in two parts, cut inside the 三、本年度办理结果 and （三）不予公开 spans
            first, second = t3[:9], t3[9:]
            tables["requests"] = html_table(first) + "\n" + html_table(second)
        else:
            tables["requests"] = html_table(t3)
    parts = [paragraphs(r["intro"]), extra]
    for key, heading in CHAPTER_HEADINGS.items():
        parts.append(f"<p><strong>{heading}</strong></p>")
        if key in tables:
            parts.append(tables[key])
        else:
            parts.append(paragraphs(r[key]))
    return "\n".join(p for p in parts if p)


def html_page(r: dict, body: str, *, charset: str | None, container: str, metas: bool = True) -> str:
    head = [f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""]
    if metas:
        head += [
            f'<meta name="ArticleTitle" content="{r["title"]}">',
            f'<meta name="PubDate" content="{r["published"]}">',
            f'<meta name="ContentSource" content="{r["source"]}">',
        ]
    head.append(f"<title>{r['title']}_政府信息公开年报</title>")
    info = f'<div class="info">发布日期：{r["published"]}　来源：{r["source"]}　浏览次数：</div>'
    if container == "trs":
        main = f'<div class="article"><h1>{r["title"]}</h1>{info}<div class="TRS_Editor">\n{body}\n</div></div>'
    elif container == "zoom":
        main = f'<div class="article"><h1>{r["title"]}</h1>{info}<div id="zoom">\n{body}\n</div></div>'
    elif container == "layout":
        # an old CMS: the page laid out by nested tables, no known container
        main = (f'<table width="980"><tr><td width="200">{NAV}</td><td>'
                f'<table width="100%"><tr><td><h2>{r["title"]}</h2>{info}</td></tr>'
                f'<tr><td>\n{body}\n</td></tr></table></td></tr></table>')
    else:
        main = f'<div class="main"><div class="wz"><h2>{r["title"]}</h2>{info}\n{body}\n</div></div>'
    return ("<!DOCTYPE html>\n<html>\n<head>\n" + "\n".join(h for h in head if h) + "\n</head>\n<body>\n"
            + NAV + "\n" + main + "\n" + FOOTER + "\n</body>\n</html>\n")


# ----------------------------------------------------------------------------- DOCX


def docx_bytes(r: dict, *, font_pt: float = 10.5, row_height_cm: float | None = None, borders: bool = True,
               cant_split: bool = True) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    d.core_properties.title = r["title"]
    style = d.styles["Normal"]
    style.font.size = Pt(font_pt)
    style.font.name = "Noto Sans CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    section = d.sections[0]
    section.header.paragraphs[0].text = "政府信息公开工作年度报告"
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    fld.append(run)
    fp._p.append(fld)

    h = d.add_paragraph(r["title"])
    h.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for p in r["intro"]:
        d.add_paragraph(p)
    layouts = {"active": table2(r["active"]), "requests": table3(r["requests"]), "appeals": table4(r["appeals"])}
    for key, heading in CHAPTER_HEADINGS.items():
        d.add_paragraph(heading)
        if key in layouts:
            add_docx_table(d, layouts[key], header_rows=3 if key == "requests" else 0, row_height_cm=row_height_cm,
                           borders=borders, cant_split=cant_split)
        else:
            for p in r[key]:
                d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def place(rows: list[list[C]]) -> tuple[list[tuple[int, int, C]], int]:
    """Grid position of every printed cell (the HTML table model)."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    width = max(c for _, c in taken) + 1
    return out, width


def add_docx_table(d, rows: list[list[C]], header_rows: int = 0, row_height_cm: float | None = None,
                   borders: bool = True, cant_split: bool = True) -> None:
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    placed, width = place(rows)
    table = d.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid" if borders else "Normal Table"
    for r, c, cell in placed:
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text
    if width == 10:  # table 3: wide label columns, narrow number columns
        table.autofit = False
        widths = (1.6, 2.2, 4.6) + (1.15,) * 7
        for i, w in enumerate(widths):
            table.columns[i].width = Cm(w)
        for row in table.rows:
            for i, w in enumerate(widths):
                row.cells[i].width = Cm(w)
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        if cant_split:
            tr_pr.append(OxmlElement("w:cantSplit"))
        if i < header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
        if row_height_cm:
            row.height = Cm(row_height_cm)


# ----------------------------------------------------------------------------- PDF


def soffice_convert(src: Path, fmt: str, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("soffice not found: LibreOffice is needed to make the PDF fixtures")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--convert-to", fmt,
             "--outdir", str(outdir), str(src)],
            check=True, capture_output=True, timeout=180,
        )
    return outdir / (src.stem + "." + fmt.split(":")[0])


def scanned_pdf(pdf: Path, dpi: int = 150) -> bytes:
    """Render every page to a 1-bit image and wrap the images in a PDF without a text layer."""
    import pypdfium2 as pdfium

    pages = []
    doc = pdfium.PdfDocument(str(pdf))
    for page in doc:
        img = page.render(scale=dpi / 72, grayscale=True).to_pil()
        pages.append(img.convert("L").point(lambda v: 255 if v > 170 else 0).convert("1"))
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return buf.getvalue()


def picture_pdf(pdf: Path, page: int, bbox: tuple[float, float, float, float], dpi: int = 150) -> bytes:
    """A text PDF whose table 4 is a pasted picture: the chapter headings and text are real text
    (reportlab, the non-embedded CID font STSong-Light), the table a 1-bit image cut from a render."""
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    scale = dpi / 72
    image = pdfium.PdfDocument(str(pdf))[page].render(scale=scale, grayscale=True).to_pil()
    x0, top, x1, bottom = bbox
    crop = image.crop((int(x0 * scale) - 4, int(top * scale) - 4, int(x1 * scale) + 4, int(bottom * scale) + 4))
    crop = crop.point(lambda v: 255 if v > 170 else 0).convert("1")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    width, height = letter
    c.setFont("STSong-Light", 11)
    c.drawString(72, height - 72, "四、政府信息公开行政复议、行政诉讼情况")
    w, h = (x1 - x0) + 8 / scale, (bottom - top) + 8 / scale
    c.drawImage(ImageReader(crop), 72, height - 96 - h, width=w, height=h)
    c.drawString(72, height - 120 - h, "五、存在的主要问题及改进情况")
    c.drawString(72, height - 140 - h, "一是持续强化队伍建设。二是努力提升工作标准。")
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt="secret-password")
    c.drawString(72, 760, "Annual report (encrypted test file)")
    c.showPage()
    c.save()
    return buf.getvalue()


NOT_A_REPORT = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>我市召开2022年春季植树造林动员会_政务动态</title></head>
<body>
{nav}
<div class="main"><div class="wz"><h2>我市召开2022年春季植树造林动员会</h2>
<div class="info">发布日期：2022-03-08　来源：市林业局</div>
<div class="TRS_Editor">
<p>3月7日，我市召开2022年春季植树造林动员会，总结去年国土绿化工作，部署今年春季植树造林任务。</p>
<p>会议要求，各地各部门要压实责任，科学规划，确保完成年度造林任务。</p>
</div></div></div>
{footer}
</body></html>
"""


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lg, gl = LONGGANG, GAOLING
    gb_extra = "<p>本报告联系人：陈喆，电话0577-59889297。报告引用朱镕基同志关于政务公开的论述。</p>"
    files: dict[str, bytes] = {
        # UTF-8, TRS_Editor container, full page metadata
        "longgang-2021.utf8.html": html_page(lg, html_body(lg), charset="utf-8", container="trs").encode("utf-8"),
        # GB18030 bytes declared as gb2312 (喆/镕 are not in gb2312), #zoom container
        "longgang-2021.gb2312-declared.html": html_page(lg, html_body(lg, extra=gb_extra), charset="gb2312",
                                                        container="zoom").encode("gb18030"),
        # GBK, no charset declared, no meta tags, no known container, table 3 split over two <table>s
        "gaoling-2022.gbk-nometa.html": html_page(gl, html_body(gl, split_table3=True), charset=None,
                                                  container="plain", metas=False).encode("gbk"),
        # UTF-16 with BOM, declared charset wrong (utf-8), old CMS laid out by nested tables
        "gaoling-2022.utf16.html": html_page(gl, html_body(gl), charset="utf-8", container="layout").encode("utf-16"),
        # tables published as pictures
        "longgang-2021.images.html": html_page(lg, html_body(lg, images=True), charset="utf-8", container="trs").encode("utf-8"),
        "not-a-report.html": NOT_A_REPORT.format(nav=NAV, footer=FOOTER).encode("utf-8"),
        "longgang-2021.docx": docx_bytes(lg),
        "empty.html": b"",
        # a ZIP-less binary named as a document
        "binary-wrong-extension.docx": bytes(range(256)) * 8,
        "corrupt.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + bytes(range(7, 200)) * 4,
        "encrypted.pdf": encrypted_pdf(),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        # big font: table 3 runs over two page breaks, header rows repeated, merged labels cut,
        # and rows allowed to break across pages (（三）4 and （六）1 are split in two)
        src = tmpdir / "longgang-2021.docx"
        src.write_bytes(docx_bytes(lg, font_pt=13, cant_split=False))
        shutil.copy(soffice_convert(src, "pdf", tmpdir / "pdf"), OUT / "longgang-2021.pdf")
        src = tmpdir / "gaoling-2022.docx"
        src.write_bytes(docx_bytes(gl, font_pt=9))
        pdf = soffice_convert(src, "pdf", tmpdir / "pdf")
        shutil.copy(pdf, OUT / "gaoling-2022.pdf")
        # a table printed without ruling lines: no grid, the rows come as text lines
        nb = tmpdir / "gaoling-2022.borderless.docx"
        nb.write_bytes(docx_bytes(gl, font_pt=9, borders=False))
        shutil.copy(soffice_convert(nb, "pdf", tmpdir / "pdf"), OUT / "gaoling-2022.borderless.pdf")
        (OUT / "gaoling-2022.scanned.pdf").write_bytes(scanned_pdf(pdf))
        # table 4 (page 2, found by pdfplumber at this box) pasted as a picture into a text page
        (OUT / "gaoling-2022.picture-table.pdf").write_bytes(picture_pdf(pdf, 1, (84.6, 351.75, 517.5, 418.95)))
        shutil.copy(soffice_convert(src, "doc:MS Word 97", tmpdir / "doc"), OUT / "gaoling-2022.doc")
    for p in sorted(OUT.iterdir()):
        if p.is_file():
            print(f"{p.stat().st_size:>8}  {p.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
