"""What every list page shares (年报列表, 问题, 覆盖, 排名): the ``sort``, ``dir``, ``page`` and
``format`` parameters, read and validated in one place; the URL of the same list with one thing
changed (a header's sort link, the pager, a download); and the answer in the format asked for.

- ``sort`` is a column key of the list, ``dir`` is ``asc`` or ``desc`` (empty: the column's own
  default), ``page`` a positive integer, ``format`` one of ``json``, ``csv``, ``xlsx`` (empty: the
  page). A bad value is refused with :class:`BadParameter` (400): the app's Chinese error page, or
  the ``{"error": {"code", "message"}}`` object when JSON was asked for.
- ``?format=json`` is the page as shown: ``{"total", "page", "pages", "sort", "dir", "items",
  "next"}``; ``csv`` and ``xlsx`` are every row of the filters in the same order (not only the page),
  with the columns of the table, headers in Chinese.
- A list page answers a plain request and an htmx history restore with the whole page; an htmx
  request that targets the list's own block gets that block only (the pager and the headers swap it
  and push the URL, so Back and Forward work).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from .params import BadParameter, integer

LIST = ("sort", "dir", "page", "format")  # what every list takes (with ``@takes(*LIST)``)
FORMATS = ("json", "csv", "xlsx")
MAX_PAGE = 10**6
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Column:
    """A column of a list: its key (the ``sort`` value and the JSON key), its Chinese header,
    whether it can be sorted, and the direction a first click sorts it (numbers and dates: the
    largest first)."""

    key: str
    label: str
    sortable: bool = True
    first_desc: bool = False
    numeric: bool = False


@dataclass
class ListParams:
    sort: str
    desc: bool
    page: int
    format: str  # "" for the page
    per_page: int
    columns: Sequence[Column] = field(default_factory=tuple)
    explicit_dir: bool = False

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def everything(self) -> bool:
        """CSV and Excel carry every row of the filters, not only the page."""
        return self.format in ("csv", "xlsx")


def list_params(request: Request, columns: Sequence[Column], default_sort: str, *, per_page: int = 100,
                default_desc: Optional[bool] = None) -> ListParams:
    """The list parameters of the query string, validated; raises :class:`BadParameter`."""
    from .warm import ensure

    ensure(request.app)  # keep the lists' first pages ready after the corpus changes
    q = request.query_params
    keys = [c.key for c in columns if c.sortable]
    sort = q.get("sort", "").strip() or default_sort
    if sort not in keys:
        raise BadParameter(f"参数“sort”的值“{sort[:40]}”无效，可按以下列排序：{'、'.join(keys)}")
    direction = q.get("dir", "").strip()
    if direction not in ("", "asc", "desc"):
        raise BadParameter(f"参数“dir”应为 asc（升序）或 desc（降序），而不是“{direction[:20]}”")
    page = integer(q.get("page"), "page", 1, MAX_PAGE, default=1, what="正整数（页码）")
    fmt = q.get("format", "").strip()
    if fmt and fmt not in FORMATS:
        raise BadParameter(f"参数“format”应为 {'、'.join(FORMATS)} 之一，而不是“{fmt[:20]}”")
    column = next(c for c in columns if c.key == sort)
    if direction:
        desc = direction == "desc"
    elif sort == default_sort and default_desc is not None:
        desc = default_desc
    else:
        desc = column.first_desc
    return ListParams(sort=sort, desc=desc, page=page, format=fmt, per_page=per_page, columns=columns,
                      explicit_dir=bool(direction))


def pages_of(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def url_of(request: Request, **change: Any) -> str:
    """The current list's URL with some parameters changed (an empty value or ``page=1`` drops
    the parameter): ``url_of(request, sort="year", dir="desc", page=1)``."""
    values = {k: v for k, v in request.query_params.multi_items()}
    values.pop("format", None)
    values.update({k: v for k, v in change.items()})
    kept = {k: v for k, v in values.items() if v not in ("", None) and not (k == "page" and str(v) == "1")}
    return request.url.path + ("?" + urlencode(kept) if kept else "")


def sort_url(request: Request, params: ListParams, column: Column) -> str:
    """The header link of a column: sorts by it, or reverses the order when it is already sorted."""
    if column.key == params.sort:
        desc = not params.desc
    else:
        desc = column.first_desc
    return url_of(request, sort=column.key, dir="desc" if desc else "asc", page=1)


def download_url(request: Request, fmt: str) -> str:
    url = url_of(request, page=1)
    return url + ("&" if "?" in url else "?") + "format=" + fmt


def is_fragment_request(request: Request, target: str) -> bool:
    """An htmx request for the list's block only (never a history restore: that gets the page)."""
    h = request.headers
    return bool(h.get("hx-request")) and h.get("hx-target") == target and not h.get("hx-history-restore-request")


