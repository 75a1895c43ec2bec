"""Importing a folder of plain-text documents (.md / .txt) as published policies (`gongkai import-corpus`).

Each file becomes one policy, created and published through the actions (`create_policy`, `publish_policy`,
actor = the system), so that numbering, revisions, validity, the audit log and the search index are written
exactly as for a record entered in the admin. Files whose content is already in the library (same
`content_hash`) are skipped, so running the import twice changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction

SUFFIXES = (".md", ".txt")
MAX_FILE_BYTES = 20 * 1024 * 1024
TITLE_MAX = 300
_DATE_IN_NAME = re.compile(r"[（(](\d{4})-(\d{1,2})-(\d{1,2})[)）]")
_DATE_IN_TEXT = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclasses.dataclass
class ParsedFile:
    title: str
    body: str
    written_date: datetime.date | None


@dataclasses.dataclass
class ImportReport:
    created: list[int] = dataclasses.field(default_factory=list)
    duplicates: list[str] = dataclasses.field(default_factory=list)
    failed: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (path, reason)

    @property
    def summary(self) -> str:
        return f"新建 {len(self.created)} 件，重复跳过 {len(self.duplicates)} 件，失败 {len(self.failed)} 件"


class UnreadableFile(Exception):
    pass


def find_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root] if root.suffix.lower() in SUFFIXES else []
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"无法读取：{exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"文件过大（{len(data) // 1048576} MB）")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("不是文本文件")
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise UnreadableFile("无法识别文件编码")
    return str(best)


def date_from_name(name: str) -> datetime.date | None:
    match = _DATE_IN_NAME.search(name)
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def parse_file(path: Path) -> ParsedFile:
    raw = read_text(path)
    raw = _HTML_COMMENT.sub("", raw.replace("\r\n", "\n").replace("\r", "\n"))
    raw = "".join(ch for ch in raw if ch.isprintable() or ch in "\n\t")
    title = ""
    lines: list[str] = []
    for line in raw.split("\n"):
        heading = _HEADING.match(line)
        text = (heading.group(1) if heading else line).strip()
        if not text:
            continue
        if not title and heading:
            title = text
            continue
        lines.append(text)
    if not title and not lines:
        raise UnreadableFile("空文件")
    if not title:
        title = lines.pop(0) if lines and len(lines[0]) <= 120 else path.stem
    title = re.sub(r"\s+", " ", title)[:TITLE_MAX]
    body = "\n".join(lines)
    if not title.strip() and not body.strip():
        raise UnreadableFile("空文件")
    written = date_from_name(path.name)
    if written is None:
        for line in lines[:3]:
            match = _DATE_IN_TEXT.search(line)
            if match:
                try:
                    written = datetime.date(*(int(g) for g in match.groups()))
                except ValueError:
                    written = None
                break
    return ParsedFile(title=title, body=body, written_date=written)


def content_hash(title: str, body: str, doc_number: str = "") -> str:
    from .models import Policy

    return Policy(title=title, doc_number=doc_number, body=body).compute_content_hash()


def import_files(
    paths: Iterable[Path],
    *,
    department,
    root: Path | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Imports the files one transaction each: a failing file is reported and the others still go in."""
    from . import actions
    from .models import Policy

    report = ImportReport()
    for path in paths:
        label = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        try:
            parsed = parse_file(path)
            digest = content_hash(parsed.title, parsed.body)
            if Policy.objects.filter(content_hash=digest).exists():
                report.duplicates.append(label)
            else:
                with transaction.atomic():
                    policy = actions.create_policy(
                        actor=None,
                        title=parsed.title,
                        body=parsed.body,
                        issuer=department,
                        written_date=parsed.written_date,
                        publish_date=parsed.written_date,
                        source_path=label[:500],
                    )
                    actions.publish_policy(policy, actor=None)
                report.created.append(policy.pk)
        except UnreadableFile as exc:
            report.failed.append((label, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch (house rule 8)
            from django.core.exceptions import ValidationError

            if isinstance(exc, ValidationError):
                reason = "；".join(exc.messages)
            else:
                reason = f"{type(exc).__name__}: {exc}"
            report.failed.append((label, reason[:300]))
        if progress:
            progress(path)
    return report
