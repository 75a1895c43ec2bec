"""File to text: .txt/.md, .docx, .pdf (with a text layer) and .html, one function per format.

`extract_text(path_or_file, filename=None)` reads a path or an open binary file, checks its size and
type, calls the function for its format and returns normalised text (one paragraph per line, see
`normalise.py`). Anything it cannot read raises `DocumentError` with a Chinese message naming the file and the
reason: empty file, file over the size limit, unsupported or wrong extension, encrypted file, scanned PDF
without a text layer, undecodable text, corrupt file.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from pathlib import Path

from .errors import DocumentError, translate
from .normalise import normalise_text

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
SUPPORTED_EXTENSIONS = ("txt", "md", "docx", "pdf", "html", "htm")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


def max_upload_bytes() -> int:
    """The configured size limit (`GONGKAI_MAX_UPLOAD_BYTES`), or 50 MB without Django settings."""
    try:
        from django.conf import settings

        if not os.environ.get("DJANGO_SETTINGS_MODULE") and not settings.configured:
            return DEFAULT_MAX_BYTES  # scripts, benchmarks (asked first: raising and catching costs more)
        return int(getattr(settings, "GONGKAI_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES))
    except Exception:  # settings that cannot be loaded
        return DEFAULT_MAX_BYTES


def _system_path(path_or_file) -> tuple[str, str]:
    """The path to open and `Path(path_or_file).name`. A plain path (`/srv/a.txt`, `a.txt`) is used as given: building
    a `Path` costs more than reading a small file. A path that `Path` would rewrite (empty, a trailing separator or
    `.`, doubled separators, `.` components) or a bytes path (which `Path` refuses) goes through `Path` as before."""
    path = os.fspath(path_or_file)
    sep = os.sep
    if (
        isinstance(path, str)
        and path
        and path not in (".", "..")
        and not path.endswith((sep, sep + "."))
        and sep + sep not in path
        and sep + "." + sep not in path
        and (os.altsep is None or os.altsep not in path)
    ):
        return path, os.path.basename(path)
    resolved = Path(path_or_file)
    return str(resolved), resolved.name


def _read(path_or_file, filename: str | None, max_bytes: int) -> tuple[bytes, str]:
    if isinstance(path_or_file, (str, os.PathLike)):
        path, path_name = _system_path(path_or_file)
        name = filename or path_name
        try:
            size = os.stat(path).st_size
            if size > max_bytes:
                raise DocumentError(name, "too_large", _too_large(size, max_bytes))
            with open(path, "rb") as handle:
                data = handle.read()
        except IsADirectoryError:
            raise DocumentError(name, "not_a_file", "这是一个目录，不是文件")
        except FileNotFoundError:
            raise DocumentError(name, "not_found", "文件不存在")
        except PermissionError:
            raise DocumentError(name, "unreadable", "没有读取权限")
        except OSError as exc:
            raise DocumentError(name, "unreadable", "读取失败（%(error)s）", error=exc.strerror or exc)
        return data, name
    name = filename or os.path.basename(getattr(path_or_file, "name", "") or "") or "（上传的文件）"
    size = getattr(path_or_file, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise DocumentError(name, "too_large", _too_large(size, max_bytes))
    if hasattr(path_or_file, "seek"):
        try:
            path_or_file.seek(0)
        except (OSError, ValueError):
            pass
    data = path_or_file.read(max_bytes + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        raise DocumentError(name, "too_large", _too_large(len(data), max_bytes, at_least=True))
    return data, name


def _too_large(size: int, limit: int, at_least: bool = False) -> str:
    shown = (
        translate("超过 %(size)s MB", size=f"{size / 1048576:.1f}")
        if at_least
        else f"{size / 1048576:.1f} MB"
    )
    return translate("文件过大（%(size)s），上限为 %(limit)s MB", size=shown, limit=f"{limit / 1048576:.0f}")


def extract_text(path_or_file, *, filename: str | None = None, max_bytes: int | None = None) -> str:
    """The normalised text of a .txt/.md/.docx/.pdf/.html file (a path or an open binary file)."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    data, name = _read(path_or_file, filename, limit)
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in SUPPORTED_EXTENSIONS:
        shown = f"“.{extension}”" if extension else translate("无扩展名")
        raise DocumentError(
            name,
            "unsupported_type",
            "不支持的文件类型（%(type)s），支持：.txt .md .docx .pdf .html",
            type=shown,
        )
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise DocumentError(name, "empty", "文件是空的")
    if extension in ("txt", "md"):
        text = normalise_text(text_from_plain(data, name))
    elif extension == "docx":
        text = normalise_text(text_from_docx(data, name), reflow_lines=False)
    elif extension == "pdf":
        text = normalise_text(text_from_pdf(data, name))
    else:
        text = normalise_text(text_from_html(data, name), reflow_lines=False)
    if not text.strip():
        raise DocumentError(name, "no_content", "文件中没有可识别的文字")
    return text


