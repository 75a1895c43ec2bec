"""The confidentiality check as other parts of the system use it: the publication check (a high finding blocks
`publish_policy` until it is redacted, or an administrator overrides with a reason) and the automatic check of
the pre-release review workflow."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from . import scanner
from .aggregation import aggregation_risks
from .models import FindingType

FIELD_LABELS = {"title": "标题", "summary": "摘要", "body": "正文"}


def policy_documents(policy) -> list[tuple[str, str]]:
    """(name, text) of everything published with the policy: its title, summary and body as they will be
    published next, and the text of each readable attachment."""
    from gongkai.policies.textio import UnreadableFile, read_text

    from .actions import POLICY_TEXT_FIELDS, _latest_content

    content = _latest_content(policy)
    docs = []
    for field in POLICY_TEXT_FIELDS:
        text = getattr(content, field) or ""
        if text:
            docs.append((FIELD_LABELS[field], text))
    attachments = getattr(content, "attachments", None)
    for attachment in attachments.all() if attachments is not None else []:
        try:
            path = attachment.file.path
        except (ValueError, NotImplementedError):
            continue
        try:
            text = read_text(path)
        except UnreadableFile:
            continue
        docs.append((_("附件：%(title)s") % {"title": attachment.title}, text))
    return docs


def _describe(findings, where: str) -> str:
    counts = Counter(f.type for f in findings)
    parts = [
        _("%(label)s %(count)s 处") % {"label": FindingType(kind).label, "count": count}
        for kind, count in sorted(counts.items())
    ]
    return _("%(where)s发现%(items)s") % {"where": where, "items": "、".join(parts)}


def policy_confidentiality_report(policy) -> dict:
    """Findings per document (title, summary, body, attachments) and the aggregation risks among them."""
    docs = policy_documents(policy)
    per_doc = {name: scanner.scan_text(text) for name, text in docs}
    # the title, summary and body are one document for the reader: aggregate attachments against all of them
    return {"documents": per_doc, "aggregation": aggregation_risks(docs, per_doc)}


def policy_confidentiality_problems(policy) -> list[str]:
    """One Chinese message per document with a high finding, and one per high aggregation risk; empty when the
    policy may be published. Documents marked 不予公开 are never shown to the public and are not checked."""
    from gongkai.policies.models import DisclosureAttribute

    if getattr(policy, "disclosure", None) == DisclosureAttribute.NOT_DISCLOSED:
        return []
    report = policy_confidentiality_report(policy)
    problems = []
    for name, findings in report["documents"].items():
        high = [f for f in findings if f.severity == scanner.HIGH]
        if high:
            problems.append(_("保密审查：%(text)s，请脱敏后再发布") % {"text": _describe(high, name)})
    for risk in report["aggregation"]:
        if risk.severity == scanner.HIGH:
            problems.append(_("保密审查（汇聚风险）：%(message)s") % {"message": risk.message})
    return problems


def publication_check(policy, actor):
    from gongkai.policies.publication import PublicationProblem

    return [PublicationProblem("secrecy", message) for message in policy_confidentiality_problems(policy)]


def batch_confidentiality_problems(policies) -> list[str]:
    """Aggregation risks among several policies published together (a batch or a dataset)."""
    from gongkai.policies.models import DisclosureAttribute

    docs = []
    for policy in policies:
        if policy.disclosure == DisclosureAttribute.NOT_DISCLOSED:
            continue
        for name, text in policy_documents(policy):
            docs.append((f"《{policy.title}》{name}", text))
    return [
        _("保密审查（汇聚风险）：%(message)s") % {"message": risk.message}
        for risk in aggregation_risks(docs)
        if risk.severity == scanner.HIGH
    ]


def batch_publication_check(policies, actor):
    from gongkai.policies.publication import PublicationProblem

    return [PublicationProblem("secrecy", message) for message in batch_confidentiality_problems(policies)]


def _applicant_values(request) -> set[str]:
    return {
        "".join(str(v).split())
        for v in (request.applicant_name, request.id_number, request.phone, request.email, request.address)
        if v
    }


def reply_release_problems(reply) -> list:
    """The confidentiality check of a disclosure reply before it is sent (23:三(一)4), over the letter (reason and
    body) and every document delivered with it. The applicant's own data is left out: the letter is addressed to
    them and may repeat it.

    - high findings block (`str`): redact first;
    - medium findings — a third party's phone or home address, a licence plate, a suspect ID number (ID-shaped,
      wrong check digit) — need the officer's confirmation with a reason (`ReleaseProblem(confirmable=True)`);
    - a delivered document whose text cannot be read (a scan, a picture) needs the same confirmation."""
    from gongkai.disclosure.release import ReleaseProblem

    request = reply.request
    own = _applicant_values(request)
    text = "\n".join(part for part in (reply.reason, reply.body) if part)
    findings = [f for f in scanner.scan_text(text) if "".join(f.text.split()) not in own]
    suspects = [f for f in scanner.find_suspect_resident_ids(text) if "".join(f.text.split()) not in own]
    problems: list = []
    where = _("答复告知书")
    high = [f for f in findings if f.severity == scanner.HIGH]
    if high:
        problems.append(_("%(text)s，请脱敏后再发送") % {"text": _describe(high, where)})
    medium = [f for f in findings if f.severity == scanner.MEDIUM]
    if medium:
        problems.append(
            ReleaseProblem(
                _("%(text)s（%(items)s），确认可以提供后填写理由再发送")
                % {"text": _describe(medium, where), "items": _masked_list(medium)},
                confirmable=True,
            )
        )
    if suspects:
        problems.append(
            ReleaseProblem(
                _("%(where)s有 %(n)s 处疑似身份证号码（校验位不符：%(items)s），请核对")
                % {"where": where, "n": len(suspects), "items": _masked_list(suspects)},
                confirmable=True,
            )
        )
    documents = reply.documents.all() if reply.pk else []
    for doc in documents:
        from gongkai.disclosure.models import ScanStatus

        name = _("附件《%(title)s》") % {"title": doc.title}
        stored = doc.findings or []
        high = [f for f in stored if f.get("severity") == scanner.HIGH]
        medium = [f for f in stored if f.get("severity") == scanner.MEDIUM]
        if high:
            problems.append(
                _("%(name)s发现%(items)s，请脱敏后再发送") % {"name": name, "items": _stored_counts(high)}
            )
        if medium:
            problems.append(
                ReleaseProblem(
                    _("%(name)s发现%(items)s（%(masked)s），确认可以提供后填写理由再发送")
                    % {
                        "name": name,
                        "items": _stored_counts(medium),
                        "masked": "、".join(f.get("masked", "") for f in medium[:5]),
                    },
                    confirmable=True,
                )
            )
        if doc.scan_status == ScanStatus.UNREADABLE:
            problems.append(
                ReleaseProblem(
                    _("%(name)s无法读取文字（扫描件或图片），请人工核对确无不应公开的内容后填写理由")
                    % {"name": name},
                    confirmable=True,
                )
            )
    return problems


def _masked_list(findings) -> str:
    from .redaction import mask_value

    return "、".join(mask_value(f.text, f.type) for f in findings[:5])


def _stored_counts(items) -> str:
    counts = Counter(f.get("type") for f in items)
    return "、".join(
        _("%(label)s %(count)s 处") % {"label": FindingType(kind).label, "count": count}
        for kind, count in sorted(counts.items())
        if kind in FindingType.values
    )
