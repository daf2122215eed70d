"""The official format as PDF: the DOCX converted by LibreOffice (``soffice --headless``), found
on the PATH at run time. Without LibreOffice the command says what is missing and how to get it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import NianbaoError

MISSING = (
    "无法生成 PDF：未找到 LibreOffice（soffice 命令）。请安装 LibreOffice 后重试"
    "（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），"
    "或改用 --to docx 输出 Word 文件后自行转换。"
)


class LibreOfficeMissing(NianbaoError):
    code = "libreoffice_missing"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, timeout: float = 180) -> bytes:
    return docx_to_pdf_many([docx], timeout)[0]


def docx_to_pdf_many(documents: list[bytes], timeout: float = 300) -> list[bytes]:
    """Several DOCX files converted in one LibreOffice run (it starts slowly: seconds per run)."""
    exe = soffice()
    if exe is None:
        raise LibreOfficeMissing(MISSING)
    with tempfile.TemporaryDirectory(prefix="nianbao-pdf-") as tmp:
        work = Path(tmp)
        sources = []
        for i, data in enumerate(documents):
            src = work / f"report{i}.docx"
            src.write_bytes(data)
            sources.append(src)
        profile = work / "profile"  # a private profile: runs in parallel never share a lock
        try:
            proc = subprocess.run(
                [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                 "--outdir", str(work), *map(str, sources)],
                capture_output=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired as e:
            raise NianbaoError(f"LibreOffice 转换 PDF 超时（{timeout:.0f} 秒）") from e
        outs = [src.with_suffix(".pdf") for src in sources]
        if proc.returncode != 0 or not all(o.exists() for o in outs):
            detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip()[:300]
            raise NianbaoError(f"LibreOffice 未能把报告转换为 PDF（退出码 {proc.returncode}）：{detail}")
        return [o.read_bytes() for o in outs]
