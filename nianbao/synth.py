"""Random valid reports, for tests and benchmarks.

``report(seed)`` gives one valid :class:`~nianbao.model.Report` (every identity of its template
holds); ``corpus(n_agencies, years, seed)`` gives several agencies over several years, where each
year's 上年结转 is the previous year's 结转下年度 (per column) and 现行有效件数 / 对外公开总数量
continue, with options to inject known errors. Everything is deterministic from the seed and uses
only :mod:`nianbao.template` for keys.
"""

from __future__ import annotations

import copy
import hashlib
import random
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Sequence

from . import template as T
from .model import Meta, Report, Sections, Source, Tables

# --------------------------------------------------------------------------- agencies

_CITIES = (
    "杭州", "宁波", "温州", "绍兴", "苏州", "无锡", "常州", "合肥", "芜湖", "济南", "青岛", "烟台",
    "郑州", "洛阳", "长沙", "株洲", "成都", "绵阳", "昆明", "贵阳", "南宁", "柳州", "福州", "厦门",
    "南昌", "赣州", "武汉", "宜昌", "石家庄", "保定", "太原", "大同", "西安", "宝鸡", "兰州", "银川",
)
_DISTRICTS = (
    "东城", "西城", "鼓楼", "城关", "新华", "和平", "江北", "高新", "经开", "滨江", "临平", "秀洲",
    "雁塔", "金水", "天心", "武侯", "五华", "青秀", "思明", "龙华", "红旗", "长安", "迎泽", "城中",
)
_COUNTIES = (
    "安吉", "德清", "长兴", "桐庐", "淳安", "宁海", "象山", "泰顺", "新昌", "嵊泗", "宜良", "富宁",
    "凤台", "霍邱", "宁乡", "茶陵", "蒲江", "大邑", "平阴", "莱阳", "巩义", "栾川", "石城", "崇义",
)
_BUREAUS = (
    "教育局", "公安局", "财政局", "民政局", "司法局", "自然资源局", "生态环境局", "住房和城乡建设局",
    "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局",
    "审计局", "市场监督管理局", "统计局", "医疗保障局", "人力资源和社会保障局", "退役军人事务局",
)
_TOWNS = ("城关", "新塘", "桃源", "石桥", "白沙", "青山", "龙泉", "河口", "柳林", "马桥", "双溪", "金桥")


def agency_name(rng: random.Random) -> str:
    """A realistic agency name: 区政府, 县/市局, 镇政府 or 市政府办公室."""
    form = rng.random()
    city, county = rng.choice(_CITIES), rng.choice(_COUNTIES)
    if form < 0.3:
        return f"{city}市{rng.choice(_DISTRICTS)}区人民政府"
    if form < 0.55:
        return f"{county}县{rng.choice(_BUREAUS)}"
    if form < 0.75:
        return f"{city}市{rng.choice(_BUREAUS)}"
    if form < 0.92:
        return f"{county}县{rng.choice(_TOWNS)}镇人民政府"
    return f"{city}市人民政府办公室"


