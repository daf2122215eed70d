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


class LimitExceeded(NianbaoError):
    """A file over one of the reading limits of :mod:`nianbao.limits` (the message names the file,
    the limit and the environment variable that changes it)."""

    code = "limit_exceeded"


class FileTooLarge(LimitExceeded):
    code = "file_too_large"


class NotRegularFile(NianbaoError):
    """A device, a FIFO, a socket: only regular files are read."""

    code = "not_regular_file"


class TimeLimitExceeded(LimitExceeded):
    code = "time_limit"


class TooManyPages(LimitExceeded):
    code = "too_many_pages"


class UnpackedTooLarge(LimitExceeded):
    """A zip member or a DOCX that unpacks to more than the limit."""

    code = "unpacked_too_large"


class CompressionRatio(LimitExceeded):
    """A zip member or a DOCX part compressed more than any report is: a zip bomb."""

    code = "compression_ratio"


class TooManyMembers(LimitExceeded):
    code = "too_many_members"


class TextTooLarge(LimitExceeded):
    """An HTML page, a text file or a DOCX body larger than the limit."""

    code = "text_too_large"


class NestingTooDeep(LimitExceeded):
    code = "nesting_too_deep"


class GridTooLarge(LimitExceeded):
    """Tables whose cells, once row and column spans are expanded, are more than the limit."""

    code = "grid_too_large"


class ImageTooLarge(LimitExceeded):
    """An image (or a page to render for OCR) of more pixels than the limit."""

    code = "image_too_large"


class LimitConfigError(NianbaoError):
    """A limit set by the user (environment variable or option) that is not a positive number."""

    code = "bad_limit"


class StoreError(NianbaoError):
    code = "store_error"