# --- .txt / .md ---------------------------------------------------------------------------------------------


def text_from_plain(data: bytes, name: str = "") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, GB18030 (and so GBK/GB2312); other encodings detected."""
    _reject_binary(data, name, "txt")
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(name, "encoding", "无法识别文本编码（支持 UTF-8、GB18030）")
    return str(best)


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise DocumentError(name, "encoding", "文本不是有效的 %(encoding)s 编码", encoding=encoding.upper())


def _reject_binary(data: bytes, name: str, extension: str) -> None:
    head = data[:8]
    if head.startswith(b"%PDF"):
        raise DocumentError(
            name, "wrong_extension", "文件内容是 PDF，扩展名却是 .%(extension)s", extension=extension
        )
    if head.startswith(b"PK\x03\x04"):
        raise DocumentError(
            name,
            "wrong_extension",
            "文件内容是压缩包或 Office 文档，扩展名却是 .%(extension)s",
            extension=extension,
        )
    if head.startswith(_OLE_MAGIC):
        raise DocumentError(
            name,
            "wrong_extension",
            "文件内容是旧版 Office 文档或加密文档，扩展名却是 .%(extension)s",
            extension=extension,
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(name, "wrong_extension", "文件内容不是文本")


# --- .docx --------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def text_from_docx(data: bytes, name: str = "") -> str:
    """Paragraphs and tables in document order; automatic numbering (一、 （一） 1.) written out."""
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in data:
            raise DocumentError(name, "encrypted", "文件已加密（设有打开密码），请先解除密码")
        raise DocumentError(name, "unsupported_type", "这是旧版 Word（.doc）文件，请另存为 .docx 后再上传")
    if data.startswith(b"%PDF"):
        raise DocumentError(name, "wrong_extension", "文件内容是 PDF，扩展名却是 .docx")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocumentError(name, "wrong_extension", "文件不是有效的 .docx（Word）文档")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds (KeyError, ValueError, lxml errors)
        raise DocumentError(
            name, "corrupt", "Word 文档已损坏或格式不正确（%(error)s）", error=type(exc).__name__
        )
    numbering = _DocxNumbering(document)
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            text = _paragraph_text(child)
            prefix = numbering.prefix(child, document)
            if text.strip() or prefix:
                lines.append(prefix + text)
        elif child.tag == f"{_W}tbl":
            lines.extend(_table_lines(child))
    return "\n".join(lines)


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.iter(f"{_W}tr"):
        cells = []
        for cell in row.iter(f"{_W}tc"):
            text = " ".join(_paragraph_text(p).strip() for p in cell.iter(f"{_W}p")).strip()
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            lines.append("｜".join(cells))
    return lines


class _DocxNumbering:
    """Writes out Word's automatic list numbers (numbering.xml) as text: `%1、` with chineseCounting → 一、."""

    def __init__(self, document):
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iter(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else f"%{ilvl + 1}.",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.formats[(num.get(f"{_W}numId"), ilvl)] = spec

    def _style_numbering(self, paragraph, document):
        """Numbering that comes from the paragraph style (e.g. the built-in "List Number")."""
        style_ref = paragraph.find(f"{_W}pPr/{_W}pStyle")
        if style_ref is None:
            return None
        try:
            style = document.styles.element.get_by_id(style_ref.get(f"{_W}val"))
        except Exception:
            return None
        for _depth in range(5):  # follow basedOn a few steps
            if style is None:
                return None
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                return num_pr
            based = style.find(f"{_W}basedOn")
            style = document.styles.element.get_by_id(based.get(f"{_W}val")) if based is not None else None
        return None

    def prefix(self, paragraph, document) -> str:
        if not self.formats:
            return ""
        num_pr = paragraph.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            num_pr = self._style_numbering(paragraph, document)
        if num_pr is None:
            return ""
        num_id_node = num_pr.find(f"{_W}numId")
        ilvl_node = num_pr.find(f"{_W}ilvl")
        if num_id_node is None:
            return ""
        num_id = num_id_node.get(f"{_W}val")
        ilvl = int(ilvl_node.get(f"{_W}val", "0")) if ilvl_node is not None else 0
        if (num_id, ilvl) not in self.formats or not 0 <= ilvl <= 8:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        _fmt, text, start = self.formats[(num_id, ilvl)]
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0

        def render(match):
            level = int(match.group(1)) - 1
            fmt, _text, level_start = self.formats.get((num_id, level), ("decimal", "", 1))
            return _format_number(counters[level] or level_start, fmt)

        return re.sub(r"%([1-9])", render, text)


_CN_DIGITS = "〇一二三四五六七八九"


def _format_number(value: int, fmt: str) -> str:
    if fmt.startswith(("chinese", "ideograph", "taiwanese", "japaneseCounting")):
        return _to_chinese(value)
    if fmt == "lowerLetter":
        return chr(ord("a") + (value - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (value - 1) % 26)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= value <= 20:
        return chr(ord("①") + value - 1)
    if fmt == "bullet" or fmt == "none":
        return ""
    return str(value)


def _to_chinese(value: int) -> str:
    if value <= 0:
        return str(value)
    if value < 10:
        return _CN_DIGITS[value]
    if value < 20:
        return "十" + (_CN_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        return _CN_DIGITS[value // 10] + "十" + (_CN_DIGITS[value % 10] if value % 10 else "")
    return str(value)


# --- .pdf ---------------------------------------------------------------------------------------------------


def text_from_pdf(data: bytes, name: str = "") -> str:
    """The text layer of a PDF. An encrypted PDF (one that needs a password) and a scanned PDF (pages with
    images but no text) are refused with a clear reason. pypdf's repair notes on damaged files are not shown."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return _text_from_pdf(data, name)
    finally:
        logger.setLevel(level)


def _text_from_pdf(data: bytes, name: str) -> str:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise DocumentError(name, "wrong_extension", "文件不是有效的 PDF")
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:
                opened = 0
            if not opened:
                raise DocumentError(name, "encrypted", "PDF 已加密（设有打开密码），请先解除密码")
        pages = list(reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise DocumentError(
            name, "corrupt", "PDF 文件已损坏或格式不正确（%(error)s）", error=type(exc).__name__
        )
    except Exception as exc:  # pypdf can raise anything on hostile input; the reader must not crash
        if "crypt" in type(exc).__name__.lower() or "decrypt" in str(exc).lower():
            raise DocumentError(name, "encrypted", "PDF 已加密，无法读取")
        raise DocumentError(
            name, "corrupt", "PDF 文件已损坏或格式不正确（%(error)s）", error=type(exc).__name__
        )
    if not pages:
        raise DocumentError(name, "no_content", "PDF 没有页面")
    texts: list[str] = []
    images = 0
    for page in pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:
            if "crypt" in str(exc).lower():
                raise DocumentError(name, "encrypted", "PDF 已加密，无法读取")
            texts.append("")
        try:
            resources = page.get("/Resources") or {}
            xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
            if xobjects:
                images += sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")
        except Exception:  # a broken resource dictionary only means we cannot count images
            pass
    if not any(t.strip() for t in texts):
        if images:
            raise DocumentError(
                name, "scanned", "PDF 是扫描件（只有图片，没有文字层），请先进行文字识别（OCR）"
            )
        raise DocumentError(name, "no_content", "PDF 中没有可识别的文字")
    return "\n".join(texts)


# --- .html --------------------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
}
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "template",
    "svg",
)
_METADATA_HINT = re.compile(r"索\s*引\s*号|发\s*文\s*字\s*号|成\s*文\s*日\s*期")
_CONTENT_HINTS = re.compile(r"trs_editor|article|content|zoom|main|text|detail|xxgk|zw|body", re.I)
_NAV_HINTS = re.compile(
    r"nav|menu|footer|header|breadcrumb|share|sidebar|copyright|toolbar|position|crumb|link", re.I
)
# The same hints, case-sensitive, for markers in lower case (a case-insensitive search costs more per character).
_LOWER_HINTS = {hints: re.compile(hints.pattern) for hints in (_CONTENT_HINTS, _NAV_HINTS)}


def _hinted(hints: re.Pattern, marker: str) -> bool:
    """`hints.search(marker)`: for an ASCII marker (nearly all class names and ids), a case-sensitive search of
    the lower-cased marker, which finds the same."""
    if marker.isascii():
        return _LOWER_HINTS[hints].search(marker.lower()) is not None
    return hints.search(marker) is not None


def text_from_html(data: bytes, name: str = "") -> str:
    """The main content of a government web page (and the metadata block above it, when there is one).

    The page is parsed once with lxml's plain HTML parser (no `lxml.html` element classes: the same tree, without a
    Python lookup per element), and the text length of every element is counted once (`_TextLengths`) instead of
    once per question asked about it."""
    from lxml import etree

    text = _decode_html(data, name)
    try:
        root = etree.fromstring(text, _html_parser())
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as exc:
        raise DocumentError(name, "corrupt", "网页无法解析（%(error)s）", error=type(exc).__name__)
    for bad in list(root.iter(*_DROP_TAGS)):
        if bad.getparent() is not None:
            _drop_tree(bad)
    for comment in root.iter(etree.Comment):
        if comment.getparent() is not None:
            _drop_tree(comment)
    # Only elements with a class or an id can be furniture by name (the elements with attributes, listed first in
    # document order: the loop removes elements).
    for node in [node for node in root.iter(etree.Element) if node.attrib]:
        if node.getparent() is None:
            continue
        css_class, css_id = node.get("class"), node.get("id")
        if css_class is None and css_id is None:
            continue
        marker = f"{css_class or ''} {css_id or ''}"
        if (
            _hinted(_NAV_HINTS, marker)
            and not _hinted(_CONTENT_HINTS, marker)
            and not (_METADATA_HINT.search(_text_content(node)) and _text_length(node) <= 1500)
        ):
            _drop_tree(node)
    body = next(root.iterchildren("body"), None)
    if body is None:
        body = root
    lengths = _TextLengths()
    main = _main_content(body, lengths)
    lines = _block_text(main)
    title = _page_title(root, main)
    metadata = _metadata_block(body, main, lengths)
    if metadata:
        lines = metadata + lines
    compact = [_WHITESPACE.sub("", line) for line in lines[: len(metadata) + 5]]
    if title and not any(_WHITESPACE.sub("", title) in line for line in compact):
        lines.insert(len(metadata), title)
    return "\n".join(lines)


_HTML_PARSER = None
_TOSTRING = None
_WHITESPACE = re.compile(r"\s+")
_TITLE_CLASS = re.compile(
    r"(?:^|\s)(?:article-?title|arttitle|detail-?title|con-?title|zw-?title|title)(?:$|\s)"
)


def _html_parser():
    """lxml's HTML parser with its default options (those of `lxml.html`), made on first use."""
    global _HTML_PARSER
    if _HTML_PARSER is None:
        from lxml import etree

        _HTML_PARSER = etree.HTMLParser()
    return _HTML_PARSER


def _text_content(node) -> str:
    """The text of an element and its descendants without its tail, as `lxml.html`'s `text_content()` (XPath
    `string()`), serialised by libxml2. An element without children (most cells and paragraphs) holds only text
    nodes, which `.text` joins: the same string without a serialisation."""
    if not len(node):
        return node.text or ""
    global _TOSTRING
    if _TOSTRING is None:
        from lxml.etree import tostring as _TOSTRING
    return _TOSTRING(node, method="text", encoding=str, with_tail=False)


def _drop_tree(node) -> None:
    """Removes an element with its children; its tail text joins the previous element or the parent (as
    `lxml.html`'s `drop_tree()`)."""
    parent = node.getparent()
    if node.tail:
        previous = node.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + node.tail
        else:
            previous.tail = (previous.tail or "") + node.tail
    parent.remove(node)


# `…的通知_政策_中国政府网`, `… - 北京市西城区人民政府`, `…的通知-首都之窗-北京市人民政府门户网站` (a hyphen without
# spaces only when a site's name follows it).
_TITLE_SUFFIX = re.compile(
    r"_|\s[-–|｜]\s|｜|——|--|-(?=[^。]{0,40}(?:首都之窗|门户网站|政府网|网站|人民政府)$)"
)


def _page_title(root, main) -> str:
    """The article's title when the main content does not hold it: the first <h1> outside the main content, else
    an element with a title class (`article-title`, `title`), else the page's <title> without the site name
    (`…的通知_政策_中国政府网`). Empty when the main content has its own <h1>."""
    if next(main.iterdescendants("h1"), None) is not None:
        return ""

    def outside(node) -> bool:
        return not any(ancestor is main for ancestor in node.iterancestors())

    def text_of(node) -> str:
        return _WHITESPACE.sub(" ", _text_content(node)).strip()

    for node in root.iter("h1"):
        if outside(node) and 4 <= len(text_of(node)) <= 150:
            return text_of(node)
    for node in root.iter("div", "p", "h2"):
        marker = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if _TITLE_CLASS.search(marker):
            if outside(node) and 4 <= len(text_of(node)) <= 150:
                return text_of(node)
    title_node = root.find(".//title")
    if title_node is not None and title_node.text:
        return _TITLE_SUFFIX.split(title_node.text.strip())[0].strip()
    return ""


def _decode_html(data: bytes, name: str) -> str:
    head = data[:2048].decode("ascii", "ignore").lower()
    match = re.search(r"charset\s*=\s*[\"']?([a-z0-9_-]+)", head)
    encodings = []
    if match:
        declared = match.group(1)
        encodings.append("gb18030" if declared in ("gb2312", "gbk", "gb18030") else declared)
    encodings += ["utf-8", "gb18030"]
    if data.startswith(b"\xef\xbb\xbf"):
        encodings.insert(0, "utf-8-sig")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise DocumentError(name, "encoding", "无法识别网页编码")


def _text_length(node) -> int:
    return len("".join(_text_content(node).split()))


class _TextLengths(dict):
    """`_text_length(element)` of the elements of one page, each counted once, when first asked for."""

    def __missing__(self, element) -> int:
        length = self[element] = len("".join(_text_content(element).split()))
        return length


def _main_content(body, lengths: _TextLengths):
    """The element holding the article: a hinted container (TRS_Editor, content …) with enough text, else
    the block with the most paragraph text."""
    total = lengths[body] or 1
    candidates = [
        node for node in body.iter("div", "article", "section", "td", "main") if lengths[node] >= 50
    ]
    # The text of the paragraphs and of the links inside each candidate, added up in one walk from every <p> and
    # <a> up to the body (not by walking the whole subtree of each candidate, which nests in the next).
    paragraphs = dict.fromkeys(candidates, 0)
    links = dict.fromkeys(candidates, 0)
    for tag, sums in (("p", paragraphs), ("a", links)):
        for element in body.iter(tag):
            holders = [ancestor for ancestor in element.iterancestors() if ancestor in sums]
            if holders:
                length = lengths[element]
                for holder in holders:
                    sums[holder] += length
    best, best_score = body, 0.0
    for node in candidates:
        length = lengths[node]
        marker = f"{node.get('class', '')} {node.get('id', '')}"
        score = length + paragraphs[node] - 3 * links[node]
        if _hinted(_CONTENT_HINTS, marker):
            score *= 1.5
        # A node holding nearly everything is the page frame, not the article.
        if length > 0.97 * total and node is not body:
            score *= 0.9
        if score > best_score:
            best, best_score = node, score
    return best


_DATA_CELL_LIMIT = 300


def _data_row(element) -> list[str] | None:
    """The cells of a table row that holds data (short cells, no nested table), flattened; None for a layout
    row (a page laid out in a table keeps its paragraphs)."""
    cells = [c for c in element if c.tag in ("td", "th")]  # a comment's tag is a function: never equal
    if not cells or any(next(c.iterdescendants("table"), None) is not None for c in cells):
        return None
    texts = [_WHITESPACE.sub(" ", _text_content(c)).strip() for c in cells]
    if any(len(t) > _DATA_CELL_LIMIT for t in texts):
        return None
    return texts


def _block_text(node) -> list[str]:
    parts: list[str] = []

    def walk(element):
        # Each of .tag, .text and .tail builds a new string: read once.
        tag = element.tag
        if not isinstance(tag, str):
            tag = ""
        if tag == "tr":
            cells = _data_row(element)
            if cells is not None:
                # One line per row, cells separated by ｜ (as for .docx tables): 序号 and labels stay with their row.
                row = "｜".join(c for c in cells if c)
                parts.append("\n" + row + "\n")
                return
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        text = element.text
        if text:
            parts.append(text)
        for child in element:
            walk(child)
            tail = child.tail
            if tail:
                parts.append(tail)
        if tag in ("td", "th"):
            parts.append(" ")
        if tag in _BLOCK_TAGS:
            parts.append("\n")

    walk(node)
    return [line.strip() for line in "".join(parts).split("\n") if line.strip()]


def _metadata_block(body, main, lengths: _TextLengths) -> list[str]:
    """The `[索引号] …` block printed above the document, when it is outside the main content: the smallest
    element holding a metadata label (the first in document order among equally small ones)."""
    if _METADATA_HINT.search(_text_content(main)[:600]):
        return []
    if not _METADATA_HINT.search(_text_content(body)):
        return []
    # A hint has at least three characters other than spaces: smaller elements cannot hold one.
    by_size = sorted(
        (n for n in body.iter("div", "table", "ul", "ol", "dl") if lengths[n] >= 3), key=lengths.__getitem__
    )
    smallest = next((n for n in by_size if _METADATA_HINT.search(_text_content(n))), None)
    if smallest is None or lengths[smallest] > 1500:
        return []
    return _block_text(smallest)
