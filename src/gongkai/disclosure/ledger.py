"""The 依申请公开台账 (ledger): one row per request with its dates, state and the letters it produced, and a
register of every numbered letter (文书登记). No identity data: the applicant appears by kind only."""

from __future__ import annotations

import io

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .models import Notice, NoticeKind, ReplyStatus

LEDGER_COLUMNS = [
    "申请编号",
    "受理机关",
    "申请渠道",
    "提交日期",
    "收到申请日期",
    "申请人类型",
    "所需信息",
    "状态",
    "承办人",
    "答复期限",
    "是否超期",
    "补正告知书",
    "延期答复告知书",
    "征求意见函",
    "答复编号",
    "办理结果",
    "答复日期",
    "提供的政府信息（件）",
    "其中脱敏（件）",
    "申请人邮件（封）",
    "复议诉讼（件）",
]


def _numbers(notices, *kinds) -> str:
    return "、".join(n.number for n in notices if n.kind in kinds)


def ledger_queryset(qs):
    return (
        qs.select_related("department", "assignee", "reply")
        .prefetch_related(Prefetch("notices", queryset=Notice.objects.order_by("sent_on", "id")))
        .annotate(
            mail_count=Count("mails", distinct=True),
            case_count=Count("cases", distinct=True),
            document_count=Count("reply__documents", distinct=True),
            redacted_count=Count(
                "reply__documents", filter=~Q(reply__documents__redacted_file=""), distinct=True
            ),
        )
        .order_by("submitted_at", "id")
    )


def ledger_row(req, today=None) -> list:
    today = today or timezone.localdate()
    notices = list(req.notices.all())
    reply = getattr(req, "reply", None)
    sent = reply is not None and reply.status == ReplyStatus.SENT
    return [
        req.tracking_number,
        req.department.name,
        str(req.get_channel_display()),
        timezone.localtime(req.submitted_at).date(),
        req.received_date,
        str(req.get_applicant_type_display())
        + (f"（{req.get_organization_kind_display()}）" if req.organization_kind else ""),
        req.information_title,
        str(req.get_status_display()),
        str(req.assignee or ""),
        req.deadline,
        "是" if req.is_overdue(today) else "否",
        _numbers(notices, NoticeKind.CORRECTION),
        _numbers(notices, NoticeKind.EXTENSION),
        _numbers(notices, NoticeKind.CONSULT_THIRD_PARTY, NoticeKind.CONSULT_AGENCY),
        reply.reply_number if sent else "",
        str(reply.get_outcome_display()) if sent else "",
        req.replied_on,
        getattr(req, "document_count", 0),
        getattr(req, "redacted_count", 0),
        getattr(req, "mail_count", 0),
        getattr(req, "case_count", 0),
    ]


def ledger_xlsx(qs) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "依申请公开台账"
    ws.append(LEDGER_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    requests = list(ledger_queryset(qs))
    for req in requests:
        ws.append(ledger_row(req))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if hasattr(cell.value, "year") and not isinstance(cell.value, str):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    register = wb.create_sheet("文书登记")
    register.append(["文书编号", "文书类型", "申请编号", "收件人", "发出日期", "PDF 摘要（SHA-256）"])
    for cell in register[1]:
        cell.font = Font(bold=True)
    ids = [r.pk for r in requests]
    for n in Notice.objects.filter(request_id__in=ids).select_related("request").order_by("sent_on", "id"):
        register.append(
            [
                n.number,
                str(n.get_kind_display()),
                n.request.tracking_number,
                n.recipient,
                n.sent_on,
                n.pdf_sha256,
            ]
        )
    for req in requests:
        reply = getattr(req, "reply", None)
        if reply is not None and reply.status == ReplyStatus.SENT:
            register.append(
                [
                    reply.reply_number,
                    "答复告知书",
                    req.tracking_number,
                    "申请人",
                    reply.sent_on,
                    reply.pdf_sha256,
                ]
            )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
