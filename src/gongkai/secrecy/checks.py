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


def reply_release_problems(reply) -> list[str]:
    """The confidentiality check of a disclosure reply before it is sent (23:三(一)4): high findings in the reply
    text and its reason, except the applicant's own data, which the letter is addressed to and may repeat."""
    request = reply.request
    own = {
        "".join(str(v).split())
        for v in (request.applicant_name, request.id_number, request.phone, request.email, request.address)
        if v
    }
    text = "\n".join(part for part in (reply.reason, reply.body) if part)
    high = [
        f
        for f in scanner.scan_text(text)
        if f.severity == scanner.HIGH and "".join(f.text.split()) not in own
    ]
    if not high:
        return []
    return [_("%(text)s，请脱敏后再发送") % {"text": _describe(high, _("答复告知书"))}]
