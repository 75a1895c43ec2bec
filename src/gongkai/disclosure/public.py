"""What the public may see of a request: status, dates, the deadline in plain words, pauses, the letters sent to
the applicant and the reply with its documents (through signed links). Never identity data."""

from __future__ import annotations

import datetime
import time

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from gongkai.core import calendar

DOWNLOAD_SALT = "gongkai.disclosure.download"
# A link on the tracking page lives a day; one in a mail lives as long as a person may reasonably take to open it.
DOWNLOAD_LINK_SECONDS = 24 * 3600
MAIL_LINK_DAYS = 30


def _fmt(day) -> str:
    if not day:
        return ""
    return _("%(year)d年%(month)d月%(day)d日") % {"year": day.year, "month": day.month, "day": day.day}


def download_token(kind: str, pk: int, part: str = "", *, seconds: int = DOWNLOAD_LINK_SECONDS) -> str:
    """A signed token for one file (kind: reply / notice / document / record), valid for `seconds`."""
    expires = int(time.time()) + seconds
    return signing.dumps([kind, pk, part, expires], salt=DOWNLOAD_SALT, compress=True)


def read_download_token(token: str):
    """(kind, pk, part); raises signing.BadSignature when forged or expired."""
    kind, pk, part, expires = signing.loads(token, salt=DOWNLOAD_SALT)
    if int(expires) < time.time():
        raise signing.SignatureExpired("expired")
    return kind, int(pk), part


def download_url(kind: str, pk: int, part: str = "", *, absolute: bool = False) -> str:
    seconds = MAIL_LINK_DAYS * 24 * 3600 if absolute else DOWNLOAD_LINK_SECONDS
    url = reverse("disclosure:download", args=[download_token(kind, pk, part, seconds=seconds)])
    if absolute:
        from .mail import base_url

        return base_url() + url
    return url


def document_links(reply, *, for_mail: bool = False):
    """(title, url) of every document delivered with a reply (and the redaction record); links to published
    policies are their public pages. Returns (links, valid_until)."""
    links = []
    for doc in reply.documents.select_related("policy"):
        if doc.policy_id:
            from .mail import base_url

            url = doc.policy.get_absolute_url()
            links.append((doc.title, (base_url() + url) if for_mail else url))
        elif doc.delivered_file:
            title = doc.title + ("（脱敏件）" if doc.redacted_file else "")
            links.append((title, download_url("document", doc.pk, absolute=for_mail)))
    if reply.redaction_record_file:
        links.append(("区分处理及脱敏说明", download_url("record", reply.pk, absolute=for_mail)))
    days = MAIL_LINK_DAYS if for_mail else 1
    return links, timezone.localdate() + datetime.timedelta(days=days)


def deadline_words(req, today=None) -> dict:
    """The deadline, the pauses and the overdue state in plain words for the applicant."""
    from .models import ConsultationAnswer, RequestStatus

    today = today or timezone.localdate()
    out = {"overdue": False, "overdue_working_days": 0, "text": "", "pauses": []}
    for c in req.consultations.all():
        if c.answer == ConsultationAnswer.PENDING:
            if c.kind == "third_party":
                text = _(
                    "自%(start)s起征求第三方意见，答复期限暂停计算，最迟于%(due)s后恢复（条例第三十三条第三款）。"
                )
            else:
                text = _(
                    "自%(start)s起征求其他机关意见，答复期限暂停计算，最迟于%(due)s后恢复（条例第三十三条第三款）。"
                )
            out["pauses"].append(text % {"start": _fmt(c.sent_on), "due": _fmt(c.due_on)})
        else:
            out["pauses"].append(
                _("%(start)s至%(end)s征求意见，其间不计入答复期限。")
                % {"start": _fmt(c.sent_on), "end": _fmt(c.answered_on or c.due_on)}
            )
    if req.fee_notice_on:
        if req.fee_paid_on:
            out["pauses"].append(
                _("%(start)s至%(end)s为收费通知至缴费期间，不计入答复期限。")
                % {"start": _fmt(req.fee_notice_on), "end": _fmt(req.fee_paid_on)}
            )
        else:
            out["pauses"].append(
                _("自%(start)s发出收费通知起，至缴费之日止不计入答复期限。")
                % {"start": _fmt(req.fee_notice_on)}
            )
    if req.status == RequestStatus.PENDING_CONFIRMATION:
        out["text"] = _("您的申请已提交，等待受理机关确认收到。确认收到之日起开始计算20个工作日的答复期限。")
        return out
    if req.status == RequestStatus.AWAITING_CORRECTION:
        out["text"] = _(
            "受理机关已告知您补正申请，请于%(due)s前补正。答复期限自收到补正后的申请之日起重新计算。"
        ) % {"due": _fmt(req.correction_due)}
        return out
    if req.status == RequestStatus.REPLIED:
        if req.deadline and req.replied_on and req.replied_on > req.deadline:
            out["overdue"] = True
            out["text"] = _("已于%(replied)s答复，晚于答复期限（%(deadline)s）。") % {
                "replied": _fmt(req.replied_on),
                "deadline": _fmt(req.deadline),
            }
        else:
            out["text"] = _("已于%(replied)s答复。") % {"replied": _fmt(req.replied_on)}
        return out
    if req.deadline is None:
        out["text"] = _("答复期限暂停计算中（见下方说明），恢复后将重新显示答复期限。")
        return out
    extended = (
        ngettext("（已依法延长%(days)d个工作日）", "（已依法延长%(days)d个工作日）", req.extension_days)
        % {"days": req.extension_days}
        if req.extension_days
        else ""
    )
    if req.deadline < today:
        try:
            late = calendar.working_days_between(req.deadline, today)
        except calendar.CalendarNotCovered:
            late = (today - req.deadline).days
        out["overdue"] = True
        out["overdue_working_days"] = late
        out["text"] = ngettext(
            "答复期限为%(deadline)s%(extended)s，已超过答复期限%(late)d个工作日，受理机关尚未答复。"
            "您可以向本级政府信息公开工作主管部门投诉、举报，或依法申请行政复议、提起行政诉讼（条例第五十一条）。",
            "答复期限为%(deadline)s%(extended)s，已超过答复期限%(late)d个工作日，受理机关尚未答复。"
            "您可以向本级政府信息公开工作主管部门投诉、举报，或依法申请行政复议、提起行政诉讼（条例第五十一条）。",
            late,
        ) % {"deadline": _fmt(req.deadline), "extended": extended, "late": late}
        return out
    try:
        left = calendar.working_days_between(today, req.deadline)
        if left == 0:
            left_text = _("今天是答复期限的最后一天。")
        else:
            left_text = ngettext("还有%(left)d个工作日。", "还有%(left)d个工作日。", left) % {"left": left}
    except calendar.CalendarNotCovered:
        left_text = ""
    out["text"] = _("答复期限为%(deadline)s%(extended)s，%(left)s") % {
        "deadline": _fmt(req.deadline),
        "extended": extended,
        "left": left_text,
    }
    return out


