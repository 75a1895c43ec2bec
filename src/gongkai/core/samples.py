"""Real small files of every type the upload validator accepts, made on the spot with the libraries the project
already uses (reportlab, python-docx, openpyxl, Pillow): for tests, demo data and benchmarks. Nothing is
downloaded; every file passes `gongkai.core.uploads.validate_upload` for its type.

`sample_bytes("pdf", text="…")`, `sample_upload("附件.pdf", text="…")` (a Django `SimpleUploadedFile`).
"""

from __future__ import annotations

import io
import os
import zipfile


def pdf_bytes(text: str = "测试文件") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    try:
        from gongkai.disclosure.fonts import register_cjk_font

        font = register_cjk_font()
    except Exception:  # noqa: BLE001 - no CJK font: Latin text still makes a valid PDF
        font, text = "Helvetica", (text or "").encode("ascii", "replace").decode()
    c.setFont(font, 14)
    y = 780
    for line in (text or " ").splitlines() or [" "]:
        c.drawString(72, y, line[:60])
        y -= 22
    c.showPage()
    c.save()
    return out.getvalue()


def docx_bytes(text: str = "测试文件") -> bytes:
    from docx import Document

    doc = Document()
    for line in (text or " ").splitlines():
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes(rows=(("项目", "数量"), ("示例", 1))) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size=(120, 80), color=(200, 30, 30), text: str = "") -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", size, color)
    if text:
        ImageDraw.Draw(img).text((8, 8), text, fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def zip_bytes(files: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (files or {"说明.txt": "示例".encode()}).items():
            archive.writestr(name, data)
    return out.getvalue()


def ofd_bytes() -> bytes:
    return zip_bytes(
        {
            "OFD.xml": b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'
        }
    )


def mp3_bytes(seconds: float = 1.0) -> bytes:
    """Silence as MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz: 417 bytes, 26 ms each)."""
    frame = b"\xff\xfb\x90\x64" + b"\x00" * 413
    return b"ID3\x03\x00\x00\x00\x00\x00\x00" + frame * max(1, int(seconds / 0.026))


def sample_bytes(kind: str, text: str = "测试文件") -> bytes:
    kind = kind.lower().lstrip(".")
    if kind == "pdf":
        return pdf_bytes(text)
    if kind == "docx":
        return docx_bytes(text)
    if kind == "xlsx":
        return xlsx_bytes()
    if kind == "png":
        return image_bytes("PNG", text=text if text.isascii() else "")
    if kind in ("jpg", "jpeg"):
        return image_bytes("JPEG")
    if kind == "zip":
        return zip_bytes()
    if kind == "ofd":
        return ofd_bytes()
    if kind in ("txt", "md"):
        return (text or "测试").encode("utf-8")
    if kind == "mp3":
        return mp3_bytes()
    raise ValueError(f"no sample for {kind!r}")


def sample_upload(name: str, text: str = "测试文件"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ext = os.path.splitext(name)[1].lstrip(".")
    return SimpleUploadedFile(name, sample_bytes(ext, text))
