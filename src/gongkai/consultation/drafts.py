"""A draft for comment from an uploaded document (issue 17, item 1): a .docx, .pdf or .txt 征求意见稿 and,
optionally, its 起草说明 as a file.

- Checked by the one upload validator (`core.uploads`, kind `consultation.draft`: .docx/.pdf/.txt, 20 MB), then
  by two guards against hostile files that the validator does not look into: a Word file that unpacks to more
  than `MAX_UNPACKED_BYTES` (a zip bomb) and a PDF of more than `MAX_PDF_PAGES` pages.
- Read with the documents parser (`documents.extract.extract_text`: text and Word's automatic numbering from
  .docx, the text layer of a PDF with page numbers and hard line breaks undone, any Chinese encoding of a .txt);
  the header and footer of the document (附件1, the title, “（征求意见稿）”, the signature and date) are found with
  `documents.official.parse_official_document` and kept out of the draft text; only lines before the body or
  after it are left out, never one in the middle.
- The text becomes the consultation's draft text, split into articles exactly like a pasted draft
  (`Consultation.units()`, `policies.diff.parse_units`), so comments anchor to the same articles. The structure
  check (`draft_warnings`) uses `documents.structure` numbers: gaps and repeats in 第N条 / 第N章 / 一、, an
  article so long that a number was probably missed, tables turned into text, an 起草说明 inside the draft.
- The files are stored in the private storage (`random_upload_to`, names nobody can guess). Staff of the
  department open them through the signed staff link (`register_private_file_rule`); the public gets copies
  (`core.storage.sync_public_files`, served by `public_media`) exactly while the consultation is published.

Every change goes through `create_consultation_from_files` / `update_consultation_with_files` (atomic, audit
entry `consultation.draft_file`, `consultation.explanation_file`, `…_remove`).
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import zipfile
from collections import Counter

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.uploads import get_kind, validate_upload

UPLOAD_KIND = "consultation.draft"
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 300
LONG_UNIT_CHARS = 3000
PREVIEW_LINE_CHARS = 60

_STATUS_MARK = re.compile(
    r"^[（(【\[]?\s*(?:征求意见稿|公开征求意见稿|草案|草案征求意见稿|修订草案|修订稿|送审稿|代拟稿|讨论稿)\s*[）)】\]]?$"
)
_ATTACHMENT_MARK = re.compile(r"^附件\s*\d*\s*[：:]?\s*")
_EXPLANATION_HEADING = re.compile(r"^(?:关于.{0,80})?起草(?:情况的)?说明$", re.M)
_CN_NUMBER = re.compile(r"^第([一二三四五六七八九十百千零〇两\d]+)([条章])$")
_HEADING1_KEY = re.compile(r"^([一二三四五六七八九十百]+)、$")
_HEADING2_KEY = re.compile(r"^[（(]([一二三四五六七八九十百]+)[）)]$")


@dataclasses.dataclass
class ReadFile:
    """An uploaded file that passed the checks, and what was read from it."""

    name: str  # the safe file name (the validator's)
    extension: str  # docx / pdf / txt
    data: bytes
    text: str  # the draft body (or the whole text of an 起草说明)
    title: str = ""  # the title found in the document's header
    notes: list[str] = dataclasses.field(default_factory=list)  # what the reading left out or changed


# --- reading ------------------------------------------------------------------------------------------------


def _refuse(name: str, detail: str, code: str) -> ValidationError:
    return ValidationError(
        _("文件“%(name)s”无法读取：%(detail)s") % {"name": name[:60], "detail": detail}, code=code
    )


def _check_hostile(data: bytes, extension: str, name: str) -> None:
    """What the upload validator does not look into: the unpacked size of a Word file, a PDF's page count."""
    if extension == "docx":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                unpacked = sum(max(info.file_size, 0) for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _refuse(name, _("Word 文档已损坏或格式不正确"), "corrupt")
        if unpacked > MAX_UNPACKED_BYTES:
            raise _refuse(
                name,
                _("解压后超过 %(mb)d MB，不像正常的征求意见稿（可能是恶意文件）")
                % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)},
                "too_large",
            )
    elif extension == "pdf":
        import logging

        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        try:
            pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
        except Exception:  # encrypted or broken: the extractor says which, in Chinese
            return
        if pages > MAX_PDF_PAGES:
            raise _refuse(
                name,
                _("共 %(n)d 页，征求意见稿不能超过 %(max)d 页") % {"n": pages, "max": MAX_PDF_PAGES},
                "too_large",
            )


