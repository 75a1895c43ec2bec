"""Documents provided with a reply (提供的政府信息): the confidentiality scan of each file and its redaction.

- The scan reads the file's text (`policies.textio.read_text`: .txt/.md/.csv/.html/.docx/.pdf; .xlsx here) and runs
  the secrecy scanner plus the suspect-ID check; the applicant's own data is not a finding (they may receive
  information about themselves). Findings are stored masked — never the original values.
- A file whose text cannot be read (a scan, a picture) is marked `unreadable`: the officer checks it by eye and
  confirms with a reason when sending, or uploads a redacted copy made by hand.
- Redaction makes a copy with every finding of the chosen severities masked, and, for 部分公开 (Art. 37), every
  passage the officer lists as withheld blacked out (■). .docx and .xlsx keep their layout (masks keep the length
  of the text, so each run or cell is rewritten in place); .txt/.md/.csv stay text; .pdf and .html become a new
  PDF of the redacted text (the layout of the original is not kept — said on the copy's first line).
  The original is kept (private) for the record; only the redacted copy is delivered."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import tempfile
from pathlib import Path

from gongkai.secrecy import scanner
from gongkai.secrecy.redaction import digest, mask_settings, mask_value

TEXT_SUFFIXES = {".txt", ".md", ".csv"}
WITHHELD = "withheld"  # an item of a redaction record: a passage withheld under Art. 37
WITHHELD_CHAR = "■"
DEFAULT_SEVERITIES = (scanner.HIGH, scanner.MEDIUM)


@dataclasses.dataclass
class ScanResult:
    status: str  # ScanStatus value
    findings: list[dict]
    text: str = ""


def own_values(req) -> set[str]:
    return {
        "".join(str(v).split())
        for v in (req.applicant_name, req.id_number, req.phone, req.email, req.address)
        if v
    }


def _finding_dict(f, masks) -> dict:
    return {
        "type": f.type,
        "severity": f.severity,
        "rule": f.rule,
        "start": f.start,
        "end": f.end,
        "masked": mask_value(f.text, f.type, masks),
        "sha256": digest(f.text),
    }


def findings_in(text: str, req) -> list:
    own = own_values(req)
    found = [f for f in scanner.scan_text(text) if "".join(f.text.split()) not in own]
    found += [f for f in scanner.find_suspect_resident_ids(text) if "".join(f.text.split()) not in own]
    return sorted(found, key=lambda f: f.start)


def read_xlsx_text(path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(str(path), read_only=True, data_only=True)
    lines = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells = [str(v) for v in row if v is not None]
            if cells:
                lines.append("\t".join(cells))
    wb.close()
    return "\n".join(lines)


def read_text_of(path: Path) -> str:
    from gongkai.policies.textio import UnreadableFile, read_text

    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            return read_xlsx_text(path)
        except Exception as exc:  # noqa: BLE001 - any reader error means: cannot be read
            raise UnreadableFile(f"无法读取表格：{exc.__class__.__name__}")
    if suffix in {".jpg", ".jpeg", ".png", ".zip", ".doc", ".xls", ".wps", ".ofd"}:
        raise UnreadableFile("该类型文件无法自动读取文字")
    return read_text(path)


class _LocalCopy:
    """A path on disk for a stored file (a temporary copy when the storage has no local path)."""

    def __init__(self, field, suffix: str):
        self.field, self.suffix, self.tmp = field, suffix, None

    def __enter__(self) -> Path:
        try:
            return Path(self.field.path)
        except (NotImplementedError, ValueError, AttributeError):
            pass
        fd, name = tempfile.mkstemp(suffix=self.suffix)
        with os.fdopen(fd, "wb") as out, self.field.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                out.write(chunk)
        self.tmp = name
        return Path(name)

    def __exit__(self, *exc):
        if self.tmp:
            os.unlink(self.tmp)


class _UploadCopy:
    """A path on disk for an uploaded file (Django keeps big uploads in a temporary file already)."""

    def __init__(self, upload, suffix: str):
        self.upload, self.suffix, self.tmp = upload, suffix, None

    def __enter__(self) -> Path:
        path = getattr(self.upload, "temporary_file_path", None)
        if path is not None:
            return Path(path())
        fd, name = tempfile.mkstemp(suffix=self.suffix)
        self.upload.seek(0)
        with os.fdopen(fd, "wb") as out:
            for chunk in self.upload.chunks():
                out.write(chunk)
        self.upload.seek(0)
        self.tmp = name
        return Path(name)

    def __exit__(self, *exc):
        if self.tmp:
            os.unlink(self.tmp)


def scan_stored_file(field, req) -> ScanResult:
    with _LocalCopy(field, Path(field.name).suffix.lower()) as path:
        return scan_path(path, req)


def scan_upload(upload, req) -> ScanResult:
    """The scan of a file still being uploaded (before it is stored: the scan runs outside the write
    transaction)."""
    with _UploadCopy(upload, Path(upload.name or "").suffix.lower()) as path:
        return scan_path(path, req)


def upload_sha256(upload) -> str:
    h = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        h.update(chunk)
    upload.seek(0)
    return h.hexdigest()


def scan_path(path: Path, req) -> ScanResult:
    from gongkai.policies.textio import UnreadableFile

    from .models import ScanStatus

    try:
        text = read_text_of(path)
    except UnreadableFile:
        return ScanResult(ScanStatus.UNREADABLE, [])
    if not text.strip():
        # a PDF of scanned pages has no text layer
        return ScanResult(ScanStatus.UNREADABLE, [], text)
    masks = mask_settings()
    found = [_finding_dict(f, masks) for f in findings_in(text, req)]
    return ScanResult(ScanStatus.FINDINGS if found else ScanStatus.CLEAN, found, text)


# --- redaction -------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Redacted:
    content: bytes
    suffix: str
    items: list[dict]


class _TextRedactor:
    """Masks findings (of the chosen severities) and withheld passages in a piece of text, length-preserving."""

    def __init__(self, req, phrases, severities):
        self.req = req
        self.phrases = sorted({p.strip() for p in phrases if p and p.strip()}, key=len, reverse=True)
        self.severities = set(severities)
        self.masks = mask_settings()
        self.items: list[dict] = []

    def __call__(self, text: str) -> str:
        if not text or not text.strip():
            return text
        chars = list(text)
        taken = [False] * len(text)
        for phrase in self.phrases:
            start = text.find(phrase)
            while start != -1:
                end = start + len(phrase)
                if not any(taken[start:end]):
                    chars[start:end] = WITHHELD_CHAR * len(phrase)
                    taken[start:end] = [True] * len(phrase)
                    self.items.append(
                        {
                            "type": WITHHELD,
                            "severity": "",
                            "rule": "art37",
                            "masked": WITHHELD_CHAR * min(len(phrase), 8),
                            "sha256": digest(phrase),
                            "length": len(phrase),
                        }
                    )
                start = text.find(phrase, end)
        for f in findings_in(text, self.req):
            if f.severity not in self.severities or any(taken[f.start : f.end]):
                continue
            masked = mask_value(f.text, f.type, self.masks)
            chars[f.start : f.end] = masked
            taken[f.start : f.end] = [True] * (f.end - f.start)
            self.items.append(_finding_dict(f, self.masks))
        return "".join(chars)


def _redact_docx(path: Path, red: _TextRedactor) -> bytes:
    import docx

    document = docx.Document(str(path))

    def paragraphs():
        def walk(container):
            yield from container.paragraphs
            for table in getattr(container, "tables", []):
                for row in table.rows:
                    for cell in row.cells:
                        yield from walk(cell)

        yield from walk(document)
        for section in document.sections:
            for part in (section.header, section.footer):
                yield from walk(part)

    seen = {}  # id -> element: holding the element keeps its id from being reused by another proxy
    for paragraph in paragraphs():
        if id(paragraph._p) in seen:
            continue  # merged cells repeat the same paragraph
        seen[id(paragraph._p)] = paragraph._p
        runs = paragraph.runs
        text = "".join(r.text for r in runs)
        masked = red(text)
        if masked == text:
            continue
        pos = 0
        for run in runs:  # masks keep the length: each run gets its own slice back
            n = len(run.text)
            run.text = masked[pos : pos + n]
            pos += n
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _redact_xlsx(path: Path, red: _TextRedactor) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(str(path))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = red(cell.value)
                elif isinstance(cell.value, int) and len(str(cell.value)) >= 11:
                    # long numbers (phones, cards typed as numbers) are text for the scan
                    masked = red(str(cell.value))
                    if masked != str(cell.value):
                        cell.value = masked
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text_pdf(title: str, text: str) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from .fonts import register_cjk_font

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=10, textColor="#555555")
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
    )
    story = [
        Paragraph(escape(f"脱敏副本：{title}（依据原件文字重新排版，版式与原件不同）"), head),
        Spacer(1, 4 * mm),
    ]
    for line in text.splitlines():
        story.append(Paragraph(escape(line) or "&nbsp;", body))
    doc.build(story)
    return out.getvalue()


def redact_stored_file(field, req, *, title: str, phrases=(), severities=DEFAULT_SEVERITIES) -> Redacted:
    """A redacted copy of a stored file. Raises `UnreadableFile` when its text cannot be read."""
    from gongkai.policies.textio import UnreadableFile

    red = _TextRedactor(req, phrases, severities)
    suffix = Path(field.name).suffix.lower()
    with _LocalCopy(field, suffix) as path:
        if suffix == ".docx":
            return Redacted(_redact_docx(path, red), ".docx", red.items)
        if suffix == ".xlsx":
            return Redacted(_redact_xlsx(path, red), ".xlsx", red.items)
        text = read_text_of(path)
    if not text.strip():
        raise UnreadableFile("文件没有可读取的文字（可能是扫描件）")
    masked = red(text)
    if suffix in TEXT_SUFFIXES:
        return Redacted(masked.encode("utf-8"), suffix, red.items)
    return Redacted(_text_pdf(title, masked), ".pdf", red.items)


def sha256_of(field) -> str:
    h = hashlib.sha256()
    with field.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def redaction_record_pdf(reply) -> bytes:
    """区分处理及脱敏说明: for 部分公开, what was withheld or masked in each document and why (Art. 37)."""
    from xml.sax.saxutils import escape

    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from gongkai.secrecy.models import FindingType

    from .fonts import register_cjk_font

    font = register_cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=26, alignment=TA_CENTER)
    req = reply.request
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=f"区分处理及脱敏说明 {reply.reply_number or ''}",
    )
    story = [
        Paragraph("区分处理及脱敏说明", title),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(f"答复编号：{reply.reply_number or '（草稿）'}　申请编号：{req.tracking_number}"), body
        ),
        Paragraph(
            escape(
                "依照《中华人民共和国政府信息公开条例》第三十七条，本机关对所申请的政府信息作区分处理，"
                "向您提供可以公开的内容。以下列明每份文件中不予公开或作脱敏处理的内容类别和数量（不含被遮盖的原文）。"
            ),
            body,
        ),
        Spacer(1, 3 * mm),
    ]
    labels = dict(FindingType.choices)
    for i, d in enumerate(reply.documents.all(), start=1):
        story.append(Paragraph(escape(f"{i}. {d.title}"), body))
        if d.kind == "policy":
            story.append(Paragraph(escape("　已主动公开的文件，提供获取途径，未作处理。"), body))
            continue
        counts: dict[str, int] = {}
        for item in d.redaction_items or []:
            key = (
                "不予公开的内容（第三十七条）"
                if item.get("type") == WITHHELD
                else str(labels.get(item.get("type"), item.get("type")))
            )
            counts[key] = counts.get(key, 0) + 1
        if counts:
            story.append(
                Paragraph(escape("　" + "；".join(f"{k} {v} 处" for k, v in counts.items()) + "。"), body)
            )
            if d.redaction_reason:
                story.append(Paragraph(escape(f"　理由：{d.redaction_reason}"), body))
        else:
            story.append(Paragraph(escape("　全文提供，未作遮盖。"), body))
    if reply.reason:
        story += [Spacer(1, 3 * mm), Paragraph(escape(f"不予公开部分的理由：{reply.reason}"), body)]
    doc.build(story)
    return out.getvalue()
