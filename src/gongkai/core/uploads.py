"""The one upload validator (house rule 11). Every file field, staff and public, model and form, goes through it.

An app declares what a field accepts once, as an *upload kind*, at import time of its models or forms:

    from gongkai.core.uploads import UploadValidator, register_upload_kind

    register_upload_kind("consultation.comment_attachment", label=_("意见附件"),
                         types=["pdf", "jpg", "png"], max_bytes=5 * 1024 * 1024)

    class Comment(models.Model):
        attachment = models.FileField(upload_to=random_upload_to("consultation/comments"), blank=True,
                                      validators=[UploadValidator("consultation.comment_attachment")])

(or `forms.FileField(validators=[UploadValidator(...)])` on a form; `validate_upload(upload, kind)` in an action).
The system check `gongkai.E101` fails when a model file field of a gongkai app has no `UploadValidator` and is
editable (files the system writes itself — reply letters, seal images — are `editable=False`).

What the validator does, in this order, with a clear Chinese message for each refusal:
1. size: not empty, not above the kind's limit (`max_bytes`, else `GONGKAI_MAX_UPLOAD_BYTES`; the administrator
   can override any kind with `GONGKAI_UPLOAD_LIMITS`, a JSON object of kind → bytes);
2. the extension of the name must be one of the kind's types;
3. the type detected from the content by libmagic (python-magic) must be one the extension allows — an HTML page
   renamed .pdf, a PNG header in front of a script, a GIF in a .jpg field are refused;
4. the content must open with the library that reads that format: pypdf for PDF (at least one page), Pillow for
   images, the zip directory of OOXML/OFD/zip files with their required part — so a file that only *starts* like a
   PDF (the `%PDF` + HTML polyglot) is refused;
5. the name is made safe: no directories (`../`, `C:\\`), no control or reserved characters, at most 100
   characters, and the extension that belongs to the detected type.
HTML, SVG, XML and scripts are never accepted for a stored field (`stored=True`): only forms that read a file and
throw it away (document parsing) may take HTML.

Why libmagic: it is Debian's `file` (maintained, in every distribution, works offline) and, unlike signature-only
libraries (filetype, puremagic), tells HTML, XML and SVG from plain text.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

HEAD_BYTES = 64 * 1024
MAX_NAME_CHARS = 100


# --- file types -------------------------------------------------------------------------------------------------


def _verify_pdf(data: bytes) -> bool:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return True  # an encrypted PDF cannot be opened here; its structure was read
        return len(reader.pages) >= 1
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        return False


def _verify_image(expected: str) -> Callable[[bytes], bool]:
    def verify(data: bytes) -> bool:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(io.BytesIO(data)) as img:
                if img.format != expected:
                    return False
                img.verify()
            return True
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            return False

    return verify


def _verify_zip(required: Iterable[str] = ()) -> Callable[[bytes], bool]:
    required = tuple(required)

    def verify(data: bytes) -> bool:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return all(any(n == r or n.endswith("/" + r) for n in names) for r in required)

    return verify


def _verify_text(data: bytes) -> bool:
    if b"\x00" in data[:HEAD_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    from charset_normalizer import from_bytes

    return from_bytes(data[: 1024 * 1024]).best() is not None


@dataclasses.dataclass(frozen=True)
class FileType:
    key: str  # also the canonical extension
    label: str
    mimes: tuple[str, ...]  # what libmagic may report for it
    content_type: str  # what it is served as
    extensions: tuple[str, ...] = ()
    verify: Callable[[bytes], bool] | None = None
    dangerous: bool = False  # may run script in a browser: never accepted for a stored field

    @property
    def all_extensions(self) -> tuple[str, ...]:
        return (self.key, *self.extensions)


_OLE = ("application/msword", "application/vnd.ms-excel", "application/vnd.ms-office", "application/CDFV2",
        "application/x-ole-storage", "application/vnd.ms-works")  # fmt: skip
_ZIP = ("application/zip", "application/x-zip-compressed")

FILE_TYPES: dict[str, FileType] = {
    t.key: t
    for t in [
        FileType("pdf", "PDF", ("application/pdf",), "application/pdf", verify=_verify_pdf),
        FileType("doc", "Word 97-2003", _OLE, "application/msword"),
        FileType("wps", "WPS 文字", _OLE, "application/vnd.ms-works"),
        FileType(
            "docx",
            "Word",
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", *_ZIP),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            verify=_verify_zip(["[Content_Types].xml", "word/document.xml"]),
        ),
        FileType("xls", "Excel 97-2003", _OLE, "application/vnd.ms-excel"),
        FileType(
            "xlsx",
            "Excel",
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", *_ZIP),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            verify=_verify_zip(["[Content_Types].xml", "xl/workbook.xml"]),
        ),
        FileType("ofd", "OFD", _ZIP, "application/ofd", verify=_verify_zip(["OFD.xml"])),
        FileType("zip", "ZIP", _ZIP, "application/zip", verify=_verify_zip()),
        FileType("txt", "文本", ("text/plain",), "text/plain; charset=utf-8", verify=_verify_text),
        FileType("csv", "CSV", ("text/csv", "text/plain", "application/csv"), "text/csv; charset=utf-8",
                 verify=_verify_text),
        FileType("md", "Markdown", ("text/plain", "text/markdown"), "text/plain; charset=utf-8", verify=_verify_text),
        FileType("jpg", "JPEG", ("image/jpeg",), "image/jpeg", ("jpeg",), verify=_verify_image("JPEG")),
        FileType("png", "PNG", ("image/png",), "image/png", verify=_verify_image("PNG")),
        FileType("mp3", "MP3", ("audio/mpeg", "audio/mp3"), "audio/mpeg"),
        FileType("m4a", "M4A", ("audio/mp4", "audio/x-m4a", "video/mp4"), "audio/mp4"),
        FileType("mp4", "MP4", ("video/mp4", "video/x-m4v"), "video/mp4"),
        FileType("webm", "WebM", ("video/webm", "audio/webm"), "video/webm"),
        FileType("html", "HTML", ("text/html", "text/xml", "application/xhtml+xml"), "text/html", ("htm",), dangerous=True),
    ]
}  # fmt: skip

# Types a browser may show inline (with nosniff and a sandboxing CSP); everything else is served as a download.
INLINE_CONTENT_TYPES = frozenset(
    {"application/pdf", "image/jpeg", "image/png", "audio/mpeg", "audio/mp4", "video/mp4", "video/webm"}
)


def type_for_name(name: str) -> FileType | None:
    ext = os.path.splitext(name or "")[1].lower().lstrip(".")
    for file_type in FILE_TYPES.values():
        if ext in file_type.all_extensions:
            return file_type
    return None


def content_type_for_name(name: str) -> str:
    """The type a stored file is served as: from its (validated, canonical) extension; unknown → a download."""
    file_type = type_for_name(name)
    return file_type.content_type if file_type and not file_type.dangerous else "application/octet-stream"


def is_inline_safe(content_type: str) -> bool:
    return content_type.split(";")[0].strip() in INLINE_CONTENT_TYPES


# --- upload kinds ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class UploadKind:
    name: str
    label: str
    types: tuple[str, ...]
    max_bytes: int | None = None
    stored: bool = True

    @property
    def limit(self) -> int:
        configured = (getattr(settings, "GONGKAI_UPLOAD_LIMITS", None) or {}).get(self.name)
        if configured:
            return int(configured)
        return int(self.max_bytes or settings.GONGKAI_MAX_UPLOAD_BYTES)

    @property
    def extensions(self) -> list[str]:
        return [ext for key in self.types for ext in FILE_TYPES[key].all_extensions]

    @property
    def accept(self) -> str:
        """For `<input type=file accept=…>`."""
        return ",".join(f".{e}" for e in self.extensions)

    def help_text(self) -> str:
        return _("支持 %(types)s，不超过 %(mb)s MB") % {
            "types": "、".join(FILE_TYPES[k].key.upper() for k in self.types),
            "mb": _megabytes(self.limit),
        }


_KINDS: dict[str, UploadKind] = {}


def register_upload_kind(name: str, *, label, types: Iterable[str], max_bytes: int | None = None,
                         stored: bool = True) -> UploadKind:  # fmt: skip
    """Declares what a file field accepts. `types` are keys of `FILE_TYPES`. Idempotent for the same values."""
    types = tuple(dict.fromkeys(t.lower().lstrip(".") for t in types))
    unknown = [t for t in types if t not in FILE_TYPES and t != "jpeg"]
    if unknown:
        raise ValueError(f"upload kind {name!r}: unknown file types {unknown}")
    types = tuple(dict.fromkeys("jpg" if t == "jpeg" else t for t in types))
    if stored and any(FILE_TYPES[t].dangerous for t in types):
        raise ValueError(f"upload kind {name!r}: HTML/SVG/XML/scripts may not be stored")
    kind = UploadKind(name, str(label), types, max_bytes, stored)
    _KINDS[name] = kind
    return kind


def get_kind(name: str) -> UploadKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"unknown upload kind {name!r}: declare it with register_upload_kind()") from None


def registered_kinds() -> dict[str, UploadKind]:
    return dict(_KINDS)


# --- validation -----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ValidatedUpload:
    file_type: FileType
    detected: str
    safe_name: str

    @property
    def content_type(self) -> str:
        return self.file_type.content_type


_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]')


def safe_filename(name: str, extension: str | None = None) -> str:
    """A name that is safe to store and to send in Content-Disposition: the last path component only, no control
    or reserved characters, at most `MAX_NAME_CHARS`, with `extension` (canonical) when given."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE_CHARS.sub("", name).strip().strip(".").strip()
    stem, ext = os.path.splitext(name)
    ext = (extension or ext.lstrip(".")).lower()
    stem = re.sub(r"\s+", " ", stem).strip(" .") or "file"
    stem = stem[: MAX_NAME_CHARS - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def _megabytes(size: int) -> str:
    mb = size / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 10 or mb == int(mb) else f"{mb:.1f}"


def _size_of(upload) -> int | None:
    size = getattr(upload, "size", None)
    if size is None:
        try:
            pos = upload.tell()
            upload.seek(0, os.SEEK_END)
            size = upload.tell()
            upload.seek(pos)
        except (AttributeError, OSError):
            return None
    return size


def _read_all(upload, limit: int) -> bytes:
    try:
        upload.seek(0)
    except (AttributeError, OSError):
        pass
    data = upload.read(limit + 1)
    try:
        upload.seek(0)
    except (AttributeError, OSError):
        pass
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data


def detect_mime(data: bytes) -> str:
    import magic

    return magic.from_buffer(data[:HEAD_BYTES], mime=True) or "application/octet-stream"


def validate_upload(upload, kind: str | UploadKind) -> ValidatedUpload:
    """Checks an uploaded file for `kind` (see the module docstring); raises ValidationError in Chinese. On success
    the upload's name is replaced by its safe name and the result says what the file is."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    original = os.path.basename(re.split(r"[/\\]", str(getattr(upload, "name", "") or ""))[-1]) or "file"
    shown = safe_filename(original)[:60]
    size = _size_of(upload)
    limit = kind.limit
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件") % {"name": shown}, code="empty")
    if size is not None and size > limit:
        raise ValidationError(
            _("“%(name)s”过大（%(size)s MB），%(label)s不能超过 %(limit)s MB")
            % {"name": shown, "size": _megabytes(size), "label": kind.label, "limit": _megabytes(limit)},
            code="too_large",
        )
    ext = os.path.splitext(original)[1].lower().lstrip(".")
    file_type = next((FILE_TYPES[k] for k in kind.types if ext in FILE_TYPES[k].all_extensions), None)
    if file_type is None:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”：%(label)s只接受 %(types)s")
            % {
                "ext": ext or _("无扩展名"),
                "label": kind.label,
                "types": "、".join(k.upper() for k in kind.types),
            },
            code="bad_extension",
        )
    data = _read_all(upload, limit)
    if not data:
        raise ValidationError(_("“%(name)s”是空文件") % {"name": shown}, code="empty")
    if len(data) > limit:
        raise ValidationError(
            _("“%(name)s”过大，%(label)s不能超过 %(limit)s MB")
            % {"name": shown, "label": kind.label, "limit": _megabytes(limit)},
            code="too_large",
        )
    detected = detect_mime(data)
    mismatch = ValidationError(
        _("“%(name)s”的内容不是真正的 %(type)s 文件（检测为 %(detected)s），请上传真实的文件")
        % {"name": shown, "type": file_type.label, "detected": detected},
        code="content_mismatch",
    )
    if detected not in file_type.mimes:
        raise mismatch
    if file_type.verify is not None and not file_type.verify(data):
        raise mismatch
    safe = safe_filename(original, file_type.key)
    try:
        upload.name = safe
    except AttributeError:
        pass
    return ValidatedUpload(file_type, detected, safe)


@deconstructible
class UploadValidator:
    """A field validator for `kind`. On a model field it checks new uploads only (a stored file was checked when
    it came in); on a form field it checks the uploaded file."""

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value):
        if value is None or value is False:
            return
        upload = value
        if hasattr(value, "field") and hasattr(value, "storage"):  # a FieldFile
            if getattr(value, "_committed", True):
                return
            upload = value.file
            validated = validate_upload(upload, self.kind)
            value.name = validated.safe_name
            return
        validate_upload(upload, self.kind)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and other.kind == self.kind

    def __hash__(self):
        return hash(("UploadValidator", self.kind))


def random_upload_to(prefix: str):
    """An `upload_to` that stores files as `<prefix>/<year>/<month>/<random>.<ext>`: names nobody can guess, no
    directories or characters from the uploader. Deconstructible, so migrations can refer to it."""
    return RandomUploadTo(prefix)


@deconstructible
class RandomUploadTo:
    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename):
        ext = os.path.splitext(safe_filename(filename))[1].lower()
        return f"{self.prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"

    def __eq__(self, other):
        return isinstance(other, RandomUploadTo) and other.prefix == self.prefix

    def __hash__(self):
        return hash(("RandomUploadTo", self.prefix))
