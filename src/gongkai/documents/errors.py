"""The one error the document parsers raise for input they cannot read."""

from __future__ import annotations


def translate(message: str, **params) -> str:
    """gettext when Django is configured (messages are translatable, named placeholders), the Chinese source
    otherwise (scripts, the benchmark)."""
    try:
        from django.utils.translation import gettext

        message = gettext(message)
    except Exception:  # settings not configured
        pass
    return message % params if params else message


class DocumentError(ValueError):
    """A file (or text) that cannot be turned into a document. `str(error)` is a Chinese message naming the
    file and the reason; `reason` is a short English code for programs (`empty`, `encrypted`, `scanned`,
    `too_large`, `unsupported_type`, `wrong_extension`, `corrupt`, `encoding`, `no_content`, `not_found`,
    `not_a_file`, `unreadable`)."""

    def __init__(self, filename: str, reason: str, message: str, **params):
        self.filename = filename or translate("（未命名文件）")
        self.reason = reason
        self.detail = translate(message, **params)
        super().__init__(
            translate("文件“%(name)s”无法读取：%(detail)s", name=self.filename, detail=self.detail)
        )
