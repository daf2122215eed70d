"""The files an ingest reads: plain files, folders (recursive, in sorted path order) and zip archives
(their members in archive order), in argument order.

Each input is read only when its turn comes (a batch of 10^5 files is never held in memory).
A zip member's path is ``archive.zip!member/name.html``.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .. import limits
from ..errors import CorruptFile, NianbaoError

ZIP_SEP = "!"
_SKIP_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class Input:
    path: str
    read: Callable[[], bytes]  # raises NianbaoError


def _file_reader(p: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        return limits.read_file(p)  # regular files only, at most the size limit

    return read


class _Archive:
    """A zip opened once for all its members (reopened if its inputs outlive the listing)."""

    def __init__(self, path: Path, z: zipfile.ZipFile):
        self.path, self.z = path, z

    def get(self) -> zipfile.ZipFile:
        if self.z.fp is None:
            try:
                self.z = zipfile.ZipFile(self.path)
            except (OSError, zipfile.BadZipFile, ValueError) as e:
                raise CorruptFile(f"{self.path}: 压缩包已损坏，无法打开 ({e})", str(self.path)) from e
        return self.z


def _member_reader(archive: _Archive, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        return limits.read_member(archive.get(), info, str(archive.path))  # bounded, ratio-checked as it unpacks

    return read


def _fail(path: str, exc: NianbaoError) -> Callable[[], bytes]:
    def read() -> bytes:
        raise exc

    return read


def _skip(name: str) -> bool:
    base = os.path.basename(name)
    return base.startswith(".") or base in _SKIP_NAMES or base.startswith("__MACOSX")


def _zip_inputs(p: Path) -> Iterator[Input]:
    """The members of a zip, in archive order (its central directory, as spec §1 says: the order its
    maker wrote them in, not sorted). The archive is opened once and stays open while its members
    are read; it is refused whole when it has too many members, and a member when it unpacks too
    large or too compressed."""
    try:
        z = zipfile.ZipFile(p)
    except (OSError, zipfile.BadZipFile, ValueError) as e:
        yield Input(str(p), _fail(str(p), CorruptFile(f"{p}: 压缩包已损坏，无法打开 ({e})", str(p))))
        return
    archive = _Archive(p, z)
    try:
        members = [i for i in z.infolist() if not i.is_dir()]
        if len(members) > limits.current().members:
            limits.check_archive(z, str(p))
    except NianbaoError as e:
        yield Input(str(p), _fail(str(p), e))
        return
    for info in members:
        name = info.filename
        if _skip(name) or "__MACOSX/" in name:
            continue
        path = f"{p}{ZIP_SEP}{name}"
        try:
            limits.check_member(info, str(p))  # its declared size and ratio, before unpacking
        except NianbaoError as e:
            yield Input(path, _fail(path, e))
            continue
        yield Input(path, _member_reader(archive, info))


def _one(p: Path) -> Iterator[Input]:
    if p.suffix.lower() == ".zip" and zipfile.is_zipfile(p):
        yield from _zip_inputs(p)
    else:
        yield Input(str(p), _file_reader(p))


def _special(p: Path) -> Input:
    """A path that exists but is not a regular file or folder (a device, a FIFO, a socket)."""
    try:
        mode = p.stat().st_mode
    except OSError as e:
        return Input(str(p), _fail(str(p), NianbaoError(f"{p}: 无法读取文件 ({e.strerror or e})", str(p))))
    return Input(str(p), _fail(str(p), limits.not_regular(str(p), mode)))


def expand(paths: list[str | os.PathLike]) -> Iterator[Input]:
    """Every file under the given paths, in argument order (folders sorted, recursively).

    Devices, FIFOs and sockets (given, or met in a folder) are listed as failed, never opened."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for sub in sorted(p.rglob("*")):
                if _skip(sub.name) or any(part.startswith(".") for part in sub.relative_to(p).parts):
                    continue
                if sub.is_file():
                    yield from _one(sub)
                elif sub.exists() and not sub.is_dir():
                    yield _special(sub)
        elif p.is_file():
            yield from _one(p)
        elif p.exists():
            yield _special(p)
        else:
            yield Input(str(p), _fail(str(p), NianbaoError(f"{p}: 文件或目录不存在", str(p))))
