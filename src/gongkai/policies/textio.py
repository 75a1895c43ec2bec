"""Reading the text of a file for the diff and the confidentiality scan.

One small function, so that it can switch to the documents app's parser (`gongkai.documents.extract.extract_text`)
as soon as that exists: then .docx, .pdf and .html come out structured the same way everywhere.
"""

from __future__ import annotations

from pathlib import Path


class UnreadableFile(Exception):
    """The file cannot be read as text; the message is Chinese and meant for the user."""


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("无法识别文件编码")
    return str(best)


def read_text(path: str | Path) -> str:
    """The text of a .txt/.md/.html/.docx/.pdf file. Raises `UnreadableFile` with a Chinese message."""
    path = Path(path)
    try:
        from gongkai.documents.extract import extract_text  # noqa: PLC0415 (optional, built in parallel)
    except ImportError:
        extract_text = None
    if not path.is_file():
        raise UnreadableFile(f"文件不存在：{path}")
    if extract_text is not None:
        try:
            result = extract_text(path)
        except Exception as exc:  # the parser's own errors are reported, not raised further
            raise UnreadableFile(f"无法读取文件“{path.name}”：{exc}")
        return result if isinstance(result, str) else getattr(result, "text", str(result))
    suffix = path.suffix.lower()
    try:
        if suffix == ".docx":
            import docx

            document = docx.Document(str(path))
            lines = [p.text for p in document.paragraphs]
            for table in document.tables:
                for row in table.rows:
                    lines.append("\t".join(cell.text for cell in row.cells))
            return "\n".join(lines)
        if suffix == ".pdf":
            import pdfplumber

            with pdfplumber.open(str(path)) as pdf:
                return "\n".join(page.extract_text() or "" for page in pdf.pages)
        data = path.read_bytes()
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(f"无法读取文件“{path.name}”：{exc.__class__.__name__}")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(f"“{path.name}”不是文本文件")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    text = _decode(data)
    if suffix in (".html", ".htm"):
        import lxml.html

        try:
            return lxml.html.fromstring(text).text_content()
        except Exception:
            return text
    return text
