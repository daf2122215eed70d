"""The files an ingest reads: plain files, folders (recursive) and zip archives, in a stable order.

Each input is read only when its turn comes (a batch of 10^5 files is never held in memory).
A zip member's path is ``archive.zip!member/name.html``.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from ..errors import CorruptFile, NianbaoError

ZIP_SEP = "!"
_SKIP_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class Input:
    path: str
    read: Callable[[], bytes]  # raises NianbaoError


def _file_reader(p: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            return p.read_bytes()
        except OSError as e:
            raise NianbaoError(f"{p}: 无法读取文件 ({e.strerror or e})", str(p)) from e

    return read


def _zip_reader(archive: Path, member: str) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            with zipfile.ZipFile(archive) as z:
                return z.read(member)
        except (OSError, zipfile.BadZipFile, KeyError, RuntimeError) as e:
            raise CorruptFile(f"{archive}{ZIP_SEP}{member}: 无法从压缩包读取 ({e})", f"{archive}{ZIP_SEP}{member}") from e

    return read


def _fail(path: str, exc: NianbaoError) -> Callable[[], bytes]:
    def read() -> bytes:
        raise exc

    return read


def _skip(name: str) -> bool:
    base = os.path.basename(name)
    return base.startswith(".") or base in _SKIP_NAMES or base.startswith("__MACOSX")


def _zip_inputs(p: Path) -> Iterator[Input]:
    try:
        with zipfile.ZipFile(p) as z:
            names = sorted(i.filename for i in z.infolist() if not i.is_dir())
    except (OSError, zipfile.BadZipFile) as e:
        yield Input(str(p), _fail(str(p), CorruptFile(f"{p}: 压缩包已损坏，无法打开 ({e})", str(p))))
        return
    for name in names:
        if _skip(name) or "__MACOSX/" in name:
            continue
        yield Input(f"{p}{ZIP_SEP}{name}", _zip_reader(p, name))


def _one(p: Path) -> Iterator[Input]:
    if p.suffix.lower() == ".zip" and zipfile.is_zipfile(p):
        yield from _zip_inputs(p)
    else:
        yield Input(str(p), _file_reader(p))


def expand(paths: list[str | os.PathLike]) -> Iterator[Input]:
    """Every file under the given paths, in argument order (folders sorted, recursively)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for sub in sorted(p.rglob("*")):
                if sub.is_file() and not _skip(sub.name) and not any(part.startswith(".") for part in sub.relative_to(p).parts):
                    yield from _one(sub)
        elif p.is_file():
            yield from _one(p)
        else:
            yield Input(str(p), _fail(str(p), NianbaoError(f"{p}: 文件或目录不存在", str(p))))