def _split_header(text: str) -> tuple[str, str, list[str]]:
    """(body, title, lines left out): the document's header and footer are left out of the draft; a line in
    the middle of the body never is."""
    from gongkai.documents.official import parse_official_document

    lines = [line for line in text.split("\n") if line.strip()]
    parsed = parse_official_document(text, normalised=True, outline=False)
    title = _ATTACHMENT_MARK.sub("", parsed.get("title") or "").strip()
    body_lines = [line for line in (parsed.get("body") or "").split("\n") if line.strip()]
    start, end = 0, len(lines)
    if body_lines:
        try:
            start = lines.index(body_lines[0])
            end = len(lines) - lines[::-1].index(body_lines[-1])
        except ValueError:  # the parser rewrote a line: keep everything
            start, end = 0, len(lines)
        if start >= end:
            start, end = 0, len(lines)
    # Marks of the draft's status (（征求意见稿）) and 附件1 at the top are not provisions either.
    while start < end and (_STATUS_MARK.match(lines[start]) or _ATTACHMENT_MARK.fullmatch(lines[start])):
        start += 1
    if start >= end:
        return "\n".join(lines), title, []
    left_out = lines[:start] + lines[end:]
    return "\n".join(lines[start:end]), title, left_out


def read_upload(upload, *, explanation: bool = False) -> ReadFile:
    """Checks an uploaded draft (or 起草说明) and reads its text. Raises ValidationError with a Chinese message
    for a file that is empty, too large, of the wrong type, hostile, encrypted, scanned, corrupt or without text."""
    from gongkai.documents.errors import DocumentError
    from gongkai.documents.extract import extract_text

    from .actions import DRAFT_MAX_CHARS, EXPLANATION_MAX_CHARS

    validated = validate_upload(upload, UPLOAD_KIND)
    name, extension = validated.safe_name, validated.file_type.key
    limit = get_kind(UPLOAD_KIND).limit
    try:
        upload.seek(0)
    except (AttributeError, OSError):
        pass
    data = upload.read(limit + 1)
    _check_hostile(data, extension, name)
    try:
        text = extract_text(io.BytesIO(data), filename=name, max_bytes=limit)
    except DocumentError as exc:
        raise ValidationError(str(exc), code=exc.reason)
    max_chars = EXPLANATION_MAX_CHARS if explanation else DRAFT_MAX_CHARS
    if len(text) > max_chars:
        raise _refuse(
            name,
            _("文字过多（%(n)d 字），%(label)s不能超过 %(max)d 字")
            % {"n": len(text), "label": _("起草说明") if explanation else _("征求意见稿"), "max": max_chars},
            "too_long",
        )
    if explanation:
        return ReadFile(name, extension, data, text)
    body, title, left_out = _split_header(text)
    notes = []
    if left_out:
        shown = "、".join(f"“{line[:30]}”" for line in left_out[:6])
        more = _("等 %(n)d 行") % {"n": len(left_out)} if len(left_out) > 6 else ""
        notes.append(
            _("文件的标题、落款等不作为条款，未计入征求意见稿：%(lines)s%(more)s")
            % {"lines": shown, "more": more}
        )
    if extension == "pdf":
        notes.append(_("PDF 的文字取自文字层，页码和换行已自动整理，请逐条核对"))
    return ReadFile(name, extension, data, body, title=title, notes=notes)


