"""上传: one report, many, or a zip; each file is read, checked and stored, failures listed with
their reason (they are kept out of the report lists)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile

from dataclasses import replace

from ... import limits
from ...errors import FileTooLarge, NianbaoError, TooManyMembers, UnpackedTooLarge, UnsupportedFormat
from ...store.inputs import Input
from ...store import query as corpus
from .. import jobs
from ..pages import render
from ..security import check_form_csrf
from ..security import ALLOWED_SUFFIXES, ARCHIVE_SUFFIXES, MAX_FILE_BYTES, MAX_ZIP_MEMBERS, MAX_ZIP_UNPACKED

router = APIRouter()

STATUS_LABEL = {"new": "新入库", "unchanged": "已存在，未变化", "reparsed": "已重新读取", "duplicate": "同一报告的另一份文件，已并入", "failed": "失败"}


def _name(filename: str | None) -> str:
    # Browsers send a bare name, some a path: keep the last component only.
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or "未命名文件"


def _failed(path: str, exc: NianbaoError) -> Input:
    def read() -> bytes:
        raise exc

    return Input(path, read)


def _bytes(data: bytes) -> Input:
    return lambda: data  # noqa: E731


def inputs_of(name: str, data: bytes) -> list[Input]:
    """The files one upload holds: itself, or the members of a zip (bounded in number and size)."""
    suffix = PurePosixPath(name.lower()).suffix
    if len(data) > MAX_FILE_BYTES and suffix not in ARCHIVE_SUFFIXES:
        return [_failed(name, FileTooLarge(f"{name}: 文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限", name))]
    if suffix in ARCHIVE_SUFFIXES:
        return zip_inputs(name, data)
    if suffix and suffix not in ALLOWED_SUFFIXES:
        allowed = "、".join(s.lstrip(".") for s in ALLOWED_SUFFIXES + ARCHIVE_SUFFIXES)
        return [_failed(name, UnsupportedFormat(f"{name}: 不支持的文件类型“{suffix}”（可上传：{allowed}）", name))]
    return [Input(name, _bytes(data))]


def _upload_limits() -> limits.Limits:
    """The reading limits, with the upload caps of :mod:`..security` where they are lower."""
    now = limits.current()
    return replace(now, file_mb=min(now.file_mb, MAX_FILE_BYTES / limits.MB),
                   members=min(now.members, MAX_ZIP_MEMBERS))


def zip_inputs(name: str, data: bytes) -> list[Input]:
    """The members of an uploaded zip. Checked before anything is unpacked: the number of members,
    their total unpacked size, and each member's size and compression ratio as declared; while a
    member is unpacked (when its turn comes), its real size and ratio."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        return [_failed(name, NianbaoError(f"{name}: 不是有效的 zip 压缩包（{e}）", name))]
    if len(members) > MAX_ZIP_MEMBERS:
        return [_failed(name, TooManyMembers(f"{name}: 压缩包内文件超过 {MAX_ZIP_MEMBERS} 个", name))]
    if sum(m.file_size for m in members) > MAX_ZIP_UNPACKED:
        return [_failed(name, UnpackedTooLarge(f"{name}: 压缩包解压后超过 {MAX_ZIP_UNPACKED // (1024 ** 2)} MB", name))]
    bounds = _upload_limits()
    out: list[Input] = []
    for m in members:
        member = _member_name(m)
        base = member.rsplit("/", 1)[-1]
        if base.startswith(".") or member.startswith("__MACOSX/"):
            continue
        path = f"{name}!{member}"
        suffix = PurePosixPath(base.lower()).suffix
        if suffix in ARCHIVE_SUFFIXES or (suffix and suffix not in ALLOWED_SUFFIXES):
            out.append(_failed(path, UnsupportedFormat(f"{path}: 不支持的文件类型“{suffix}”", path)))
        elif m.file_size > MAX_FILE_BYTES:
            out.append(_failed(path, FileTooLarge(f"{path}: 文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB 上限", path)))
        else:
            try:
                limits.check_member(m, name, limits=bounds)  # declared size and ratio
            except NianbaoError as e:
                out.append(_failed(path, e))
                continue
            out.append(Input(path, _member_reader(archive, m, name, bounds)))
    return out


def _member_name(m: zipfile.ZipInfo) -> str:
    # Zips made on Chinese Windows store GBK names without the UTF-8 flag.
    if m.flag_bits & 0x800:
        return m.filename
    try:
        return m.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return m.filename


def _member_reader(archive: zipfile.ZipFile, m: zipfile.ZipInfo, name: str, bounds: limits.Limits):
    def read() -> bytes:
        # unpacked in chunks, stopped at the size limit or the ratio, whatever the header said
        return limits.read_member(archive, m, name, limits=bounds)

    return read


@router.get("/upload")
def upload_form(request: Request):
    return render(request, "upload.html", page="upload", results=None, recent_failures=corpus.failed_reports(request.app.state.store, limit=20))


@router.post("/upload")
def upload(request: Request, files: list[UploadFile] = File(default=[]), csrf: str = Form("")):
    check_form_csrf(request, csrf)  # a multipart form carries its CSRF token in the body
    store = request.app.state.store
    inputs: list[Input] = []
    for upload in files:
        name = _name(upload.filename)
        data = upload.file.read(MAX_FILE_BYTES * 8 + 1)
        if not data and not upload.filename:
            continue
        inputs.extend(inputs_of(name, data))
    if request.headers.get("hx-request"):
        return _progress(request, jobs.start(store, inputs))
    return render(request, "upload.html", **_outcome(jobs.run(store, inputs), store))


@router.get("/upload/jobs/{job_id}")
def job_progress(request: Request, job_id: str):
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(404, "上传任务不存在或已过期")
    return _progress(request, job)


def _progress(request: Request, job: jobs.Job):
    if job.finished:
        return render(request, "_upload_results.html", job=job, **_outcome(job.results, request.app.state.store))
    return render(request, "_upload_progress.html", job=job)


def _outcome(results, store) -> dict:
    return dict(
        counts=corpus.finding_counts(store, [r.report_id for r in results]),
        page="upload",
        results=results,
        status_label=STATUS_LABEL,
        failed=[r for r in results if r.status == "failed" or r.error],
        ok=[r for r in results if r.status != "failed" and not r.error],
    )
