"""The one error the document parsers raise for input they cannot read."""

from __future__ import annotations


class DocumentError(ValueError):
    """A file (or text) that cannot be turned into a document. `str(error)` is a Chinese message naming the
    file and the reason; `reason` is a short English code for programs (`empty`, `encrypted`, `scanned`,
    `too_large`, `unsupported_type`, `corrupt`, `encoding`, `no_content`)."""

    def __init__(self, filename: str, reason: str, message: str):
        self.filename = filename or "（未命名文件）"
        self.reason = reason
        self.detail = message
        super().__init__(f"文件“{self.filename}”无法读取：{message}")