# --- the structure check and the preview ---------------------------------------------------------------------


def _number(key: str) -> tuple[str, int] | None:
    from gongkai.documents.dates import chinese_to_int

    match = _CN_NUMBER.match(key)
    if match:
        value = chinese_to_int(match[1])
        return (match[2], value) if value else None
    match = _HEADING1_KEY.match(key)
    if match:
        value = chinese_to_int(match[1])
        return ("、", value) if value else None
    match = _HEADING2_KEY.match(key)
    if match:
        value = chinese_to_int(match[1])
        return ("（）", value) if value else None
    return None


def draft_warnings(text: str, units=None) -> list[str]:
    """What the drafter should look at before publishing, in Chinese."""
    from gongkai.policies.diff import parse_units

    units = parse_units(text) if units is None else units
    warnings: list[str] = []
    if not any(u.kind in ("article", "section") for u in units):
        warnings.append(
            _(
                "没有识别出条款编号（“第一条”“一、”“（一）”），公众只能对草案整体或逐段发表意见；请核对编号是否写在文字中"
            )
        )
    sequences: dict[str, list[tuple[str, int]]] = {}
    sub_items: list[tuple[str, int, bool]] = []  # （N） with “first under its heading”
    first_under_heading = True
    for unit in units:
        numbered = _number(unit.key.strip())
        if numbered and numbered[0] == "（）":
            sub_items.append((unit.key.strip(), numbered[1], first_under_heading))
            first_under_heading = False
        elif numbered or unit.kind == "heading":
            first_under_heading = True
        if numbered and numbered[0] != "（）":
            sequences.setdefault(numbered[0], []).append((unit.key.strip(), numbered[1]))
    names = {"条": _("条"), "章": _("章"), "、": _("一级标题"), "（）": _("二级标题")}
    for kind, items in sequences.items():
        seen = Counter(value for _key, value in items)
        repeated = [key for key, value in dict(items).items() if seen[value] > 1]
        if repeated:
            warnings.append(
                _("%(what)s编号重复：%(keys)s")
                % {"what": names[kind], "keys": "、".join(dict.fromkeys(repeated))}
            )
        for (key_a, a), (key_b, b) in zip(items, items[1:], strict=False):
            if b != a + 1 and b != a:
                warnings.append(
                    _("%(what)s编号不连续：“%(a)s”之后是“%(b)s”")
                    % {"what": names[kind], "a": key_a, "b": key_b}
                )
    # （一） items start again under each heading or run on through the document; within a heading they follow on.
    for (key_a, a, _first), (key_b, b, first) in zip(sub_items, sub_items[1:], strict=False):
        if b == a + 1 or (first and b == 1):
            continue
        template = _("%(what)s编号重复：%(keys)s") if b == a and not first else None
        if template:
            warnings.append(template % {"what": names["（）"], "keys": key_b})
        else:
            warnings.append(
                _("%(what)s编号不连续：“%(a)s”之后是“%(b)s”")
                % {"what": names["（）"], "a": key_a, "b": key_b}
            )
    for unit in units:
        if len(unit.body) > LONG_UNIT_CHARS:
            warnings.append(
                _("“%(key)s”很长（%(n)d 字），可能有条款编号没有识别出来")
                % {"key": unit.key or unit.body[:12], "n": len(unit.body)}
            )
    if "｜" in text:
        warnings.append(_("文件中的表格已按行转为文字（单元格以“｜”分隔），请核对"))
    if _EXPLANATION_HEADING.search(text):
        warnings.append(_("征求意见稿中含有“起草说明”，请把起草说明单独填写或作为单独的文件上传"))
    return warnings


