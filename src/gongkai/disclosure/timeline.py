"""The request's timeline for staff: every recorded action (from the audit log, in words), every letter sent
(with its number and files) and every mail to the applicant (sent or failed), newest first."""

from __future__ import annotations

import dataclasses
import datetime

from django.urls import reverse
from django.utils import timezone

from gongkai.core import audit

ACTION_LABELS = {
    "disclosure.create": "登记申请",
    "disclosure.confirm_receipt": "确认收到申请",
    "disclosure.assign": "分配承办",
    "disclosure.note": "办理记录",
    "disclosure.request_correction": "告知补正",
    "disclosure.correction_submitted": "申请人在网上提交补正",
    "disclosure.receive_correction": "收到补正后的申请",
    "disclosure.extend": "延长答复期限",
    "disclosure.consult": "征求意见",
    "disclosure.consult_answer": "登记征求意见答复",
    "disclosure.consult_lapsed": "征求意见逾期",
    "disclosure.third_party_decision": "告知第三方决定公开",
    "disclosure.fee_notice": "发出收费通知",
    "disclosure.fee_paid": "登记缴费",
    "disclosure.draft_reply": "生成答复草稿",
    "disclosure.edit_reply": "修改答复",
    "disclosure.document_add": "添加提供的政府信息",
    "disclosure.document_remove": "移除提供的政府信息",
    "disclosure.document_redact": "脱敏（区分处理）",
    "disclosure.document_viewed": "查看提供的政府信息",
    "disclosure.release_confirmed": "确认中风险内容后发送",
    "disclosure.send_reply": "答复",
    "disclosure.correct_date": "更正日期",
    "disclosure.deadline_recomputed": "重新计算答复期限",
    "disclosure.proactive_decision": "主动公开建议处理",
    "disclosure.identity_viewed": "查看身份证明",
    "disclosure.correction_file_viewed": "查看补正材料",
    "disclosure.case_register": "登记复议诉讼",
    "disclosure.case_close": "复议诉讼审结",
}


@dataclasses.dataclass
class Event:
    when: datetime.datetime
    kind: str  # action / notice / mail
    title: str
    detail: str = ""
    actor: str = ""
    links: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    problem: bool = False


def for_request(req, limit: int = 200) -> list[Event]:
    events: list[Event] = []
    for entry in audit.entries_for(req)[:limit]:
        events.append(
            Event(
                entry.timestamp,
                "action",
                ACTION_LABELS.get(entry.action, entry.action),
                entry.note,
                entry.actor_label,
            )
        )
    for notice in req.notices.all():
        events.append(
            Event(
                notice.created_at,
                "notice",
                f"{notice.get_kind_display()} {notice.number}",
                f"致{notice.recipient}，{notice.sent_on:%Y-%m-%d}发出",
                str(notice.sent_by or ""),
                [
                    ("PDF", reverse("disclosure_admin:notice_file", args=[req.pk, notice.pk, "pdf"])),
                    ("Word", reverse("disclosure_admin:notice_file", args=[req.pk, notice.pk, "docx"])),
                ],
            )
        )
    for mail in req.mails.all():
        if mail.sent_at:
            state = f"已发送 {timezone.localtime(mail.sent_at):%Y-%m-%d %H:%M}"
        elif mail.error:
            state = f"发送失败：{mail.error}"
        else:
            state = "待发送"
        events.append(
            Event(mail.created_at, "mail", f"邮件：{mail.subject}", state, "系统", problem=bool(mail.error))
        )
    events.sort(key=lambda e: e.when, reverse=True)
    return events
