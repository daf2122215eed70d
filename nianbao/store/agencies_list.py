"""Listing the agencies of the corpus (``nianbao agencies``), with their place, kind, the names they
were printed under and their report years; ambiguous ones carry their candidate regions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import func, select

from . import schema as S
from .db import Store


@dataclass
class AgencyRow:
    id: int
    name: str
    kind: str | None
    placement: str  # placed | ambiguous | unplaced
    province: str | None
    city: str | None
    county: str | None
    township: str | None
    region_code: str | None
    reports: int
    years: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # every form printed in reports
    candidates: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return dict(self.__dict__)


def list_agencies(store: Store, *, placement: str | None = None, region: str | None = None) -> list[AgencyRow]:
    a, r = S.agencies, S.reports
    q = select(a).order_by(a.c.name, a.c.id)
    if placement:
        q = q.where(a.c.placement == placement)
    if region:
        q = q.where((a.c.province == region) | (a.c.city == region) | (a.c.county == region) | (a.c.township == region))
    with store.engine.connect() as conn:
        agencies = conn.execute(q).all()
        years: dict[int, set] = {}
        names: dict[int, set] = {}
        counts: dict[int, int] = {}
        for row in conn.execute(select(r.c.agency_id, r.c.year, r.c.agency_raw, func.count()).group_by(r.c.agency_id, r.c.year, r.c.agency_raw)):
            if row.agency_id is None:
                continue
            if row.year is not None:
                years.setdefault(row.agency_id, set()).add(row.year)
            if row.agency_raw:
                names.setdefault(row.agency_id, set()).add(row.agency_raw)
            counts[row.agency_id] = counts.get(row.agency_id, 0) + row[3]
    return [
        AgencyRow(
            id=x.id, name=x.name, kind=x.kind, placement=x.placement, province=x.province, city=x.city,
            county=x.county, township=x.township, region_code=x.region_code, reports=counts.get(x.id, 0),
            years=sorted(years.get(x.id, ())), names=sorted(names.get(x.id, ())),
            candidates=json.loads(x.candidates) if x.candidates else [],
        )
        for x in agencies
    ]


def resolve_agency(store: Store, agency: str | int, region_code: str) -> AgencyRow:
    """A person places an ambiguous (or unplaced) agency: ``region_code`` is the code of the region
    it belongs to (one of its candidates, or any region of the dataset). Later reports printed
    under the same name join the same agency and keep the place."""
    from sqlalchemy import update

    from ..errors import StoreError
    from .. import regions as R
    from .agencies import kind_of

    region = R.index().by_code.get(region_code)
    if region is None:
        raise StoreError(f"{region_code}: 行政区划代码不存在")
    a = S.agencies
    with store.engine.begin() as conn:
        q = select(a.c.id, a.c.name)
        q = q.where(a.c.id == agency) if isinstance(agency, int) else q.where(a.c.name == agency)
        rows = conn.execute(q).all()
        if len(rows) != 1:
            raise StoreError(f"{agency}: {'库中没有这个机关' if not rows else '名称对应多个机关，请用编号'}")
        chain = R.chain(region)
        conn.execute(
            update(a)
            .where(a.c.id == rows[0].id)
            .values(
                placement="placed",
                region_code=region.code,
                province=chain.get(R.PROVINCE),
                city=chain.get(R.CITY),
                county=chain.get(R.COUNTY),
                township=chain.get(R.TOWNSHIP),
                kind=kind_of(rows[0].name, region.level == R.TOWNSHIP),
                candidates=None,
            )
        )
        agency_id = rows[0].id
    return next(x for x in list_agencies(store) if x.id == agency_id)
