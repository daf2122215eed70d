"""Legacy Word ``.doc`` and Kingsoft ``.wps`` files, through LibreOffice headless.

LibreOffice converts them to DOCX (Kingsoft ``.wps`` is built on the MS DOC binary format, so
LibreOffice opens it too), which :mod:`.docx` then reads. Each call gets its own LibreOffice
profile (``-env:UserInstallation``) so that parallel conversions do not lock each other out.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ConverterUnavailable, CorruptFile
from .document import Document
from .docx import read_docx

TIMEOUT_SECONDS = 120


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(data: bytes, path: str = "", soffice: str | None = None) -> bytes:
    """Convert legacy .doc/.wps bytes to DOCX bytes with LibreOffice headless."""
    soffice = soffice or find_soffice()
    if not soffice:
        raise ConverterUnavailable(
            f"{path or '文件'}: 旧版 Word（.doc）或 WPS 文件需要 LibreOffice 才能读取，本机未安装；"
            "请安装 LibreOffice（如 apt install libreoffice-writer-nogui），或将文件另存为 DOCX/PDF 后再读取"
            " (LibreOffice not found)",
            path,
        )
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "input.doc"
        src.write_bytes(data)
        profile = (tmpdir / "profile").as_uri()
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(tmpdir / "out"), str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as e:
            raise CorruptFile(f"{path or '文件'}: LibreOffice 转换超时（{TIMEOUT_SECONDS} 秒） (conversion timed out)", path) from e
        except OSError as e:
            raise ConverterUnavailable(f"{path or '文件'}: 无法运行 LibreOffice ({e})", path) from e
        out = tmpdir / "out" / "input.docx"
        if not out.exists() or out.stat().st_size == 0:
            raise CorruptFile(f"{path or '文件'}: 旧版 Word/WPS 文件无法转换，可能已损坏 (LibreOffice could not convert it)", path)
        return out.read_bytes()


def read_legacy(data: bytes, path: str = "") -> Document:
    doc = read_docx(convert_to_docx(data, path), path)
    doc.reader = "legacy-doc"
    doc.notes.append("converted from legacy .doc/.wps by LibreOffice")
    return doc