def public_status(req) -> dict:
    from .models import RequestStatus

    reply = getattr(req, "reply", None) if req.status == RequestStatus.REPLIED else None
    words = deadline_words(req)
    status_label = str(req.get_status_display())
    if words["overdue"] and req.is_open:
        status_label = _("%(status)s（已超过答复期限）") % {"status": status_label}
    data = {
        "tracking_number": req.tracking_number,
        "department": req.department.name,
        "information_title": req.information_title,
        "channel": req.get_channel_display(),
        "status": req.status,
        "status_label": status_label,
        "submitted_on": timezone.localtime(req.submitted_at).date().isoformat(),
        "received_date": req.received_date.isoformat() if req.received_date else None,
        "deadline": req.deadline.isoformat() if req.deadline else None,
        "deadline_text": words["text"],
        "overdue": words["overdue"],
        "overdue_working_days": words["overdue_working_days"],
        "pauses": words["pauses"],
        "extended": bool(req.extension_days),
        "correction_items": req.correction_items if req.status == RequestStatus.AWAITING_CORRECTION else "",
        "correction_due": req.correction_due.isoformat()
        if req.correction_due and req.status == RequestStatus.AWAITING_CORRECTION
        else None,
        "can_correct_online": req.status == RequestStatus.AWAITING_CORRECTION,
        "correction_submitted": req.correction_submissions.exists()
        if req.status == RequestStatus.AWAITING_CORRECTION
        else False,
        "fee_amount": str(req.fee_amount) if req.status == RequestStatus.AWAITING_FEE else None,
        "notices": [
            {
                "number": n.number,
                "title": str(n.get_kind_display()),
                "sent_on": n.sent_on.isoformat(),
                "url": download_url("notice", n.pk),
            }
            for n in req.notices.filter(to_applicant=True).order_by("sent_on", "id")
        ],
        "timeline": public_timeline(req),
        "reply": None,
    }
    if reply is not None and reply.status == "sent":
        links, _until = document_links(reply)
        data["reply"] = {
            "reply_number": reply.reply_number,
            "outcome": reply.outcome,
            "outcome_label": str(reply.get_outcome_display()),
            "sent_on": reply.sent_on.isoformat(),
            "body": reply.body,
            "pdf_sha256": reply.pdf_sha256,
            "pdf_url": download_url("reply", reply.pk, "pdf"),
            "docx_url": download_url("reply", reply.pk, "docx"),
            "documents": [{"title": t, "url": u} for t, u in links],
        }
    return data


def public_timeline(req) -> list[dict]:
    """The steps of the procedure the applicant may see, oldest first (in the page's language)."""
    events = [(timezone.localtime(req.submitted_at).date(), pgettext("timeline", "提交申请"))]
    if req.received_date:
        events.append((req.received_date, _("受理机关收到申请")))
    for n in req.notices.filter(to_applicant=True):
        events.append(
            (n.sent_on, _("发出%(kind)s（%(number)s）") % {"kind": n.get_kind_display(), "number": n.number})
        )
    for s in req.correction_submissions.all():
        events.append((timezone.localtime(s.submitted_at).date(), _("在网上提交补正材料")))
    if req.corrected_received_on:
        events.append((req.corrected_received_on, _("受理机关收到补正后的申请")))
    for c in req.consultations.all():
        if c.kind == "third_party":
            events.append((c.sent_on, _("征求第三方意见，答复期限暂停计算")))
        else:
            events.append((c.sent_on, _("征求其他机关意见，答复期限暂停计算")))
        if c.answered_on:
            events.append((c.answered_on, _("征求意见结束，恢复计算")))
    if req.fee_notice_on:
        events.append((req.fee_notice_on, _("发出信息处理费收费通知")))
    if req.fee_paid_on:
        events.append((req.fee_paid_on, _("缴费")))
    if req.replied_on:
        events.append((req.replied_on, _("作出答复")))
    events.sort(key=lambda e: e[0])
    return [{"date": d.isoformat(), "text": t} for d, t in events]
