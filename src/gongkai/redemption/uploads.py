"""Enterprise dataset files: where they are kept and the one check every upload of one passes.

Datasets hold enterprise data (credit codes, turnover, employees; for 个体工商户 a person's name), so the file is
kept in the project's private storage (`core.storage.PrivateStorage`, `GONGKAI_PRIVATE_MEDIA_ROOT`), never in the
public one, and is downloaded only through the permission-checked admin view. The content check below is the
dataset's own (CSV is not a type of `core.uploads`): these two functions are the only places the app touches
storage or checks uploads.
"""

from __future__ import annotations

import os
import re
import uuid
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.utils import timezone
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = ("xlsx", "csv")


def dataset_storage():
    """The project's private storage (`STORAGES["default"]`, `core.storage.PrivateStorage`); a callable, so
    migrations do not freeze it."""
    return storages["default"]


def dataset_upload_to(instance, filename):
    ext = os.path.splitext(filename)[1].lower()
    # An unguessable name; the original name is kept in the record, never in the path.
    return f"redemption/datasets/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


def safe_display_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "", base).strip(" .")
    return base[:200] or "dataset"


def validate_dataset_upload(file) -> None:
    """Type by extension AND content (an .xlsx must be an Office Open XML workbook, a .csv plain text without
    NUL bytes and not HTML), not empty, within `GONGKAI_MAX_DATASET_BYTES`."""
    name = getattr(file, "name", "") or ""
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("只支持 .xlsx 或 .csv 文件（收到“%(ext)s”）") % {"ext": ext or _("无扩展名")}, code="extension"
        )
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError(_("文件是空的"), code="empty")
    limit = settings.GONGKAI_MAX_DATASET_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            _("文件过大（%(size)s MB），上限 %(limit)s MB")
            % {"size": round(size / 1048576, 1), "limit": limit // 1048576},
            code="size",
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        head = file.read(65536)
    finally:
        if position is not None:
            file.seek(position)
    if isinstance(head, str):
        head = head.encode("utf-8", "replace")
    if ext == "xlsx":
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            names = set()
        finally:
            file.seek(0)
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
            raise ValidationError(_("文件不是有效的 Excel（.xlsx）工作簿"), code="content")
    else:
        if b"\x00" in head:
            raise ValidationError(_("文件不是文本格式的 CSV"), code="content")
        start = head.lstrip()[:200].lower()
        if start.startswith((b"<!doctype", b"<html", b"<?xml", b"<svg", b"<script")):
            raise ValidationError(_("文件不是 CSV 表格"), code="content")
