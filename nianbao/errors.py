"""Every error nianbao raises on bad input, with a stable code and a message naming the problem.

The CLI and the web app turn these into the ``{"error": {"code", "message"}}`` object of the spec
(one place each: ``cli/common.py`` and ``serve/app.py``).
"""

from __future__ import annotations


class NianbaoError(Exception):
    """Base class. ``code`` is stable and machine-readable; ``message`` is for a person."""

    code = "error"

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class EmptyFile(NianbaoError):
    code = "empty_file"


class UnsupportedFormat(NianbaoError):
    code = "unsupported_format"


class CorruptFile(NianbaoError):
    code = "corrupt_file"


class EncryptedFile(NianbaoError):
    code = "encrypted_file"


class NotAReport(NianbaoError):
    code = "not_a_report"


class OcrUnavailable(NianbaoError):
    """A scanned document needs the OCR extra, which is not installed."""

    code = "ocr_unavailable"


class ConverterUnavailable(NianbaoError):
    """A legacy .doc/.wps file needs LibreOffice, which is not on this machine."""

    code = "converter_unavailable"


class FileTooLarge(NianbaoError):
    code = "file_too_large"


class StoreError(NianbaoError):
    code = "store_error"
