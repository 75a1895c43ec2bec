"""Importing documents as draft policies (house rule 1: the admin, the CLI and the tests call these).

`import_document(file, actor=…)` reads a file, parses its GB/T 9704 elements and creates a DRAFT policy through
`gongkai.policies.actions.create_policy`, with the metadata the parse found. Importing the same content twice
changes nothing (idempotent by the policy's content hash). A file that cannot be read or whose record does not
validate comes back as a failed `ImportOutcome` with a Chinese reason; nothing is half-written.
"""

from __future__ import annotations

import dataclasses
import datetime
import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.core import audit
from gongkai.core.departments import resolve_department

from .doc_number import lint_doc_number
from .errors import DocumentError
from .extract import extract_text
from .official import parse_official_document

CREATED, UNCHANGED, FAILED = "created", "unchanged", "failed"
STATUS_LABELS = {CREATED: _("新建"), UNCHANGED: _("未变化"), FAILED: _("失败")}

# Problems of a 发文字号 the policy record refuses (see Policy.clean); the import then leaves the number out and
# says so, rather than losing the whole document.
_TOLERATED_NUMBER_PROBLEMS = {"brackets", "leading_zero", "spaces"}


@dataclasses.dataclass
class ImportOutcome:
    filename: str
    status: str
    policy: object | None = None
    reason: str = ""
    warnings: list[str] = dataclasses.field(default_factory=list)
    parsed: dict | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _department(name):
    return resolve_department(name) if name else None


def policy_fields_from_parse(
    parsed: dict, *, filename: str, default_issuer=None
) -> tuple[dict, list, list[str]]:
    """The policy fields a parse gives: (fields for `create_policy`, joint issuers, warnings).
    Raises ValidationError when no issuing department can be determined."""
    metadata = parsed.get("metadata") or {}
    warnings: list[str] = []
    stem = os.path.splitext(os.path.basename(filename))[0]
    title = (parsed.get("title") or metadata.get("title") or stem or gettext("未命名文件")).strip()[:300]

    issuer = None
    for candidate in (parsed.get("issuer"), metadata.get("issuer"), parsed.get("issuer_mark")):
        issuer = _department(candidate)
        if issuer:
            break
    if issuer is None:
        written = parsed.get("issuer") or metadata.get("issuer")
        if default_issuer is None:
            raise ValidationError(
                gettext("无法确定发文机构（文中写作“%(name)s”，不是已登记的部门）") % {"name": written}
                if written
                else gettext("无法确定发文机构，请指定默认发文机构")
            )
        if written:
            warnings.append(
                gettext("发文机构“%(name)s”不是已登记的部门，已使用“%(used)s”")
                % {"name": written, "used": default_issuer.display_name}
            )
        issuer = default_issuer

    doc_number = parsed.get("doc_number") or ""
    if doc_number:
        blocking = [p for p in lint_doc_number(doc_number) if p.code not in _TOLERATED_NUMBER_PROBLEMS]
        if blocking or len(doc_number) > 80:
            warnings.append(
                gettext("发文字号“%(number)s”不规范（%(problems)s），未填入")
                % {"number": doc_number, "problems": "；".join(p.message for p in blocking)}
            )
            doc_number = ""

    joint = []
    for name in metadata.get("joint_issuers") or []:
        department = _department(name)
        if department and department != issuer:
            joint.append(department)
        elif not department:
            warnings.append(gettext("联合发文单位“%(name)s”不是已登记的部门，未填入") % {"name": name})

    body = parsed.get("body") or ""
    if parsed.get("attached_text"):
        body = (body + "\n" + parsed["attached_text"]).strip()
    written_date = _date(parsed.get("date")) or _date(metadata.get("written_date"))
    publish_date = _date(metadata.get("publish_date"))
    if written_date and publish_date and publish_date < written_date:
        warnings.append(gettext("发布日期早于成文日期，未填入发布日期"))
        publish_date = None
    effective_date = _date(metadata.get("effective_date"))
    repeal_date = _date(metadata.get("repeal_date"))
    if effective_date and repeal_date and repeal_date < effective_date:
        warnings.append(gettext("废止日期早于实施日期，未填入废止日期"))
        repeal_date = None

    fields = {
        "title": title,
        "doc_number": doc_number,
        "issuer": issuer,
        "written_date": written_date,
        "publish_date": publish_date,
        "effective_date": effective_date,
        "repeal_date": repeal_date,
        "body": body,
        "source_path": filename[:500],
    }
    disclosure = parsed.get("disclosure")
    if disclosure:
        fields["disclosure"] = disclosure
        if disclosure != "proactive":
            fields["disclosure_reason"] = gettext("附注：%(note)s") % {"note": parsed.get("note") or ""}
    return fields, joint, warnings


def content_hash_for(fields: dict) -> str:
    from gongkai.documents.doc_number import normalise_doc_number
    from gongkai.policies.models import Policy

    probe = Policy(
        title=fields["title"], doc_number=normalise_doc_number(fields["doc_number"]), body=fields["body"]
    )
    return probe.compute_content_hash()


def import_text(text: str, *, actor, filename: str, default_issuer=None) -> ImportOutcome:
    """Creates a draft policy from a document's text (already extracted). Idempotent by content hash."""
    from gongkai.policies.actions import create_policy
    from gongkai.policies.models import Policy

    parsed = parse_official_document(text)
    try:
        fields, joint, warnings = policy_fields_from_parse(
            parsed, filename=filename, default_issuer=default_issuer
        )
    except ValidationError as exc:
        return ImportOutcome(filename, FAILED, reason="；".join(exc.messages), parsed=parsed)
    if not fields["body"].strip() and not fields["title"].strip():
        return ImportOutcome(filename, FAILED, reason=gettext("文件中没有正文"), parsed=parsed)
    existing = Policy.objects.for_user(actor).filter(content_hash=content_hash_for(fields)).first()
    if existing is not None:
        return ImportOutcome(filename, UNCHANGED, policy=existing, warnings=warnings, parsed=parsed)
    try:
        with transaction.atomic():
            policy = create_policy(actor=actor, joint_issuers=joint, **fields)
            audit.record(
                "document.import",
                policy,
                actor=actor,
                after={
                    "filename": filename,
                    "doc_number": parsed.get("doc_number"),
                    "date": parsed.get("date"),
                },
                note="；".join(warnings),
            )
    except ValidationError as exc:
        return ImportOutcome(
            filename, FAILED, reason="；".join(exc.messages), warnings=warnings, parsed=parsed
        )
    except PermissionDenied as exc:
        return ImportOutcome(
            filename, FAILED, reason=str(exc) or gettext("没有权限"), warnings=warnings, parsed=parsed
        )
    return ImportOutcome(filename, CREATED, policy=policy, warnings=warnings, parsed=parsed)


def import_document(
    path_or_file, *, actor, filename: str | None = None, default_issuer=None
) -> ImportOutcome:
    """Reads a file (.txt .md .docx .pdf .html) and imports it as a draft policy (see `import_text`)."""
    name = filename or (
        str(path_or_file)
        if isinstance(path_or_file, (str, os.PathLike))
        else getattr(path_or_file, "name", "")
    )
    try:
        text = extract_text(path_or_file, filename=os.path.basename(name) if name else None)
    except DocumentError as exc:
        return ImportOutcome(name or exc.filename, FAILED, reason=str(exc))
    return import_text(text, actor=actor, filename=name, default_issuer=default_issuer)
