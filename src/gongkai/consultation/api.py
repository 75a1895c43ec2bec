"""Public API of 意见征集 (mounted at /api/v1/consultations): published consultations with their period, the
published comments (no name unless the commenter chose to show it, never a contact) and the feedback report."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from .models import Comment, Consultation, Disposition, ReportStatus

router = Router(tags=["意见征集"])


class ConsultationOut(Schema):
    id: int
    title: str
    department: str
    policy_id: int
    start_date: datetime.date
    end_date: datetime.date
    extended_to: datetime.date | None
    extension_reason: str
    short_period_reason: str
    status: str  # open | closed | upcoming
    comments: int
    has_report: bool
    url: str


class CommentOut(Schema):
    id: int
    article: str
    text: str
    name: str
    created_at: datetime.datetime
    disposition: str
    disposition_label: str
    reason: str


class ReportOut(Schema):
    summary: str
    counts: dict[str, int]
    points: list[dict]
    changes: dict
    published_at: datetime.datetime | None


class ConsultationDetailOut(ConsultationOut):
    explanation: str
    draft_text: str
    comment_list: list[CommentOut]
    report: ReportOut | None


def _phase(c, today) -> str:
    if today < c.start_date:
        return "upcoming"
    return "open" if today <= c.closes_on else "closed"


def _out(c, today, comment_count: int) -> dict:
    report = getattr(c, "report", None)
    return {
        "id": c.pk,
        "title": c.title,
        "department": c.department.name,
        "policy_id": c.policy_id,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "extended_to": c.extended_to,
        "extension_reason": c.extension_reason,
        "short_period_reason": c.short_period_reason,
        "status": _phase(c, today),
        "comments": comment_count,
        "has_report": bool(report and report.status == ReportStatus.PUBLISHED),
        "url": c.get_absolute_url(),
    }


def _report_or_none(c):
    try:
        return c.report
    except Consultation.report.RelatedObjectDoesNotExist:
        return None


@router.get("", response=list[ConsultationOut], summary="意见征集列表（征集中和已结束的）")
def list_consultations(request, status: str | None = None):
    today = timezone.localdate()
    items = (
        Consultation.objects.public()
        .filter(start_date__lte=today)
        .select_related("department", "report")[:500]
    )
    counts = {}
    for row in Comment.objects.public().values_list("consultation_id", flat=True):
        counts[row] = counts.get(row, 0) + 1
    out = [_out(c, today, counts.get(c.pk, 0)) for c in items]
    if status in ("open", "closed"):
        out = [o for o in out if o["status"] == status]
    return out


@router.get(
    "/{consultation_id}", response=ConsultationDetailOut, summary="一次意见征集：草案、公开的意见和采纳情况"
)
def get_consultation(request, consultation_id: int):
    today = timezone.localdate()
    c = get_object_or_404(
        Consultation.objects.public().filter(start_date__lte=today).select_related("department"),
        pk=consultation_id,
    )
    comments = list(Comment.objects.public().filter(consultation=c).order_by("unit_index", "id"))
    report = _report_or_none(c)
    published = report is not None and report.status == ReportStatus.PUBLISHED
    data = _out(c, today, len(comments))
    data["explanation"] = c.explanation
    data["draft_text"] = c.draft_text
    data["comment_list"] = [
        {
            "id": x.pk,
            "article": x.article,
            "text": x.text,
            "name": x.public_name,
            "created_at": x.created_at,
            # dispositions are public with the report, not before
            "disposition": x.disposition if published else "",
            "disposition_label": str(Disposition(x.disposition).label) if published and x.disposition else "",
            "reason": x.disposition_reason if published else "",
        }
        for x in comments
    ]
    data["report"] = (
        {
            "summary": report.summary,
            "counts": report.counts,
            "points": report.points,
            "changes": report.changes,
            "published_at": report.published_at,
        }
        if published
        else None
    )
    data["has_report"] = published
    return data