def draft_preview(consultation) -> dict:
    """The parsed draft as the public will see it: counts, the first line of each unit, the warnings."""
    units = consultation.units()
    counts = {"article": 0, "section": 0, "heading": 0, "paragraph": 0}
    for unit in units:
        counts[unit.kind] = counts.get(unit.kind, 0) + 1
    rows = []
    for index, unit in enumerate(units):
        first = unit.body.split("\n", 1)[0]
        rows.append(
            {
                "index": index,
                "kind": unit.kind,
                "key": unit.key,
                "line": first if len(first) <= PREVIEW_LINE_CHARS else first[: PREVIEW_LINE_CHARS - 1] + "…",
            }
        )
    return {
        "rows": rows,
        "counts": counts,
        "commentable": len(units) - counts["heading"],
        "notes": list(consultation.draft_file_notes or []),
        "warnings": draft_warnings(consultation.draft_text, units),
    }


# --- actions ---------------------------------------------------------------------------------------------------


def _store(consultation, field: str, read: ReadFile | None, remove: bool, old_names: list[str]) -> str:
    """Puts `read` into the field (or empties it); returns the audit note."""
    file_field = getattr(consultation, field)
    if read is None and not (remove and file_field):
        return ""
    if file_field:
        old_names.append(file_field.name)
    if read is None:
        setattr(consultation, field, "")
        setattr(consultation, f"{field}_name", "")
        if field == "draft_file":
            consultation.draft_file_notes = []
        return _("删除原件")
    file_field.save(read.name, ContentFile(read.data), save=False)
    setattr(consultation, f"{field}_name", read.name)
    if field == "draft_file":
        consultation.draft_file_notes = read.notes
    return read.name


FILE_FIELDS = ["draft_file_name", "explanation_file_name", "draft_text", "explanation"]


def _attach(consultation, *, actor, draft, explanation, remove_draft=False, remove_explanation=False):
    from .actions import _check_manage
    from .models import ConsultationStatus

    _check_manage(actor, consultation)
    if consultation.status != ConsultationStatus.DRAFT:
        raise ValidationError(_("已发布的意见征集不能更换文件"))
    before = audit.snapshot(consultation, FILE_FIELDS)
    old_names: list[str] = []
    if draft is not None:
        consultation.draft_text = draft.text
    changed = {
        "draft_file": _store(consultation, "draft_file", draft, remove_draft, old_names),
        "explanation_file": _store(
            consultation, "explanation_file", explanation, remove_explanation, old_names
        ),
    }
    if not any(changed.values()):
        return consultation
    consultation.save()
    for field, note in changed.items():
        if not note:
            continue
        removed = note == _("删除原件")
        if field == "draft_file" and not removed:
            note = _("%(name)s，识别出 %(n)d 个可发表意见的条款或段落") % {
                "name": note,
                "n": sum(1 for u in consultation.units() if u.kind != "heading"),
            }
        audit.record(
            f"consultation.{field}{'_remove' if removed else ''}",
            consultation,
            actor=actor,
            before=before,
            after=audit.snapshot(consultation, FILE_FIELDS),
            note=note,
            department=consultation.department,
        )
    storage = consultation.draft_file.storage
    for name in old_names:
        transaction.on_commit(lambda name=name: storage.delete(name))
    return consultation


@transaction.atomic
def create_consultation_from_files(
    *, actor, draft_original: ReadFile | None = None, explanation_original: ReadFile | None = None, **fields
):
    """`actions.create_consultation` with the draft text read from `draft` and, when no 起草说明 was typed, the
    起草说明 read from `explanation`; both originals are kept with the consultation."""
    from . import actions

    if draft_original is not None:
        fields["draft_text"] = draft_original.text
    if explanation_original is not None and not (fields.get("explanation") or "").strip():
        fields["explanation"] = explanation_original.text
    consultation = actions.create_consultation(actor=actor, **fields)
    return _attach(consultation, actor=actor, draft=draft_original, explanation=explanation_original)


# Stored in the notes (Chinese, as the other notes); shown to staff in the preview.
HAND_EDITED_NOTE = "读取文件后，条文已在“修改”页面上手工改动：公众下载的原件与网页上的条文可能不完全一致"


