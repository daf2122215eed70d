"""ECharts options for 总览, built in Python and passed to the page as JSON (``data-option``)."""

from __future__ import annotations

from ..store.query import Overview

PALETTE = ["#1f4e8c", "#3f7fc4", "#7fb0e0", "#e0a030", "#c62828", "#8e8e8e"]
_BASE = {"color": PALETTE, "textStyle": {"fontFamily": "Noto Sans CJK SC, sans-serif"}, "animation": False}
# Agency names come from reports (untrusted): tooltips are drawn as chart text, never as HTML.
_TIP = {"renderMode": "richText"}


def _grid(**kw) -> dict:
    return {"left": 50, "right": 20, "top": 40, "bottom": 30, "containLabel": True, **kw}


def requests_per_year(o: Overview) -> dict:
    return {
        **_BASE,
        "title": {"text": "政府信息公开申请数量（本年新收，按年度）", "textStyle": {"fontSize": 14}},
        "tooltip": {**_TIP, "trigger": "axis"},
        "grid": _grid(),
        "xAxis": {"type": "category", "data": [str(y) for y, _ in o.requests_by_year]},
        "yAxis": {"type": "value", "name": "件"},
        "series": [{"type": "bar", "name": "本年新收", "data": [v for _, v in o.requests_by_year], "barMaxWidth": 40,
                    "label": {"show": True, "position": "top"}}],
    }


def outcome_mix(o: Overview) -> dict:
    return {
        **_BASE,
        "title": {"text": "办理结果构成（总计列）", "textStyle": {"fontSize": 14}},
        "tooltip": {**_TIP, "trigger": "item", "formatter": "{b}：{c} 件（{d}%）"},
        "legend": {"orient": "vertical", "right": 10, "top": 40},
        "series": [{"type": "pie", "radius": ["35%", "65%"], "center": ["40%", "55%"],
                    "data": [{"name": k, "value": v} for k, v in o.outcomes], "label": {"formatter": "{b} {d}%"}}],
    }


def correction_rates(o: Overview) -> dict:
    return {
        **_BASE,
        "title": {"text": "行政复议、行政诉讼纠错率（%，纠正÷已审结）", "textStyle": {"fontSize": 14}},
        "tooltip": {**_TIP, "trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": _grid(top=50, bottom=40),
        "xAxis": {"type": "category", "data": [str(y) for y, _, _ in o.correction]},
        "yAxis": {"type": "value", "name": "%", "max": 100},
        "series": [
            {"type": "line", "name": "行政复议", "data": [r for _, r, _ in o.correction], "connectNulls": True, "label": {"show": True}},
            {"type": "line", "name": "行政诉讼", "data": [r for _, _, r in o.correction], "connectNulls": True, "label": {"show": True}},
        ],
    }


def worst_agencies(o: Overview) -> dict:
    rows = list(reversed(o.worst_agencies))
    return {
        **_BASE,
        "title": {"text": "错误最多的机关（前 10）", "textStyle": {"fontSize": 14}},
        "tooltip": {**_TIP, "trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": _grid(left=10),
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "data": [n for n, _, _ in rows], "axisLabel": {"width": 180, "overflow": "truncate"}},
        "series": [{"type": "bar", "name": "错误", "data": [e for _, e, _ in rows], "itemStyle": {"color": "#c62828"},
                    "barMaxWidth": 18, "label": {"show": True, "position": "right"}}],
    }


def _empty(option: dict, has_data: bool) -> dict:
    """A chart with nothing to draw says so instead of showing bare axes."""
    if not has_data:
        option["graphic"] = [{"type": "text", "left": "center", "top": "middle",
                              "style": {"text": "暂无数据", "fill": "#8a94a0", "fontSize": 14}}]
    return option


def overview_charts(o: Overview) -> list[tuple[str, dict]]:
    return [
        ("chart-requests", _empty(requests_per_year(o), bool(o.requests_by_year))),
        ("chart-outcomes", _empty(outcome_mix(o), any(v for _, v in o.outcomes))),
        ("chart-correction", _empty(correction_rates(o), any(a is not None or b is not None for _, a, b in o.correction))),
        ("chart-agencies", _empty(worst_agencies(o), bool(o.worst_agencies))),
    ]


def trend_chart(label: str, years: list[int], values: list, report_ids: list[int]) -> dict:
    """One cell of one agency over the years (历年趋势): a bar per year, each bar linking to its
    report (``data[i].url``, followed on click by ``static/trend.js``)."""
    data = [{"value": v, "url": f"/reports/{rid}"} for v, rid in zip(values, report_ids)]
    option = {
        **_BASE,
        "title": {"text": label, "textStyle": {"fontSize": 13, "width": 520, "overflow": "break"}},
        "tooltip": {**_TIP, "trigger": "item", "formatter": "{b} 年：{c}（点击打开报告）"},
        "grid": _grid(top=60),
        "xAxis": {"type": "category", "data": [str(y) for y in years]},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "name": label, "data": data, "barMaxWidth": 40, "cursor": "pointer",
                    "label": {"show": True, "position": "top"}}],
    }
    return _empty(option, any(v is not None for v in values))
