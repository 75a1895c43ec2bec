"""Importing a folder of plain-text documents (.md / .txt) as published policies (`gongkai import-corpus`).

Each file becomes one policy, created and published through the actions (`create_policy`, `publish_policy`,
actor = the system), so that numbering, revisions, validity, the audit log and the search index are written
exactly as for a record entered in the admin.

What a record says comes from the document (`gongkai.documents`): the title (its `#` heading or first line); the
issuer from the promulgation lines, the signature or the title (`2008年1月31日 中华人民共和国国务院令第517号公布`
→ 国务院); the kind (法律, 行政法规, 地方性法规, 规章, 规范性文件, 其他文件, `gongkai.documents.kinds`); the dates: 成文日期
= the first adoption or promulgation, 发布日期 = the version's date in the file name (`条例(2020-03-27).md`) or the
last promulgation, 实施日期 = the 施行 line. Where the text says nothing, the folder does (`FOLDER_HINTS`: a file
under `行政法规/` is issued by 国务院, one under `部门规章/公安部/` by 公安部), and last `--department`.
An issuer outside the district is recorded as an external organisation (`core.external`).

Running the import again changes nothing for files already imported and unchanged; a record whose metadata the
import would now give differently (an earlier import with an older parser) is corrected through
`correct_policy_metadata`, audited, and counted as corrected.
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
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# What a folder says about the files in it, when their text does not: (issuer, kind). A folder named after an
# organ (部门规章/公安部/) gives that organ.
FOLDER_HINTS: dict[str, tuple[str | None, str]] = {
    "法律": ("全国人民代表大会常务委员会", "law"),
    "行政法规": ("国务院", "administrative_regulation"),
    "部门规章": (None, "rule"),
    "地方性法规": ("北京市人民代表大会常务委员会", "local_regulation"),
    "地方政府规章": ("北京市人民政府", "rule"),
    "规范性文件": (None, "normative"),
}


@dataclasses.dataclass
class ParsedFile:
    title: str
    body: str
    written_date: datetime.date | None
    publish_date: datetime.date | None = None
    effective_date: datetime.date | None = None
    issuers: list[str] = dataclasses.field(default_factory=list)
    document_kind: str = "other"
    doc_number: str = ""


@dataclasses.dataclass
class ImportReport:
    created: list[int] = dataclasses.field(default_factory=list)
    duplicates: list[str] = dataclasses.field(default_factory=list)
    corrected: list[tuple[str, list[str]]] = dataclasses.field(default_factory=list)  # (path, fields)
    failed: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (path, reason)

    @property
    def summary(self) -> str:
        return (
            f"新建 {len(self.created)} 件，更正 {len(self.corrected)} 件，重复跳过 {len(self.duplicates)} 件，"
            f"失败 {len(self.failed)} 件"
        )


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


def _iso(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def folder_hint(path: Path, root: Path | None) -> tuple[str | None, str | None]:
    """(issuer, kind) the folders above a file give (see `FOLDER_HINTS`)."""
    parts = (
        list(path.relative_to(root).parts[:-1])
        if root and path.is_relative_to(root)
        else list(path.parts[:-1])
    )
    issuer, kind = None, None
    for position, part in enumerate(parts):
        if part in FOLDER_HINTS:
            hinted_issuer, kind = FOLDER_HINTS[part]
            issuer = hinted_issuer or issuer
            if hinted_issuer is None and position + 1 < len(parts):
                issuer = parts[position + 1]  # 部门规章/公安部/…
    return issuer, kind


def parse_file(path: Path, root: Path | None = None) -> ParsedFile:
    from gongkai.documents.kinds import document_kind
    from gongkai.documents.normalise import normalise_text
    from gongkai.documents.official import parse_official_document

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

    doc = parse_official_document(normalise_text(title + "\n" + body), normalised=True, outline=False)
    hinted_issuer, hinted_kind = folder_hint(path, root)
    issuers = doc["issuers"] or ([hinted_issuer] if hinted_issuer else [])
    promulgation = doc["promulgation"]
    enacting = [_iso(e["date"]) for e in promulgation if e["date"] and e["action"] != "施行"]
    enacting = [d for d in enacting if d]
    in_force = [_iso(e["date"]) for e in promulgation if e["date"] and e["action"] == "施行"]
    in_force = [d for d in in_force if d]
    version = date_from_name(path.name)
    written = min(enacting) if enacting else (_iso(doc["date"]) or version)
    publish = version or (max(enacting) if enacting else written)
    if written and publish and publish < written:
        publish = written
    effective = max(in_force) if in_force else None
    if effective and written and effective < written:
        effective = None
    kind = document_kind(
        issuers=issuers,
        doc_type=doc["doc_type"],
        doc_number=doc["doc_number"],
        doc_number_kind=None,
        promulgation=promulgation,
        label=doc["metadata"].get("level"),
        hint=hinted_kind,
    )
    return ParsedFile(
        title=title,
        body=body,
        written_date=written,
        publish_date=publish,
        effective_date=effective,
        issuers=issuers,
        document_kind=kind,
        doc_number=doc["doc_number"] or "",
    )


def content_hash(title: str, body: str, doc_number: str = "") -> str:
    from .models import Policy

    return Policy(title=title, doc_number=doc_number, body=body).compute_content_hash()


def _issuers(parsed: ParsedFile, fallback) -> tuple[object | None, list]:
    """The issuing department (district or external) and the joint issuers of a parsed file."""
    from gongkai.core.departments import resolve_department
    from gongkai.core.external import external_organisation, looks_external

    found = []
    for name in parsed.issuers:
        department = resolve_department(name)
        if department is None and looks_external(name):
            department = external_organisation(name, actor=None)
        if department is not None and department not in found:
            found.append(department)
    if not found:
        return fallback, []
    return found[0], found[1:]


def _fields(parsed: ParsedFile, issuer, label: str) -> dict:
    from gongkai.documents.doc_number import check_doc_number

    from .models import DocumentKind

    number = parsed.doc_number if parsed.doc_number and check_doc_number(parsed.doc_number).repairable else ""
    return {
        "title": parsed.title,
        "issuer": issuer,
        "doc_number": number,
        "document_kind": parsed.document_kind,
        "is_normative": parsed.document_kind == DocumentKind.NORMATIVE,
        "policy_type": "" if issuer.is_external else "action_plan",
        "written_date": parsed.written_date,
        "publish_date": parsed.publish_date,
        "effective_date": parsed.effective_date,
    }


def import_files(
    paths: Iterable[Path],
    *,
    department=None,
    root: Path | None = None,
    progress: Callable[[Path], None] | None = None,
) -> ImportReport:
    """Imports the files one transaction each: a failing file is reported and the others still go in.
    `department` is the issuer when neither the text nor the folder names one."""
    from . import actions
    from .models import Policy

    report = ImportReport()
    for path in paths:
        label = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        try:
            parsed = parse_file(path, root)
            with transaction.atomic():
                issuer, joint = _issuers(parsed, department)
                if issuer is None:
                    raise UnreadableFile("无法确定发文机关（文中和文件夹都没有写明，请用 --department 指定）")
                fields = _fields(parsed, issuer, label)
                existing = (
                    Policy.objects.filter(source_path=label[:500]).order_by("pk").first()
                    or Policy.objects.filter(content_hash=content_hash(parsed.title, parsed.body)).first()
                )
                if existing is not None:
                    # What the document does not say (None) does not erase what the record has.
                    changes = {k: v for k, v in fields.items() if v is not None and getattr(existing, k) != v}
                    joint_now = sorted(d.pk for d in existing.joint_issuers.all())
                    if changes or joint_now != sorted(d.pk for d in joint):
                        changed = actions.correct_policy_metadata(
                            existing,
                            actor=None,
                            reason=f"重新导入 {label}：按文件内容更正元数据",
                            joint_issuers=joint,
                            **changes,
                        )
                        report.corrected.append((label, changed))
                    else:
                        report.duplicates.append(label)
                else:
                    policy = actions.create_policy(
                        actor=None, joint_issuers=joint, body=parsed.body, source_path=label[:500], **fields
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
