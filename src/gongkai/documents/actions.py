"""Importing documents as draft policies (house rule 1: the admin, the CLI and the tests call these).

`import_document(file, actor=…)` reads a file, parses it (`parse_official_document`) and creates a DRAFT policy
through `gongkai.policies.actions.create_policy` with what the document says: title, 发文字号, issuer (a district
department, or an organ outside the district recorded as an external organisation), joint issuers, kind
(法律 … 其他文件), dates, 公开属性. `plan_import(parsed)` computes that without writing anything — the admin's preview
shows it, with a flag for everything the officer should look at, and lets each field be corrected (`overrides`).

Importing the same document again (same file and text, or the same content) changes nothing when nothing
differs; when the parse now gives different metadata (an earlier import, an improved parser), the record is
corrected through `correct_policy_metadata` (audited) and the outcome is *updated*. A file that cannot be read or
whose record does not validate comes back as a failed `ImportOutcome` with a Chinese reason; nothing is
half-written.
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
from gongkai.core.departments import resolve_department, resolve_external
from gongkai.core.external import external_organisation, looks_external

from .doc_number import check_doc_number
from .errors import DocumentError
from .extract import extract_text
from .kinds import LABELS as KIND_LABELS
from .official import parse_official_document

CREATED, UPDATED, UNCHANGED, FAILED = "created", "updated", "unchanged", "failed"
STATUS_LABELS = {CREATED: _("新建"), UPDATED: _("更正"), UNCHANGED: _("未变化"), FAILED: _("失败")}

# Metadata an import sets and a re-import corrects.
METADATA_FIELDS = (
    "title",
    "doc_number",
    "issuer",
    "document_kind",
    "policy_type",
    "is_normative",
    "written_date",
    "publish_date",
    "effective_date",
    "repeal_date",
)


@dataclasses.dataclass
class ImportOutcome:
    filename: str
    status: str
    policy: object | None = None
    reason: str = ""
    warnings: list[str] = dataclasses.field(default_factory=list)
    parsed: dict | None = None
    changed: list[str] = dataclasses.field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclasses.dataclass
class ImportPlan:
    """What an import would write, before anything is written. `issuer` is None when the issuer is an external
    organ not yet recorded (`new_external_issuer` names it) or cannot be determined (`problem` says so)."""

    fields: dict
    issuer: object | None
    new_external_issuer: str = ""
    joint: list = dataclasses.field(default_factory=list)
    new_external_joint: list[str] = dataclasses.field(default_factory=list)
    flags: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    problem: str = ""

    def flag(self, field: str, message: str) -> None:
        self.flags.setdefault(field, []).append(message)

    @property
    def warnings(self) -> list[str]:
        return [message for messages in self.flags.values() for message in messages]


def _date(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _issuer_candidates(parsed: dict) -> list[str]:
    metadata = parsed.get("metadata") or {}
    names = list(parsed.get("issuers") or [])
    for extra in (parsed.get("issuer"), metadata.get("issuer"), parsed.get("issuer_mark")):
        if extra and extra not in names:
            names.append(extra)
    return names


def plan_import(parsed: dict, *, filename: str, default_issuer=None) -> ImportPlan:
    """The policy fields a parse gives, with a flag for each thing to check. Reads the database, writes nothing."""
    metadata = parsed.get("metadata") or {}
    stem = os.path.splitext(os.path.basename(filename))[0]
    plan = ImportPlan(fields={}, issuer=None)

    title = (parsed.get("title") or metadata.get("title") or "").strip()
    if not title:
        title = stem or gettext("未命名文件")
        plan.flag("title", gettext("文中没有标题，暂用文件名"))
    elif metadata.get("title") and metadata["title"].replace(" ", "") != title.replace(" ", ""):
        plan.flag("title", gettext("网页信息栏的标题为“%(other)s”") % {"other": metadata["title"]})
    title = title[:300]

    # 发文机构: a district department, else an organ outside the district, else the default.
    candidates = _issuer_candidates(parsed)
    for name in candidates:
        department = resolve_department(name)
        if department is not None:
            plan.issuer = department
            break
        external = resolve_external(name)
        if external is not None:
            plan.issuer = external
            plan.flag("issuer", gettext("“%(name)s”是区外机关（已登记的外部机关）") % {"name": name})
            break
        if looks_external(name):
            plan.new_external_issuer = name
            plan.flag("issuer", gettext("“%(name)s”是区外机关，保存时将登记为外部机关") % {"name": name})
            break
    if plan.issuer is None and not plan.new_external_issuer:
        written = candidates[0] if candidates else None
        if default_issuer is not None:
            plan.issuer = default_issuer
            if written:
                plan.flag(
                    "issuer",
                    gettext("发文机构“%(name)s”不是已登记的部门，已使用“%(used)s”")
                    % {"name": written, "used": default_issuer.display_name},
                )
            else:
                plan.flag("issuer", gettext("文中没有发文机关，已使用默认发文机构"))
        else:
            plan.problem = (
                gettext("无法确定发文机构（文中写作“%(name)s”，不是已登记的部门）") % {"name": written}
                if written
                else gettext("无法确定发文机构，请指定默认发文机构")
            )
            plan.flag("issuer", plan.problem)
    chosen = plan.issuer
    issuer_names = {n for n in candidates[:1]}
    for name in [*(parsed.get("issuers") or [])[1:], *(metadata.get("joint_issuers") or [])]:
        if name in issuer_names:
            continue
        department = resolve_department(name) or resolve_external(name)
        if department is not None and department != chosen and department not in plan.joint:
            plan.joint.append(department)
        elif department is None and looks_external(name):
            if name not in plan.new_external_joint:
                plan.new_external_joint.append(name)
        elif department is None:
            plan.flag(
                "joint_issuers", gettext("联合发文单位“%(name)s”不是已登记的部门，未填入") % {"name": name}
            )

    # 发文字号
    doc_number = parsed.get("doc_number") or ""
    for problem in parsed.get("doc_number_problems") or []:
        plan.flag(
            "doc_number",
            gettext("原文“%(written)s”：%(message)s")
            % {
                "written": parsed.get("doc_number_as_written") or doc_number,
                "message": problem["message"],
            },
        )
    if doc_number:
        check = check_doc_number(doc_number)
        if not check.repairable or len(doc_number) > 80:
            plan.flag(
                "doc_number",
                gettext("发文字号“%(number)s”不规范（%(problems)s），未填入")
                % {"number": doc_number, "problems": "；".join(p.message for p in check.problems)},
            )
            doc_number = ""
    if metadata.get("doc_number") and doc_number and metadata["doc_number"] != doc_number:
        plan.flag(
            "doc_number", gettext("网页信息栏的发文字号为“%(other)s”") % {"other": metadata["doc_number"]}
        )

    # Dates
    written_date = _date(parsed.get("date")) or _date(metadata.get("written_date"))
    if not written_date:
        plan.flag("written_date", gettext("文中没有成文日期"))
    publish_date = _date(metadata.get("publish_date"))
    if written_date and publish_date and publish_date < written_date:
        plan.flag("publish_date", gettext("发布日期早于成文日期，未填入发布日期"))
        publish_date = None
    effective_date = _date(metadata.get("effective_date"))
    if effective_date is None:
        in_force = [_date(e["date"]) for e in parsed.get("promulgation") or [] if e["action"] == "施行"]
        effective_date = max((d for d in in_force if d), default=None)
    repeal_date = _date(metadata.get("repeal_date"))
    if effective_date and repeal_date and repeal_date < effective_date:
        plan.flag("repeal_date", gettext("废止日期早于实施日期，未填入废止日期"))
        repeal_date = None
    attached = parsed.get("attached_document")
    if attached and (attached.get("issuer") or attached.get("date")):
        plan.flag(
            "written_date",
            gettext("所附（转发）文件《%(title)s》的发文机关和日期（%(issuer)s，%(date)s）未作为本文件的")
            % {
                "title": attached["title"],
                "issuer": attached.get("issuer") or "—",
                "date": attached.get("date") or "—",
            },
        )

    kind = parsed.get("document_kind") or "other"
    plan.flag(
        "document_kind",
        gettext("按发文机关、文种和发文字号判断为“%(kind)s”") % {"kind": KIND_LABELS.get(kind, kind)},
    )
    external = (plan.issuer is not None and plan.issuer.is_external) or bool(plan.new_external_issuer)
    body = parsed.get("body") or ""
    if parsed.get("attached_text"):
        body = (body + "\n" + parsed["attached_text"]).strip()

    plan.fields = {
        "title": title,
        "doc_number": check_doc_number(doc_number).normalised if doc_number else "",
        "issuer": plan.issuer,
        "document_kind": kind,
        "is_normative": kind == "normative",
        "policy_type": "" if external else "action_plan",
        "written_date": written_date,
        "publish_date": publish_date,
        "effective_date": effective_date,
        "repeal_date": repeal_date,
        "body": body,
        "source_path": filename[:500],
    }
    disclosure = parsed.get("disclosure")
    if disclosure:
        plan.fields["disclosure"] = disclosure
        if disclosure != "proactive":
            plan.fields["disclosure_reason"] = gettext("附注：%(note)s") % {"note": parsed.get("note") or ""}
    else:
        plan.flag("disclosure", gettext("附注没有写明公开属性，默认主动公开"))
    return plan


def policy_fields_from_parse(
    parsed: dict, *, filename: str, default_issuer=None
) -> tuple[dict, list, list[str]]:
    """(fields for `create_policy`, joint issuers, warnings) — for callers that only read. Raises ValidationError
    when no issuer can be determined. An external issuer not yet recorded is not created here."""
    plan = plan_import(parsed, filename=filename, default_issuer=default_issuer)
    if plan.problem:
        raise ValidationError(plan.problem)
    return plan.fields, plan.joint, plan.warnings


def content_hash_for(fields: dict) -> str:
    from gongkai.policies.models import Policy

    number = check_doc_number(fields["doc_number"]).normalised if fields["doc_number"] else ""
    probe = Policy(title=fields["title"], doc_number=number, body=fields["body"])
    return probe.compute_content_hash()


def _existing(fields: dict, actor):
    """The record an earlier import of the same document made (same source and text, or same content), among
    the records the actor may see (a department never learns of another department's drafts this way)."""
    from gongkai.policies.models import Policy

    visible = Policy.objects.for_user(actor)
    same = visible.filter(source_path=fields["source_path"], body=fields["body"]).order_by("pk").first()
    return same or visible.filter(content_hash=content_hash_for(fields)).order_by("pk").first()


def _apply_overrides(plan: ImportPlan, overrides: dict | None) -> None:
    """The officer's corrections from the preview form: any field, the issuer (a department or the name of an
    external organ to record), the joint issuers."""
    if not overrides:
        return
    for name, value in overrides.items():
        if name == "issuer":
            if value is not None:
                plan.issuer, plan.new_external_issuer = value, ""
        elif name == "new_external_issuer":
            if value:
                plan.issuer, plan.new_external_issuer = None, value
        elif name == "joint_issuers":
            plan.joint, plan.new_external_joint = list(value), []
        elif name in plan.fields or name in ("disclosure", "disclosure_reason"):
            plan.fields[name] = value
    plan.problem = "" if (plan.issuer is not None or plan.new_external_issuer) else plan.problem
    plan.fields["is_normative"] = plan.fields.get("document_kind") == "normative"


def import_text(
    text: str, *, actor, filename: str, default_issuer=None, overrides: dict | None = None
) -> ImportOutcome:
    """Creates a draft policy from a document's text (already extracted), or corrects the metadata of the
    record an earlier import made."""
    from gongkai.policies.actions import can_edit_policy, correct_policy_metadata, create_policy

    parsed = parse_official_document(text, normalised=True)
    plan = plan_import(parsed, filename=filename, default_issuer=default_issuer)
    _apply_overrides(plan, overrides)
    if plan.problem:
        return ImportOutcome(filename, FAILED, reason=plan.problem, parsed=parsed)
    fields = plan.fields
    if not fields["body"].strip() and not fields["title"].strip():
        return ImportOutcome(filename, FAILED, reason=gettext("文件中没有正文"), parsed=parsed)
    existing = _existing(fields, actor)
    if existing is not None and not can_edit_policy(actor, existing):
        # another department's record the actor may read (e.g. published): nothing to import, nothing to correct
        return ImportOutcome(filename, UNCHANGED, policy=existing, warnings=plan.warnings, parsed=parsed)
    try:
        with transaction.atomic():
            issuer = plan.issuer or external_organisation(plan.new_external_issuer, actor=actor)
            fields["issuer"] = issuer
            if issuer.is_external and not (overrides and "policy_type" in overrides):
                fields["policy_type"] = ""
            joint = [d for d in plan.joint if d != issuer] + [
                external_organisation(name, actor=actor) for name in plan.new_external_joint
            ]
            if existing is not None:
                changes = {
                    name: fields[name]
                    for name in METADATA_FIELDS
                    if fields.get(name) not in (None, "") and getattr(existing, name) != fields[name]
                }
                changed = correct_policy_metadata(
                    existing,
                    actor=actor,
                    reason=gettext("重新导入“%(file)s”：按文件内容更正元数据")
                    % {"file": os.path.basename(filename)},
                    joint_issuers=joint if joint else None,
                    **changes,
                )
                status = UPDATED if changed else UNCHANGED
                return ImportOutcome(
                    filename, status, policy=existing, warnings=plan.warnings, parsed=parsed, changed=changed
                )
            policy = create_policy(actor=actor, joint_issuers=joint, **fields)
            audit.record(
                "document.import",
                policy,
                actor=actor,
                after={
                    "filename": filename,
                    "doc_number": parsed.get("doc_number"),
                    "date": parsed.get("date"),
                    "issuer": parsed.get("issuer"),
                    "document_kind": parsed.get("document_kind"),
                    "corrected": sorted(overrides) if overrides else [],
                },
                note="；".join(plan.warnings),
            )
    except ValidationError as exc:
        return ImportOutcome(
            filename, FAILED, reason="；".join(exc.messages), warnings=plan.warnings, parsed=parsed
        )
    except PermissionDenied as exc:
        return ImportOutcome(
            filename, FAILED, reason=str(exc) or gettext("没有权限"), warnings=plan.warnings, parsed=parsed
        )
    return ImportOutcome(filename, CREATED, policy=policy, warnings=plan.warnings, parsed=parsed)


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