def _printable(text) -> str:
    return "".join(ch for ch in str(text or "") if ch.isprintable() or ch in "\n\t").strip()


@transaction.atomic
def update_consultation_with_files(
    consultation,
    *,
    actor,
    draft_original: ReadFile | None = None,
    explanation_original: ReadFile | None = None,
    remove_draft: bool = False,
    remove_explanation: bool = False,
    **changes,
):
    """`actions.update_consultation` plus a new or removed original. A new draft file replaces the draft text;
    removing it keeps the text (then edited on the screen like a pasted draft)."""
    from . import actions

    if draft_original is not None:
        changes.pop("draft_text", None)
    if explanation_original is not None and not (changes.get("explanation") or "").strip():
        changes["explanation"] = explanation_original.text
    edited = (
        draft_original is None
        and not remove_draft
        and bool(consultation.draft_file)
        and "draft_text" in changes
        and _printable(changes["draft_text"]) != _printable(consultation.draft_text)
    )
    if changes:
        consultation = actions.update_consultation(consultation, actor=actor, **changes)
    if edited and HAND_EDITED_NOTE not in consultation.draft_file_notes:
        consultation.draft_file_notes = [*consultation.draft_file_notes, HAND_EDITED_NOTE]
        consultation.save(update_fields=["draft_file_notes"])
    return _attach(
        consultation,
        actor=actor,
        draft=draft_original,
        explanation=explanation_original,
        remove_draft=remove_draft,
        remove_explanation=remove_explanation,
    )


# --- who sees the files ------------------------------------------------------------------------------------------


def _download_name(consultation, field: str) -> str:
    name = getattr(consultation, f"{field}_name") or ""
    if name:
        return name
    ext = os.path.splitext(getattr(consultation, field).name or "")[1]
    label = "征求意见稿" if field == "draft_file" else "起草说明"
    return f"{consultation.title[:60]}{label}{ext}"


def sync_consultation_files(consultation) -> dict:
    """Public copies of the originals exactly while the consultation is published."""
    from gongkai.core.storage import sync_public_files

    from .models import ConsultationStatus

    files = [
        (consultation.draft_file, _download_name(consultation, "draft_file")),
        (consultation.explanation_file, _download_name(consultation, "explanation_file")),
    ]
    return sync_public_files(consultation, files, public=consultation.status == ConsultationStatus.PUBLISHED)


def on_consultation_saved(sender, instance, **kwargs):
    sync_consultation_files(instance)


def on_consultation_deleted(sender, instance, **kwargs):
    from gongkai.core.storage import forget_owner

    forget_owner(instance)


def sync_all() -> dict:
    """Every consultation (the `sync-public-files` command)."""
    from .models import Consultation

    totals = {"added": 0, "removed": 0}
    for consultation in Consultation.objects.all().iterator():
        for key, value in sync_consultation_files(consultation).items():
            totals[key] += value
    return totals


def can_open_files(user, consultation) -> bool:
    """Staff open the private originals when they may run the consultation (its department, district-wide)."""
    from .actions import can_manage

    return bool(getattr(user, "is_authenticated", False)) and can_manage(user, consultation)


def public_file_links(consultation) -> dict:
    """{"draft": {...}, "explanation": {...}} for the originals that are public (one query), for the page."""
    from gongkai.core.models import PublicFile
    from gongkai.core.storage import public_storage

    names = {
        "draft": consultation.draft_file.name or "",
        "explanation": consultation.explanation_file.name or "",
    }
    if not any(names.values()):
        return {}
    rows = {
        row.source_name: row
        for row in PublicFile.objects.filter(source_name__in=[n for n in names.values() if n])
    }
    links = {}
    for key, name in names.items():
        row = rows.get(name)
        if row is not None:
            links[key] = {
                "url": public_storage().url(row.public_name),
                "name": row.download_name,
                "extension": os.path.splitext(row.download_name)[1].lstrip(".").upper(),
                "size": row.size,
            }
    return links
