"""The official format as a printable HTML page (Jinja2): A4 page, the tables with real
``rowspan``/``colspan`` merges, table headers repeated on each printed page."""

from __future__ import annotations

from jinja2 import Environment
from markupsafe import Markup

from .official import Official

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{ doc.title }}</title>
<style>
@page { size: A4; margin: 2.5cm 2.2cm; }
body { font-family: "FangSong", "仿宋", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 12pt;
       line-height: 1.7; max-width: 46em; margin: 2em auto; color: #000; }
h1 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 18pt; text-align: center;
     font-weight: normal; margin: 0 0 1.2em; }
h2 { font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif; font-size: 13pt; font-weight: normal;
     margin: 1.2em 0 0.6em; }
p { text-indent: 2em; margin: 0.3em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0 1em; font-size: 9.5pt; line-height: 1.35;
        page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2px 4px; text-align: center; vertical-align: middle; font-weight: normal; }
td.lb { text-align: left; }
td.cp { text-align: left; font-weight: bold; }
.signature { margin-top: 2.5em; text-align: right; }
.signature p { text-indent: 0; margin: 0; }
</style>
</head>
<body>
{% if doc.title %}<h1>{{ doc.title }}</h1>
{% endif %}
{% for p in doc.opening %}<p>{{ p }}</p>
{% endfor %}
{% for ch in doc.chapters %}<h2>{{ ch.heading }}</h2>
{% for p in ch.paragraphs %}<p>{{ p }}</p>
{% endfor %}
{% if ch.table %}<table class="t-{{ ch.table.key }}">
{% if ch.table.header_rows %}<thead>
{% for row in ch.table.rows[:ch.table.header_rows] %}<tr>{% for c in row %}<th{{ span(c) }}>{{ c.text }}</th>{% endfor %}</tr>
{% endfor %}</thead>
{% endif %}<tbody>
{% for row in ch.table.rows[ch.table.header_rows:] %}<tr>{% for c in row %}<td class="{{ css[c.kind] }}"{{ span(c) }}{% if c.path %} data-cell="{{ c.path }}"{% endif %}>{{ c.text }}</td>{% endfor %}</tr>
{% endfor %}</tbody>
</table>
{% endif %}{% endfor %}
<div class="signature">
{% if doc.agency %}<p>{{ doc.agency }}</p>
{% endif %}{% if doc.date %}<p>{{ doc.date }}</p>
{% endif %}</div>
</body>
</html>
"""


def _span(cell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return Markup(out)


_env = Environment(autoescape=True, keep_trailing_newline=True)
_env.globals["span"] = _span
# short class names: a page cleaner drops elements whose class says "header" or "caption"
_env.globals["css"] = {"header": "hd", "caption": "cp", "label": "lb", "value": "v"}
_template = _env.from_string(_PAGE)


def to_html(doc: Official) -> str:
    return _template.render(doc=doc)