def agency_names(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct agency names in random order, for corpora larger than the ~2,400 names
    :func:`agency_name` draws from: its forms, 区级部门 (城区的局) and 街道办事处 too (30,960 in
    all; one report per agency and year, as real corpora have)."""
    every = sorted(
        {f"{c}市{d}区人民政府" for c in _CITIES for d in _DISTRICTS}
        | {f"{k}县{b}" for k in _COUNTIES for b in _BUREAUS}
        | {f"{c}市{b}" for c in _CITIES for b in _BUREAUS}
        | {f"{k}县{t}镇人民政府" for k in _COUNTIES for t in _TOWNS}
        | {f"{c}市人民政府办公室" for c in _CITIES}
        | {f"{c}市{d}区{b}" for c in _CITIES for d in _DISTRICTS for b in _BUREAUS}
        | {f"{c}市{d}区{t}街道办事处" for c in _CITIES for d in _DISTRICTS for t in _TOWNS}
    )
    if n > len(every):
        raise ValueError(f"{n} distinct agency names asked for; there are {len(every)}")
    random.Random(seed).shuffle(every)
    return every[:n]


# --------------------------------------------------------------------------- numbers


def _count(rng: random.Random, scale: float = 1.0, zero: float = 0.5) -> int:
    """A non-negative count: often 0, mostly small, sometimes large."""
    if rng.random() < zero:
        return 0
    r = rng.random()
    if r < 0.7:
        n = rng.randint(1, 9)
    elif r < 0.93:
        n = rng.randint(10, 99)
    elif r < 0.985:
        n = rng.randint(100, 999)
    else:
        n = rng.randint(1000, 9999)
    return max(0, int(round(n * scale)))


def _amount(rng: random.Random) -> float | int:
    """A fee or procurement amount in 万元: 0, a whole number, or with one or two decimals."""
    r = rng.random()
    if r < 0.4:
        return 0
    if r < 0.6:
        return rng.randint(1, 5000)
    if r < 0.8:
        return round(rng.uniform(0.1, 999.9), 1)
    return round(rng.uniform(0.01, 9999.99), 2)


def _split(rng: random.Random, total: int, n: int, skew: tuple[float, ...] | None = None) -> list[int]:
    """Split ``total`` into ``n`` non-negative parts, many of them zero."""
    if n == 0:
        return []
    if total == 0:
        return [0] * n
    weights = list(skew) if skew else [1.0] * n
    weights = [w * (rng.random() if rng.random() < 0.6 else 0.0) for w in weights]
    if sum(weights) == 0:
        weights[rng.randrange(n)] = 1.0
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    rest = total - sum(parts)
    live = [i for i, w in enumerate(weights) if w > 0]
    for _ in range(rest):
        parts[rng.choice(live)] += 1
    return parts


# Relative weight of each applicant column (自然人 dominate).
_APPLICANT_SCALE = {
    "natural_person": 1.0,
    "commercial": 0.25,
    "research": 0.03,
    "social_welfare": 0.03,
    "legal_services": 0.08,
    "other": 0.05,
}
# Relative weight of each outcome row.
_RESULT_WEIGHT = {"granted": 8.0, "partially_granted": 2.0, "unable_not_held": 3.0, "other_handling": 1.0}


# --------------------------------------------------------------------------- tables


def _active(rng: random.Random, version: str, previous: Optional[Report]) -> dict:
    """Table 2; stock fields continue from ``previous`` when it has the same template."""
    prev = previous.tables.active if previous is not None and previous.meta.template == version else None
    out: dict[str, dict] = {}
    for row in T.ACTIVE_ROWS[version]:
        keys = [f.key for f in row.fields]
        cells: dict = {}
        old = (prev or {}).get(row.key, {})
        if keys == ["issued", "repealed", "in_force"]:
            base = old.get("in_force")
            if base is None:
                base = _count(rng, 3.0 if row.key == "normative_documents" else 0.5, zero=0.3)
            issued = _count(rng, 0.5, zero=0.4)
            repealed = min(base, _count(rng, 0.2, zero=0.7))
            cells = {"issued": issued, "repealed": repealed, "in_force": base - repealed + issued}
        elif keys == ["made", "published", "public_total"]:
            base = old.get("public_total")
            if base is None:
                base = _count(rng, 3.0, zero=0.3)
            made = _count(rng, 0.5, zero=0.4)
            published = min(made, _count(rng, 0.5, zero=0.3)) if made else 0
            cells = {"made": made, "published": published, "public_total": base + published}
        elif keys[:2] == ["previous_items", "change"]:
            if old.get("previous_items") is not None and old.get("change") is not None:
                prev_items = old["previous_items"] + old["change"]
            else:
                prev_items = _count(rng, 1.0, zero=0.4)
            change = rng.randint(-prev_items, 5) if rng.random() < 0.5 else 0
            cells = {"previous_items": prev_items, "change": change}
            if "decisions" in keys:
                cells["decisions"] = _count(rng, 5.0, zero=0.4)
        elif keys == ["decisions"]:
            cells = {"decisions": _count(rng, 5.0 if row.key == "punishment" else 2.0, zero=0.4)}
        elif keys == ["amount"]:
            cells = {"amount": _amount(rng)}
        elif keys == ["projects", "amount"]:
            projects = _count(rng, 1.0, zero=0.5)
            cells = {"projects": projects, "amount": _amount(rng) if projects else 0}
        else:  # a field layout this generator does not know: plain counts
            cells = {k: _count(rng) for k in keys}
        out[row.key] = {f.key: cells[f.key] for f in row.fields}
    return out


def _requests(
    rng: random.Random,
    rows: tuple[str, ...],
    carried_over: Optional[dict] = None,
    volume: float = 1.0,
) -> dict:
    """Table 3 with every identity holding: per applicant column, 新收 + 结转 = 总计 + 结转下年度,
    and the outcome rows add up to （七）总计; the 总计 column is the sum of the six."""
    results = tuple(k for k in rows if T.REQUEST_ROW_BY_KEY[k].is_result)
    table: dict[str, dict] = {r: {} for r in rows}
    busy = rng.random() < 0.15  # a few agencies get many requests
    for col in T.REQUEST_PARTS:
        scale = _APPLICANT_SCALE[col] * volume * (20.0 if busy else 1.0)
        zero = 0.3 if col == "natural_person" else 0.75
        new = _count(rng, scale, zero=zero)
        if volume != 1.0 and new == 0 and col == "natural_person":
            new = max(1, int(round(5 * volume)))
        old = (carried_over or {}).get(col)
        if old is None:
            old = _count(rng, scale * 0.2, zero=0.8)
        handled = new + old
        forward = min(handled, _count(rng, scale * 0.1, zero=0.8))
        processed = handled - forward
        weights = tuple(_RESULT_WEIGHT.get(r, 0.4) for r in results)
        for r, n in zip(results, _split(rng, processed, len(results), weights)):
            table[r][col] = n
        table["new_received"][col] = new
        table["carried_over"][col] = old
        table["processed_total"][col] = processed
        table["carried_forward"][col] = forward
    for r in rows:
        table[r] = {c: table[r][c] for c in T.REQUEST_PARTS}
        table[r]["total"] = sum(table[r].values())
    return table


def _appeals(rng: random.Random) -> dict:
    out = {}
    for block in T.APPEAL_BLOCK_KEYS:
        parts = {f: _count(rng, 0.3, zero=0.8) for f in T.APPEAL_PARTS}
        out[block] = {**parts, "total": sum(parts.values())}
    return out


# --------------------------------------------------------------------------- text


# Paragraphs of the kind real reports carry between the tables (seeds 000-004), so that generated
# reports have realistic length and the numbered sub-headings a reader must not take for chapters.
_OVERVIEW_PARTS = (
    ("（一）主动公开", (
        "围绕重点领域信息公开，及时发布政策文件、规划计划、财政预决算、重大建设项目等信息，做到应公开尽公开。",
        "聚焦群众关心关注的民生事项，在门户网站全年发布信息{n}条，其中政策解读{k}篇。",
        "按照主动公开基本目录，更新机构职能、领导分工、规划计划等栏目，全年主动公开政府信息{n}条。",
    )),
    ("（二）依申请公开", (
        "严格按照提出申请、申请受理、申请处理的流程办理依申请公开事项，规范答复文书，确保在法定期限内答复。",
        "完善依申请公开登记、审核、答复各环节，建立疑难申请会商机制，答复均在法定期限内完成。",
        "畅通网上申请、信函申请、当面申请等渠道，加强与申请人沟通，做到依法答复、规范答复。",
    )),
    ("（三）政府信息管理", (
        "健全信息发布审核机制，坚持“先审查、后公开”和“一事一审”原则，全年未发生失泄密事件。",
        "开展行政规范性文件清理，对{k}件文件作出继续有效、修改或废止的决定，并及时公开清理结果。",
        "落实政府信息公开保密审查制度，明确审查主体和程序，信息发布前均经审核。",
    )),
    ("（四）政府信息公开平台建设", (
        "加强政府门户网站和政务新媒体建设管理，优化栏目设置，提升信息发布的及时性和准确性。",
        "推进政务公开专区建设，在服务大厅设置查阅点{k}个，方便群众就近查询政府信息。",
        "整合政务新媒体账号，关停整合{k}个，统一纳入监管平台，实现常态化管理。",
    )),
    ("（五）监督保障", (
        "将政务公开工作纳入年度绩效考核，加强业务培训，开展专项检查，对发现的问题及时整改。",
        "组织政务公开业务培训{k}次，参训人员{n}人次，未发生政务公开责任追究情况。",
        "聘请社会监督员参与评议，开展季度检查并通报结果，督促整改问题{k}个。",
    )),
)
_PROBLEMS = (
    "公开内容还不够全面，部分领域信息更新不够及时",
    "政策解读形式较为单一，图解、视频等解读偏少",
    "工作人员业务能力有待提升，人员变动较多",
    "基层政务公开标准化规范化程度不高",
    "依申请公开答复文书的规范性有待加强",
    "政务新媒体信息更新频率不均衡",
)
_IMPROVE = (
    "下一步，将进一步完善信息发布审核机制，丰富政策解读形式，加强业务培训，不断提高政府信息公开工作水平。",
    "下一步，将对照公开目录逐项梳理，建立更新台账，并邀请专家开展业务培训。",
    "下一步，将健全答复文书范本，加强案例研判，提高依申请公开办理质量。",
)


def _sections(r: Report, rng: random.Random | None = None) -> Sections:
    req = r.tables.requests or {}
    act = r.tables.active or {}
    app = r.tables.appeals or {}
    year, agency = r.meta.year, r.meta.agency
    new = req["new_received"]["total"]
    granted = req["granted"]["total"]
    partial = req["partially_granted"]["total"]
    forward = req["carried_forward"]["total"]
    recon = app["reconsideration"]["total"]
    lit = app["litigation_direct"]["total"] + app["litigation_after_reconsideration"]["total"]
    if r.meta.template == "2021":
        docs = act["normative_documents"]["issued"]
        active_text = (
            f"{year}年，{agency}坚持以公开为常态、不公开为例外，本年制发行政规范性文件{docs}件，"
            f"作出行政处罚决定{act['punishment']['decisions']}件，"
            f"行政许可决定{act['licensing']['decisions']}件。"
        )
    else:
        docs = act["normative_documents"]["published"]
        active_text = (
            f"{year}年，{agency}本年新公开规范性文件{docs}件，"
            f"办理行政处罚{act['punishment']['decisions']}件。"
        )
    overview = [
        f"{year}年，{agency}认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"全年共收到政府信息公开申请{new}件，均按规定办理。"
    ]
    numerals = "一二三"
    if rng is not None and rng.random() < 0.7:
        for head, bodies in _OVERVIEW_PARTS:
            body = rng.choice(bodies).format(n=rng.randint(30, 3000), k=rng.randint(2, 40))
            overview += [head, body]
        picked = rng.sample(_PROBLEMS, rng.randint(2, 3))
        problems = ["；".join(f"{numerals[i]}是{p}" for i, p in enumerate(picked)) + "。", rng.choice(_IMPROVE)]
    else:
        problems = ["；".join(f"{numerals[i]}是{p}" for i, p in enumerate(_PROBLEMS[:3])) + "。"]
    return Sections(
        overview="\n".join(overview),
        active=active_text,
        requests=(
            f"全年共收到政府信息公开申请{new}件，予以公开{granted}件，部分公开{partial}件，"
            f"结转下年度继续办理{forward}件。"
        ),
        appeals=f"全年发生政府信息公开行政复议{recon}件，行政诉讼{lit}件。",
        problems="\n".join(problems),
        other="本机关未收取信息处理费。",
    )


# --------------------------------------------------------------------------- reports


def report(
    seed: int | None = None,
    *,
    rng: random.Random | None = None,
    year: int | None = None,
    agency: str | None = None,
    other_split: bool | None = None,
    previous: Optional[Report] = None,
    volume: float = 1.0,
) -> Report:
    """One random valid report. ``previous`` (the same agency's report of the year before) makes
    上年结转 and the stock fields of table 2 continue from it. ``volume`` scales the new requests."""
    rng = rng or random.Random(seed)
    if year is None:
        year = rng.randint(2019, 2025)
    version = T.template_for_year(year)
    agency = agency or agency_name(rng)
    if other_split is None:
        other_split = version == "2021" and rng.random() < 0.85
    if version == "2019":
        other_split = False
    rows = tuple(r.key for r in T.request_rows(version, other_split))
    carried = None
    if previous is not None and previous.tables.requests:
        carried = {c: previous.tables.requests["carried_forward"][c] for c in T.REQUEST_PARTS}
    title = f"{agency}{year}年政府信息公开工作年度报告"
    r = Report(
        source=Source(
            path=f"synth/{agency}{year}.txt",
            sha256=hashlib.sha256(f"{agency}|{year}|{seed}".encode()).hexdigest(),
            format="text",
        ),
        meta=Meta(
            title=title,
            agency=agency,
            year=year,
            template=version,
            published=f"{year + 1}-01-{rng.randint(5, 31):02d}",
        ),
        tables=Tables(
            active=_active(rng, version, previous),
            requests=_requests(rng, rows, carried, volume),
            appeals=_appeals(rng),
        ),
    )
    r.sections = _sections(r, rng)
    return r


def request_row_keys(r: Report) -> tuple[str, ...]:
    """The table-3 data rows the report prints, in official order."""
    present = set((r.tables.requests or {}).keys())
    return tuple(row.key for row in T.REQUEST_ROWS if row.key in present)


def identities(r: Report) -> list[T.Identity]:
    """Every arithmetic identity the report must satisfy (from the template)."""
    return T.request_identities(request_row_keys(r)) + T.appeal_identities()


def broken_identities(r: Report) -> list[T.Identity]:
    """The identities that do not hold (null cells make an identity unverifiable, not broken)."""
    out = []
    for ident in identities(r):
        values = [r.get(p) for p in ident.left + ident.right]
        if any(v is None for v in values):
            continue
        if sum(r.get(p) for p in ident.left) != sum(r.get(p) for p in ident.right):
            out.append(ident)
    return out


# --------------------------------------------------------------------------- corpora

INJECTIONS = ("identity", "cross_year", "jump", "copy", "missing")


@dataclass
class Injection:
    """A known error put into a corpus: which report (agency, year), what kind, which cells."""

    kind: str  # one of INJECTIONS
    agency: str
    year: int
    cells: list[str] = field(default_factory=list)
    detail: str = ""


@dataclass
class Corpus:
    reports: list[Report]
    injections: list[Injection] = field(default_factory=list)

    def __iter__(self) -> Iterator[Report]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    def by_agency(self) -> dict[str, list[Report]]:
        out: dict[str, list[Report]] = {}
        for r in self.reports:
            out.setdefault(r.meta.agency, []).append(r)
        return out


def corpus(
    n_agencies: int,
    years: Iterable[int],
    seed: int = 0,
    *,
    inject: Iterable[str] = (),
    names: Optional[Sequence[str]] = None,
) -> Corpus:
    """``n_agencies`` agencies, one report per year, continuous across years.

    ``names``: the agencies' names (distinct, at least ``n_agencies``: see :func:`agency_names`),
    else drawn with :func:`agency_name` (at most ~2,400 distinct ones).

    ``inject`` lists error kinds to put in (each once, in distinct reports that have a previous
    year): ``identity`` (one cell of 表三 off by some, breaking its row total and balance),
    ``cross_year`` (上年结转 no longer equals last year's 结转下年度, identities still hold),
    ``jump`` (new requests ×5 against last year, identities hold), ``copy`` (the tables and
    chapters of last year's report reused as they were), ``missing`` (the agency published no
    report that year; the next year still continues from the unpublished one).
    ``Corpus.injections`` says where.
    """
    rng = random.Random(seed)
    years = sorted(years)
    if names is not None:
        if len(set(names[:n_agencies])) < n_agencies:
            raise ValueError(f"{n_agencies} distinct agency names needed; {len(set(names[:n_agencies]))} given")
        names = list(names[:n_agencies])
    else:
        names = []
        while len(names) < n_agencies:
            name = agency_name(rng)
            if name not in names:
                names.append(name)
    kinds = list(inject)
    for k in kinds:
        if k not in INJECTIONS:
            raise ValueError(f"unknown injection {k!r}; expected one of {', '.join(INJECTIONS)}")
    # A report can take an injection if it has a previous year; a copy only within one template.
    slots = [(a, y) for a in names for y in years[1:]]
    targets: dict[tuple[str, int], str] = {}
    for k in sorted(kinds, key=lambda k: k != "copy"):
        free = [
            (a, y)
            for a, y in slots
            if (a, y) not in targets
            and (k != "copy" or (y - 1 in years and T.template_for_year(y - 1) == T.template_for_year(y)))
        ]
        if not free:
            raise ValueError(f"no report left for the injection {k!r} (too few agencies or years)")
        targets[rng.choice(free)] = k

    reports: list[Report] = []
    injections: list[Injection] = []
    for agency in names:
        previous: Optional[Report] = None
        for year in years:
            kind = targets.get((agency, year))
            sub = random.Random(rng.getrandbits(64))
            volume = 5.0 if kind == "jump" else 1.0
            r = report(rng=sub, year=year, agency=agency, previous=previous, volume=volume)
            if kind == "jump" and previous is not None:
                _scale_jump(r, previous)
            if kind is not None:
                injections.append(_inject(kind, r, previous, sub))
            if kind != "missing":
                reports.append(r)
            previous = r
    return Corpus(reports, injections)


def _scale_jump(r: Report, previous: Report) -> None:
    """Make sure 本年新收 is at least five times last year's (keeping every identity)."""
    req = r.tables.requests
    target = max(5 * previous.tables.requests["new_received"]["total"], 10)
    short = target - req["new_received"]["total"]
    if short > 0:
        for row in ("new_received", "granted", "processed_total"):
            req[row]["natural_person"] += short
            req[row]["total"] += short


def _inject(kind: str, r: Report, previous: Optional[Report], rng: random.Random) -> Injection:
    agency, year = r.meta.agency, r.meta.year
    req = r.tables.requests
    if kind == "identity":
        col = rng.choice(T.REQUEST_PARTS)
        delta = rng.randint(1, 9)
        req["new_received"][col] += delta
        path = T.rq("new_received", col)
        return Injection(kind, agency, year, [path], f"{path} +{delta}")
    if kind == "cross_year":
        delta = rng.randint(1, 9)
        for row in ("carried_over", "carried_forward"):
            req[row]["natural_person"] += delta
            req[row]["total"] += delta
        cells = [T.rq("carried_over", "natural_person"), T.rq("carried_over")]
        return Injection(kind, agency, year, cells, f"上年结转 +{delta}")
    if kind == "jump":
        path = T.rq("new_received")
        return Injection(kind, agency, year, [path], "本年新收 ×5 以上")
    if kind == "copy":
        assert previous is not None
        r.tables = copy.deepcopy(previous.tables)
        r.sections = copy.deepcopy(previous.sections)
        return Injection(kind, agency, year, [], f"复制{year - 1}年报告")
    if kind == "missing":
        return Injection(kind, agency, year, [], f"{year}年未发布报告")
    raise ValueError(kind)
