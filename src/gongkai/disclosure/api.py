"""Public JSON API of disclosure on request (mounted at /api/v1/disclosure). No identity data, ever."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.errors import HttpError

from gongkai.core import ratelimit

from . import actions
from .models import ReplyLetter, ReplyStatus
from .public import public_status

router = Router(tags=["依申请公开"])


class TrackIn(Schema):
    tracking_number: str
    query_code: str


class LinkOut(Schema):
    title: str
    url: str


class NoticeOut(Schema):
    number: str
    title: str
    sent_on: str
    url: str


class TimelineOut(Schema):
    date: str
    text: str


class ReplyOut(Schema):
    reply_number: str
    outcome: str
    outcome_label: str
    sent_on: str
    body: str
    pdf_sha256: str
    pdf_url: str
    docx_url: str
    documents: list[LinkOut]


class StatusOut(Schema):
    tracking_number: str
    department: str
    information_title: str
    channel: str
    status: str
    status_label: str
    submitted_on: str
    received_date: str | None
    deadline: str | None
    deadline_text: str
    overdue: bool
    overdue_working_days: int
    pauses: list[str]
    extended: bool
    correction_items: str
    correction_due: str | None
    can_correct_online: bool
    fee_amount: str | None
    notices: list[NoticeOut]
    timeline: list[TimelineOut]
    reply: ReplyOut | None


class ReplyCheckOut(Schema):
    reply_number: str
    department: str
    sent_on: str
    pdf_sha256: str


@router.post("/track", response=StatusOut, summary="凭申请编号和查询码查询办理进度")
def track(request, payload: TrackIn):
    if not ratelimit.hit(request, "disclosure.track"):
        raise HttpError(429, "查询次数过多，请一小时后再试")
    req = actions.find_by_tracking(payload.tracking_number[:40], payload.query_code[:80])
    if req is None:
        raise HttpError(404, "申请编号或查询码不正确")
    return public_status(req)


@router.get(
    "/replies/{reply_number}", response=ReplyCheckOut, summary="按答复编号查询存档答复（用于验证真伪）"
)
def reply_check(request, reply_number: str):
    # A look-up that confirms which reply numbers exist: limited per client like the other look-ups.
    if not ratelimit.hit(request, "disclosure.reply_lookup"):
        raise HttpError(429, "查询次数过多，请一小时后再试")
    reply = (
        ReplyLetter.objects.filter(reply_number=reply_number[:30], status=ReplyStatus.SENT)
        .select_related("request__department")
        .first()
    )
    if reply is None:
        raise HttpError(404, "本平台没有该编号的答复")
    return {
        "reply_number": reply.reply_number,
        "department": reply.request.department.name,
        "sent_on": reply.sent_on.isoformat(),
        "pdf_sha256": reply.pdf_sha256,
    }
