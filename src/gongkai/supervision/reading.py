"""Reading a work-plan file: the documents app's `extract_text` (docx, pdf, html, txt); plain text files are
read directly when that module is not available."""

from __future__ import annotations

from pathlib import Path


def read_workplan_text(path: str) -> str:
    try:
        from gongkai.documents.extract import extract_text
    except ImportError:
        extract_text = None
    if extract_text is not None:
        return extract_text(path)
    if Path(path).suffix.lower() != ".txt":
        raise ValueError("文本提取模块不可用，目前只能导入 .txt 文件")
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("无法识别文件编码")


def parse_workplan_file(path: str) -> tuple[str, dict]:
    from gongkai.documents.workplan import parse_workplan

    text = read_workplan_text(path)
    try:
        from gongkai.core.departments import database_resolver
    except ImportError:  # older core without resolvers
        return text, parse_workplan(text)
    return text, parse_workplan(text, resolver=database_resolver)