def html_headers(response: Response, fragment: bool) -> Response:
    response.headers["Vary"] = "HX-Request, HX-Target, HX-History-Restore-Request"
    if fragment:
        response.headers["Cache-Control"] = "no-store"
    return response


def json_page(request: Request, params: ListParams, total: int, items: list, **extra: Any) -> JSONResponse:
    """The page as JSON: ``{"total", "page", "pages", "sort", "dir", "items", "next"}``."""
    pages = pages_of(total, params.per_page)
    nxt = None
    if params.page < pages:
        nxt = str(request.base_url).rstrip("/") + download_url_page(request, params.page + 1)
    body = {"total": total, "page": params.page, "pages": pages, "sort": params.sort,
            "dir": "desc" if params.desc else "asc", **extra, "items": items, "next": nxt}
    from fastapi.encoders import jsonable_encoder

    return JSONResponse(jsonable_encoder(body))


def download_url_page(request: Request, page: int) -> str:
    url = url_of(request, page=page)
    return url + ("&" if "?" in url else "?") + "format=json"


def table_file(params: ListParams, columns: Sequence[Column], rows: Iterable[dict], name: str, ascii_name: str,
               value: Callable[[dict, str], Any] | None = None) -> Response:
    """Every row as CSV (streamed as it is read) or Excel (written to a temporary file with bounded
    memory, then streamed), the columns of the table with their Chinese headers."""
    import os
    import tempfile

    from starlette.background import BackgroundTask

    from ..store.export import write_xlsx
    from .downloads import csv_chunks, file_chunks

    get = value or (lambda row, key: row.get(key))
    header = [c.label for c in columns]
    body_rows = ([get(row, c.key) for c in columns] for row in rows)
    fname = f"{name}.{params.format}"
    headers = {"Content-Disposition": f"attachment; filename={ascii_name}.{params.format}; filename*=UTF-8''{quote(fname)}"}
    if params.format == "csv":  # with a BOM: Excel on Chinese Windows reads UTF-8
        return StreamingResponse(csv_chunks(header, body_rows), media_type=MEDIA["csv"], headers=headers)
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="nianbao-list-")
    os.close(fd)
    try:
        write_xlsx(path, name[:31], header, body_rows, wide={0})
    except BaseException:
        os.unlink(path)
        raise
    return StreamingResponse(file_chunks(path), media_type=MEDIA["xlsx"], headers=headers,
                             background=BackgroundTask(os.unlink, path))


def in_chunks(fetch: Callable[[int, int], list], total: int, size: int = 1000):
    """Every row of a list, fetched ``size`` at a time: ``fetch(limit, offset)``."""
    for offset in range(0, total, size):
        yield from fetch(size, offset)


def list_context(request: Request, params: ListParams, total: int) -> dict:
    """What ``_list.html``'s macros need: the parameters, the page count and the URL makers."""
    return {
        "params": params, "total": total, "pages": pages_of(total, params.per_page),
        "url": lambda **change: url_of(request, **change),
        "sort_url": lambda column: sort_url(request, params, column),
        "download": lambda fmt: download_url(request, fmt),
    }
