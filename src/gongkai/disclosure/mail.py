"""Mail to the applicant at each step, when they gave an e-mail address (Art. 29 lets them choose how to be
reached; the letters themselves are also on the tracking page). Sent through Django's mail backend from the
settings (`EMAIL_BACKEND`, `EMAIL_HOST` …) after the transaction commits; each mail is kept (`ApplicantMail`)
for the request's timeline, with the time it left or the reason it failed.

A mail never carries the query code (only its hash is stored) and names the applicant only by the salutation;
the sealed letter of the step (补正告知书, 延期答复告知书, 答复告知书) is attached."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import ApplicantMail, ApplicantMailKind

logger = logging.getLogger(__name__)


def _fmt(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def base_url() -> str:
    return getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")


def track_url() -> str:
    return base_url() + reverse("disclosure:track")


def _deadline_sentence(req) -> str:
    if req.deadline:
        return f"目前的答复期限为{_fmt(req.deadline)}。"
    return ""


def compose(req, kind: str, **extra) -> tuple[str, str]:
    """Subject and body (plain text) of a mail of `kind`."""
    number = req.tracking_number
    title = req.information_title
    dept = req.department.name
    lines: list[str] = []
    if kind == ApplicantMailKind.RECEIPT:
        subject = f"【{dept}】已收到您的政府信息公开申请 {number}"
        lines = [
            f"本机关已于{_fmt(req.received_date)}收到您的政府信息公开申请（申请编号：{number}），所需信息：“{title}”。",
            _deadline_sentence(req)
            + "依照《中华人民共和国政府信息公开条例》第三十三条，本机关将自收到申请之日起20个工作日内答复。",
        ]
    elif kind == ApplicantMailKind.CORRECTION:
        subject = f"【{dept}】请补正您的政府信息公开申请 {number}"
        lines = [
            f"您的申请（申请编号：{number}）需要补正，需补正的事项：{req.correction_items}",
            f"请于{_fmt(req.correction_due)}前补正。您可以在查询页面凭申请编号和查询码在网上提交补正，"
            "答复期限自本机关收到补正后的申请之日起重新计算。补正告知书见附件。",
        ]
    elif kind == ApplicantMailKind.CORRECTION_RECEIVED:
        subject = f"【{dept}】已收到您补正后的申请 {number}"
        lines = [
            f"本机关已于{_fmt(req.corrected_received_on)}收到您补正后的申请（申请编号：{number}）。",
            _deadline_sentence(req) + "答复期限自收到补正后的申请之日起计算（条例第三十条）。",
        ]
    elif kind == ApplicantMailKind.EXTENSION:
        subject = f"【{dept}】您的政府信息公开申请 {number} 答复期限延长"
        lines = [
            f"因{req.extension_reason or '正当理由'}，经本机关政府信息公开工作机构负责人同意，"
            f"答复期限延长{req.extension_days}个工作日（条例第三十三条第二款）。",
            _deadline_sentence(req) + "延期答复告知书见附件。",
        ]
    elif kind == ApplicantMailKind.CONSULTATION:
        subject = f"【{dept}】您的政府信息公开申请 {number} 正在征求意见"
        party = "第三方" if extra.get("third_party") else "其他机关"
        lines = [
            f"您申请的信息涉及{party}，本机关已于{_fmt(extra.get('sent_on'))}书面征求意见"
            f"（条例第{'三十二' if extra.get('third_party') else '三十四'}条）。",
            "依照条例第三十三条第三款，征求意见所需时间不计算在答复期限内，期间答复期限暂停计算；"
            f"对方答复或期限届满（最迟{_fmt(extra.get('due_on'))}）后恢复计算。",
        ]
    elif kind == ApplicantMailKind.CONSULTATION_DONE:
        subject = f"【{dept}】您的政府信息公开申请 {number} 恢复计算答复期限"
        lines = ["征求意见已经结束，答复期限恢复计算。", _deadline_sentence(req)]
    elif kind == ApplicantMailKind.FEE:
        subject = f"【{dept}】您的政府信息公开申请 {number} 信息处理费通知"
        lines = [
            f"依照条例第四十二条和《政府信息公开信息处理费管理办法》，本次申请需缴纳信息处理费{req.fee_amount}元（{req.fee_explanation}）。",
            "自收费通知之日起至缴费之日的时间不计算在答复期限内。",
        ]
    elif kind == ApplicantMailKind.REPLY:
        subject = f"【{dept}】您的政府信息公开申请 {number} 已答复"
        reply = req.reply
        lines = [
            f"本机关已于{_fmt(reply.sent_on)}作出答复（答复编号：{reply.reply_number}，{reply.get_outcome_display()}）。"
            "答复告知书（含电子签章）见附件，可在“验证答复真伪”页面核验。",
        ]
        links = extra.get("document_links") or []
        if links:
            lines.append(
                "本机关提供的政府信息（下载链接有效期至"
                + _fmt(extra.get("links_until"))
                + "，过期后请在查询页面重新获取）："
            )
            lines += [f"{i}. {title}：{url}" for i, (title, url) in enumerate(links, start=1)]
    else:  # pragma: no cover - programming error
        raise ValueError(kind)
    body = "\n".join(
        [
            f"{req.applicant_name}：",
            "",
            *[line for line in lines if line],
            "",
            f"查询办理进度：{track_url()}",
            "（请使用申请时获得的申请编号和查询码查询。本邮件由系统自动发送，请勿直接回复。）",
            "",
            dept,
        ]
    )
    return subject[:200], body


def mail_applicant(req, kind: str, *, attachments=(), **extra):
    """Queues a mail of `kind` to the applicant (after commit). Returns the `ApplicantMail`, or None when the
    applicant gave no e-mail address. `attachments`: (filename, bytes, mimetype)."""
    if not req.email:
        return None
    subject, body = compose(req, kind, **extra)
    mail = ApplicantMail.objects.create(
        request=req, kind=kind, to_address=req.email, subject=subject, body=body
    )
    files = list(attachments)
    transaction.on_commit(lambda: deliver(mail.pk, files))
    return mail


def deliver(mail_pk: int, attachments=()) -> bool:
    from django.core.mail import EmailMessage

    mail = ApplicantMail.objects.filter(pk=mail_pk).first()
    if mail is None or mail.sent_at:
        return False
    message = EmailMessage(mail.subject, mail.body, None, [mail.to_address])
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - a mail server problem must not undo the step; it is recorded
        logger.warning("mail to applicant of %s failed: %s", mail.request_id, exc)
        ApplicantMail.objects.filter(pk=mail.pk).update(error=f"{exc.__class__.__name__}: {exc}"[:300])
        return False
    ApplicantMail.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), error="")
    return True


def file_attachment(field, name: str, mimetype: str):
    with field.open("rb") as fh:
        return (name, fh.read(), mimetype)


PDF = "application/pdf"
