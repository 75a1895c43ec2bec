"""Every state change of the disclosure app (house rule 1). Views, admin, API, CLI, jobs and tests call these."""

from __future__ import annotations

import datetime
import hashlib
import os
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit, calendar
from gongkai.core.notify import notify
from gongkai.core.numbering import next_number
from gongkai.core.pagecache import content_changed
from gongkai.core.roles import ADMINISTRATOR, user_has_role

from . import clock, fees, history, volume
from .mail import PDF, file_attachment, mail_applicant
from .models import (
    ApplicantMailKind,
    ApplicantType,
    CaseResult,
    Channel,
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    DepartmentSeal,
    DisclosureRequest,
    NoticeKind,
    ProactiveDecision,
    ReleasedDocument,
    ReleasedDocumentKind,
    ReplyLetter,
    ReplyStatus,
    RequestNote,
    RequestStatus,
    ReviewCase,
    ScanStatus,
)
from .outcomes import ATTACHMENT_REQUIRED, REASON_REQUIRED, REDACTION_REQUIRED, Outcome
from .permissions import DISTRICT_HANDLING_ROLES, can_handle_request
from .privacy import applicant_key

QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 10
# Channels whose receipt date is the day both sides confirm (Art. 31(2) ordinary post, Art. 31(3) online, fax).
CONFIRMATION_CHANNELS = {Channel.ONLINE, Channel.POST_ORDINARY, Channel.FAX}

AUDIT_FIELDS = [
    "status",
    "department",
    "assignee",
    "received_date",
    "correction_notice_on",
    "corrected_received_on",
    "extension_days",
    "extension_approver",
    "extension_decided_on",
    "fee_amount",
    "fee_notice_on",
    "fee_paid_on",
    "deadline",
    "outcome",
    "replied_on",
]


def _snap(req):
    return audit.snapshot(req, AUDIT_FIELDS)


def _today():
    return timezone.localdate()


def _check(actor, req):
    if not can_handle_request(actor, req):
        raise PermissionDenied("办理政府信息公开申请需要本部门“依申请公开办理人员”角色")


def _check_open(req):
    if req.status == RequestStatus.REPLIED:
        raise ValidationError("该申请已答复，不能再变更办理状态")


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def normalise_query_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:40]


def find_by_tracking(tracking_number: str, query_code: str) -> DisclosureRequest | None:
    """The request with this tracking number if the query code matches, else None (no hint which was wrong)."""
    number = (tracking_number or "").strip()[:20]
    req = DisclosureRequest.objects.filter(tracking_number=number).select_related("department").first()
    code = normalise_query_code(query_code)
    if req is None or not code:
        check_password("x", make_password("y"))  # same work either way: no timing oracle
        return None
    return req if check_password(code, req.query_code_hash) else None


# --- the clock ------------------------------------------------------------------------------------------------


def pauses_for(req) -> list[clock.Pause]:
    pauses = []
    for c in req.consultations.all():
        # Art. 33 para 3: the time of consulting third parties and other agencies is not counted.
        end = c.answered_on or c.due_on
        basis = (
            "第三十二条、第三十三条第三款"
            if c.kind == ConsultationKind.THIRD_PARTY
            else "第三十四条、第三十三条第三款"
        )
        pending = "，尚未答复，暂计至答复期限" if c.answered_on is None else ""
        letter = next((n.number for n in c.notices.all() if n.kind != NoticeKind.THIRD_PARTY_DECISION), "")
        letter = f"，{letter}" if letter else ""
        pauses.append(
            clock.Pause(c.sent_on, end, f"{c.get_kind_display()}（{c.party}{letter}{pending}）", basis)
        )
    if req.fee_notice_on:
        # 国办函〔2020〕109号: from the fee notice to payment is not counted.
        pauses.append(
            clock.Pause(req.fee_notice_on, req.fee_paid_on, "收费通知至缴费", "国办函〔2020〕109号")
        )
    return pauses


def compute_ledger(req) -> clock.Ledger | None:
    if not req.received_date:
        return None
    correction_letter = ""
    if req.correction_notice_on and req.pk:
        number = req.notices.filter(kind=NoticeKind.CORRECTION).values_list("number", flat=True).first()
        correction_letter = f"（补正告知书 {number}）" if number else ""
    if req.correction_notice_on and not req.corrected_received_on:
        ledger = clock.Ledger(
            None,
            clock.REPLY_WORKING_DAYS,
            [
                clock.LedgerLine(f"收到申请：{req.received_date:%Y-%m-%d}", "第三十一条"),
                clock.LedgerLine(
                    f"{req.correction_notice_on:%Y-%m-%d} 已告知补正{correction_letter}，"
                    "答复期限自收到补正后的申请之日起重新计算",
                    "第三十条",
                ),
            ],
            paused=True,
        )
        return ledger
    ledger = clock.compute_deadline(
        req.received_date,
        corrected=req.corrected_received_on,
        extension_days=req.extension_days,
        extension_approver=req.extension_approver,
        extension_decided_on=req.extension_decided_on,
        pauses=pauses_for(req),
    )
    if correction_letter:
        ledger.lines.insert(
            1,
            clock.LedgerLine(f"{req.correction_notice_on:%Y-%m-%d} 告知补正{correction_letter}", "第三十条"),
        )
    if req.extension_days and req.pk:
        number = req.notices.filter(kind=NoticeKind.EXTENSION).values_list("number", flat=True).first()
        if number:
            ledger.lines.insert(-1, clock.LedgerLine(f"延期答复告知书 {number}"))
    return ledger


def refresh_deadline(req, *, save=True) -> bool:
    """Recomputes the stored deadline and ledger. Returns True when the deadline changed."""
    old = req.deadline
    try:
        ledger = compute_ledger(req)
        req.deadline_problem = ""
    except calendar.CalendarNotCovered as exc:
        ledger = None
        req.deadline_problem = str(exc)[:300]
    req.deadline = ledger.deadline if ledger else None
    req.deadline_ledger = [line.as_dict() for line in ledger.lines] if ledger else []
    if save and req.pk:
        DisclosureRequest.objects.filter(pk=req.pk).update(
            deadline=req.deadline, deadline_ledger=req.deadline_ledger, deadline_problem=req.deadline_problem
        )
    return old != req.deadline


@transaction.atomic
def recompute_open_deadlines(
    *, actor=None, reason: str = "工作日历变更", years=None, include_replied: bool = False
) -> int:
    """After a calendar change: recompute every open request's deadline and log each one that moved."""
    changed = 0
    qs = DisclosureRequest.objects.all() if include_replied else DisclosureRequest.objects.open()
    for req in qs.exclude(received_date=None).prefetch_related("consultations", "consultations__notices"):
        before = {
            "deadline": req.deadline.isoformat() if req.deadline else None,
            "problem": req.deadline_problem,
        }
        if refresh_deadline(req) or before["problem"] != req.deadline_problem:
            changed += 1
            audit.record(
                "disclosure.deadline_recomputed",
                req,
                actor=actor,
                before=before,
                after={
                    "deadline": req.deadline.isoformat() if req.deadline else None,
                    "problem": req.deadline_problem,
                },
                note=reason,
            )
    return changed


def recheck_deadlines() -> str:
    """Setup hook: recompute every stored deadline (e.g. after an upgrade that changed a rule of the clock)."""
    n = recompute_open_deadlines(actor=None, reason="期限规则复核", include_replied=True)
    return f"{n} 件申请的答复期限已重新计算"


def on_calendar_changed(years: set[int]) -> None:
    recompute_open_deadlines(
        actor=None, reason=f"工作日历变更（{'、'.join(str(y) for y in sorted(years))}年）"
    )


# --- intake ---------------------------------------------------------------------------------------------------

REQUEST_FIELDS = [
    "applicant_type",
    "organization_kind",
    "applicant_name",
    "id_type",
    "id_number",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postal_code",
    "department",
    "information_title",
    "information_doc_number",
    "description",
    "information_form",
    "delivery_method",
]


def create_request(
    *,
    actor,
    channel: str,
    data: dict,
    identity_proof=None,
    received_date: datetime.date | None = None,
    submitted_at=None,
) -> tuple[DisclosureRequest, str]:
    """Registers a request from the portal (actor None, channel online) or by staff (in person, post, fax).
    Returns the request and its query code (shown once; only its hash is stored)."""
    # The key derivation of the query code (PBKDF2, most of a second) runs before the write transaction: on
    # SQLite a write transaction holds the database's single write lock for its whole length (docs/deploy.md).
    code = new_query_code()
    code_hash = make_password(code)
    return _create_request(
        actor=actor,
        channel=channel,
        data=data,
        identity_proof=identity_proof,
        received_date=received_date,
        submitted_at=submitted_at,
        code=code,
        code_hash=code_hash,
    )


@transaction.atomic
def _create_request(
    *, actor, channel, data, identity_proof, received_date, submitted_at, code, code_hash
) -> tuple[DisclosureRequest, str]:
    unknown = set(data) - set(REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown request fields: {sorted(unknown)}")
    if channel != Channel.ONLINE and actor is None:
        raise PermissionDenied("线下渠道的申请须由工作人员登记")
    submitted_at = submitted_at or timezone.now()
    req = DisclosureRequest(channel=channel, submitted_at=submitted_at, **data)
    if req.applicant_type == ApplicantType.NATURAL_PERSON:
        req.organization_kind = ""
    elif not req.organization_kind:
        raise ValidationError({"organization_kind": "请选择法人或其他组织的类别"})
    if actor is not None:
        _check(actor, req)
    year = timezone.localtime(submitted_at).year
    req.tracking_number = f"{year}-{next_number(f'disclosure.request.{year}'):04d}"
    req.query_code_hash = code_hash
    req.applicant_key = applicant_key(req.id_type, req.id_number)
    # Art. 31(1): in person -> the day of submission; Art. 31(2): signed post -> the day signed for.
    if channel in CONFIRMATION_CHANNELS:
        req.status = RequestStatus.PENDING_CONFIRMATION
    else:
        req.received_date = received_date or timezone.localtime(submitted_at).date()
        req.receipt_confirmed_by = actor
        req.status = RequestStatus.IN_PROGRESS
        history.check_event_date(req, "received", req.received_date)
        if req.received_date > timezone.localtime(submitted_at).date():
            raise ValidationError("收到申请日期不能晚于登记日期")
    req.full_clean(exclude=["tracking_number", "query_code_hash", "applicant_key", "identity_proof"])
    if identity_proof is not None:
        from gongkai.core.uploads import validate_upload

        validate_upload(identity_proof, "disclosure.identity_proof")
        req.identity_proof = identity_proof
    req.save()
    dup = volume.find_possible_duplicate(req)
    req.possible_duplicate_of = dup
    req.excessive_warning = volume.excessive_warning(req)
    req.proactive_suggestion = volume.proactive_suggestion(req)
    req.save(update_fields=["possible_duplicate_of", "excessive_warning", "proactive_suggestion"])
    refresh_deadline(req)
    audit.record("disclosure.create", req, actor=actor, after=_snap(req), note=req.get_channel_display())
    if req.received_date:
        mail_applicant(req, ApplicantMailKind.RECEIPT)
    if req.proactive_suggestion:
        notify(
            subject=f"建议纳入主动公开：{req.information_title}"[:200],
            body=req.proactive_suggestion,
            department=req.department,
            link=req.get_absolute_url(),
            dedup_key=f"disclosure.proactive.{req.pk}",
        )
    notify(
        subject=f"新的政府信息公开申请 {req.tracking_number}",
        body=f"{req.department.name}收到申请“{req.information_title}”（{req.get_channel_display()}），请及时确认和办理。",
        department=req.department,
        link=req.get_absolute_url(),
        dedup_key=f"disclosure.new.{req.pk}",
    )
    return req, code


@transaction.atomic
def confirm_receipt(req, *, actor, day: datetime.date | None = None):
    """Art. 31(2)(3): for online, fax and ordinary-post requests the receipt date is the day of confirmation."""
    _check(actor, req)
    if req.status != RequestStatus.PENDING_CONFIRMATION:
        raise ValidationError("该申请已确认收到")
    before = _snap(req)
    day = day or _today()
    history.check_event_date(req, "received", day)
    req.received_date = day
    req.receipt_confirmed_by = actor
    req.status = RequestStatus.IN_PROGRESS
    req.save(update_fields=["received_date", "receipt_confirmed_by", "status"])
    refresh_deadline(req)
    audit.record("disclosure.confirm_receipt", req, actor=actor, before=before, after=_snap(req))
    mail_applicant(req, ApplicantMailKind.RECEIPT)
    return req


@transaction.atomic
def assign_request(req, *, actor, department=None, assignee=None):
    """Routes the request to a department and/or an officer of that department."""
    _check(actor, req)
    _check_open(req)
    before = _snap(req)
    if department is not None and department != req.department:
        if actor is not None and not user_has_role(actor, *DISTRICT_HANDLING_ROLES):
            raise PermissionDenied("只有政务公开办可以将申请转交其他部门")
        req.department = department
        req.assignee = None
    if assignee is not None:
        if not can_handle_request(assignee, req):
            raise ValidationError("承办人须为受理部门的依申请公开办理人员")
        req.assignee = assignee
    req.save(update_fields=["department", "assignee"])
    audit.record("disclosure.assign", req, actor=actor, before=before, after=_snap(req))
    if req.assignee_id:
        notify(
            subject=f"请办理政府信息公开申请 {req.tracking_number}",
            recipient=req.assignee,
            link=req.get_absolute_url(),
            dedup_key=f"disclosure.assign.{req.pk}.{req.assignee_id}",
        )
    return req


def claim_request(req, *, actor):
    if actor is None:
        raise PermissionDenied("认领须由工作人员操作")
    return assign_request(req, actor=actor, assignee=actor)


@transaction.atomic
def add_note(req, *, actor, body: str):
    _check(actor, req)
    body = (body or "").strip()
    if not body:
        raise ValidationError("办理记录不能为空")
    note = RequestNote.objects.create(
        request=req, author=actor if getattr(actor, "pk", None) else None, body=body[:5000]
    )
    audit.record("disclosure.note", req, actor=actor, note=body[:200])
    return note


# --- the clock's events ---------------------------------------------------------------------------------------


def _correction_checks(req, actor, items, due_date, day):
    _check(actor, req)
    _check_open(req)
    if not req.received_date:
        raise ValidationError("请先确认收到申请")
    if req.correction_notice_on:
        raise ValidationError("补正告知只能一次性作出（第三十条）")
    history.check_event_date(req, "correction_notice", day)
    last = clock.correction_notice_due(req.received_date)
    if day > last:
        raise ValidationError(
            f"补正告知须在收到申请之日起{clock.CORRECTION_NOTICE_WORKING_DAYS}个工作日内作出（第三十条），已于{last}届满"
        )
    if not (items or "").strip():
        raise ValidationError("请写明需要补正的事项")
    if due_date is None or due_date <= day:
        raise ValidationError("补正期限应晚于告知日期")


def request_correction(
    req,
    *,
    actor,
    items: str,
    due_date: datetime.date,
    day: datetime.date | None = None,
    body: str = "",
):
    """Art. 30: one correction notice, within 7 working days of receipt, naming the items and a reasonable term.
    Issues the numbered, sealed 补正告知书 (`body`: the officer's edited text; empty = the template) and mails
    the applicant. The letter is rendered before the write transaction (see `notices.prepare_notice`)."""
    from . import notices

    day = day or _today()
    _correction_checks(req, actor, items, due_date, day)
    items = items.strip()[:5000]
    prepared = notices.prepare_notice(
        req,
        NoticeKind.CORRECTION,
        day=day,
        context={"items": items, "correction_due": notices.fmt(due_date)},
        recipient=req.applicant_name,
        to_applicant=True,
        body=body,
    )
    with transaction.atomic():
        req.refresh_from_db()
        _correction_checks(req, actor, items, due_date, day)
        before = _snap(req)
        req.correction_notice_on, req.correction_items, req.correction_due = day, items, due_date
        req.status = RequestStatus.AWAITING_CORRECTION
        req.save(update_fields=["correction_notice_on", "correction_items", "correction_due", "status"])
        notice = notices.issue_notice(prepared, req, actor=actor)
        refresh_deadline(req)
        audit.record(
            "disclosure.request_correction",
            req,
            actor=actor,
            before=before,
            after=_snap(req),
            note=notice.number,
        )
        mail_applicant(
            req,
            ApplicantMailKind.CORRECTION,
            attachments=[(f"{notice.number}.pdf", prepared_pdf(notice, prepared), PDF)],
        )
    return req


def prepared_pdf(notice, prepared) -> bytes:
    """The bytes of the stored PDF (the prepared ones unless the letter was rendered again)."""
    if hashlib.sha256(prepared.pdf).hexdigest() == notice.pdf_sha256:
        return prepared.pdf
    with notice.pdf_file.open("rb") as fh:
        return fh.read()


@transaction.atomic
def receive_correction(req, *, actor, day: datetime.date | None = None):
    """Art. 30: the reply period restarts from receipt of the corrected application (online: the day the officer
    confirms it, Art. 31)."""
    _check(actor, req)
    if req.status != RequestStatus.AWAITING_CORRECTION:
        raise ValidationError("该申请不在待补正状态")
    day = day or _today()
    history.check_event_date(req, "corrected_received", day)
    before = _snap(req)
    req.corrected_received_on = day
    req.status = RequestStatus.IN_PROGRESS
    req.save(update_fields=["corrected_received_on", "status"])
    refresh_deadline(req)
    audit.record("disclosure.receive_correction", req, actor=actor, before=before, after=_snap(req))
    mail_applicant(req, ApplicantMailKind.CORRECTION_RECEIVED)
    return req


def _extension_checks(req, actor, days, approver, reason, day):
    _check(actor, req)
    _check_open(req)
    if req.extension_days:
        raise ValidationError("答复期限只能延长一次")
    if not 1 <= days <= clock.MAX_EXTENSION_WORKING_DAYS:
        raise ValidationError(
            f"延长期限最长不得超过{clock.MAX_EXTENSION_WORKING_DAYS}个工作日（第三十三条第二款）"
        )
    if not (approver or "").strip():
        raise ValidationError("请填写批准延期的政府信息公开工作机构负责人")
    if not (reason or "").strip():
        raise ValidationError("请填写延期理由（将写入延期答复告知书）")
    if not req.received_date:
        raise ValidationError("请先确认收到申请")
    history.check_event_date(req, "extension", day)
    if req.deadline is None:
        raise ValidationError("答复期限暂停计算期间（待补正或征求意见未结束）不能决定延期")
    if not clock.extension_in_time(day, req.deadline):
        raise ValidationError(
            f"答复期限已于{req.deadline.year}年{req.deadline.month}月{req.deadline.day}日届满，不能再延长"
            "（第三十三条第二款：延期须在答复期限内决定并告知申请人）"
        )


def deadline_with(req, **changes):
    """The deadline the request would have with `changes` applied (nothing is saved)."""
    import copy

    probe = copy.copy(req)
    for name, value in changes.items():
        setattr(probe, name, value)
    ledger = compute_ledger(probe)
    return ledger.deadline if ledger else None


def extend_deadline(
    req,
    *,
    actor,
    days: int,
    approver: str,
    reason: str,
    day: datetime.date | None = None,
    body: str = "",
):
    """Art. 33 para 2: one extension of at most 20 working days, approved by the head of the disclosure office,
    decided (`day`, default today) before the deadline passes. Issues the 延期答复告知书 and mails the applicant."""
    from . import notices

    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError("延长天数应为整数")
    day = day or _today()
    _extension_checks(req, actor, days, approver, reason, day)
    approver, reason = approver.strip()[:50], reason.strip()[:300]
    old_deadline = req.deadline
    new_deadline = deadline_with(
        req, extension_days=days, extension_approver=approver, extension_decided_on=day
    )
    prepared = notices.prepare_notice(
        req,
        NoticeKind.EXTENSION,
        day=day,
        context={
            "reason": reason,
            "extension_days": str(days),
            "old_deadline": notices.fmt(old_deadline),
            "new_deadline": notices.fmt(new_deadline),
        },
        recipient=req.applicant_name,
        to_applicant=True,
        body=body,
    )
    with transaction.atomic():
        req.refresh_from_db()
        _extension_checks(req, actor, days, approver, reason, day)
        before = _snap(req)
        req.extension_days, req.extension_approver, req.extension_reason = days, approver, reason
        req.extension_decided_on = day
        req.save(
            update_fields=["extension_days", "extension_approver", "extension_reason", "extension_decided_on"]
        )
        notice = notices.issue_notice(prepared, req, actor=actor)
        refresh_deadline(req)  # the ledger names the letter
        audit.record(
            "disclosure.extend",
            req,
            actor=actor,
            before=before,
            after=_snap(req),
            note=f"{notice.number} {req.extension_reason}",
        )
        mail_applicant(
            req,
            ApplicantMailKind.EXTENSION,
            attachments=[(f"{notice.number}.pdf", prepared_pdf(notice, prepared), PDF)],
        )
    return req


def _consultation_checks(req, actor, party, sent_on):
    _check(actor, req)
    _check_open(req)
    if not req.received_date:
        raise ValidationError("请先确认收到申请")
    if not (party or "").strip():
        raise ValidationError("请填写被征求意见方")
    history.check_event_date(req, "consultation_sent", sent_on)


def start_consultation(
    req,
    *,
    actor,
    kind: str,
    party: str,
    sent_on: datetime.date | None = None,
    party_address: str = "",
    party_email: str = "",
    officer: str = "",
    body: str = "",
):
    """Art. 32 (third party) / Art. 34 (other agencies): the numbered, sealed 征求意见函 (with the 回执 for a third
    party) and its 15-working-day timer; the reply period pauses (Art. 33 para 3) and the applicant is told."""
    from django.core.validators import validate_email

    from . import notices

    try:
        kind = ConsultationKind(kind)
    except ValueError:
        raise ValidationError("请选择征求意见类型")
    party_email = (party_email or "").strip()
    if party_email:
        validate_email(party_email)
    sent_on = sent_on or _today()
    _consultation_checks(req, actor, party, sent_on)
    party = party.strip()[:200]
    due_on = clock.consultation_due(sent_on)
    notice_kind = (
        NoticeKind.CONSULT_THIRD_PARTY if kind == ConsultationKind.THIRD_PARTY else NoticeKind.CONSULT_AGENCY
    )
    officer = (officer or "").strip() or (str(actor) if getattr(actor, "pk", None) else "")
    prepared = notices.prepare_notice(
        req,
        notice_kind,
        day=sent_on,
        context={"party": party, "due": notices.fmt(due_on), "officer": officer[:100]},
        recipient=party,
        to_applicant=False,
        body=body,
    )
    with transaction.atomic():
        req.refresh_from_db()
        _consultation_checks(req, actor, party, sent_on)
        c = Consultation.objects.create(
            request=req,
            kind=kind,
            party=party,
            party_address=(party_address or "").strip()[:200],
            party_email=party_email,
            sent_on=sent_on,
            due_on=due_on,
        )
        notice = notices.issue_notice(prepared, req, actor=actor, consultation=c)
        refresh_deadline(req)
        audit.record(
            "disclosure.consult",
            req,
            actor=actor,
            after={"consultation": c.pk, "kind": kind, "due_on": c.due_on, "letter": notice.number},
            note=notice.number,
        )
        if party_email:
            _mail_party(c, notice, prepared_pdf(notice, prepared))
        mail_applicant(
            req,
            ApplicantMailKind.CONSULTATION,
            third_party=kind == ConsultationKind.THIRD_PARTY,
            sent_on=sent_on,
            due_on=c.due_on,
        )
    return c


def _mail_party(c, notice, pdf: bytes):
    """The letter to a consulted party that gave an e-mail address (after commit)."""
    from django.core.mail import EmailMessage

    attachment = (f"{notice.number}.pdf", pdf, PDF)
    subject = f"【{c.request.department.name}】{notice.get_kind_display()} {notice.number}"
    text = f"{c.party}：\n\n{notice.body}\n\n（正式函件见附件，含电子签章。）\n{c.request.department.name}"

    def send():
        message = EmailMessage(subject, text, None, [c.party_email])
        message.attach(*attachment)
        message.send(fail_silently=True)

    transaction.on_commit(send)


@transaction.atomic
def record_consultation_answer(
    c, *, actor, answer: str, day: datetime.date | None = None, summary: str = "", document=None
):
    """The consulted party's answer (同意/不同意公开, with its reasons and the scanned 回执); the paused reply
    period resumes from the day after (Art. 33 para 3)."""
    req = c.request
    _check(actor, req)
    _check_open(req)
    if c.answer != ConsultationAnswer.PENDING:
        raise ValidationError("该征求意见已有答复")
    if answer not in (ConsultationAnswer.CONSENT, ConsultationAnswer.OBJECTION):
        raise ValidationError("意见只能是同意公开或不同意公开")
    day = day or _today()
    history.check_event_date(req, "consultation_answered", day, consultation=c)
    if (
        answer == ConsultationAnswer.OBJECTION
        and c.kind == ConsultationKind.THIRD_PARTY
        and not (summary or "").strip()
    ):
        raise ValidationError("第三方不同意公开的，请摘录其理由（第三十二条：有合理理由的不予公开）")
    c.answer, c.answered_on, c.summary = answer, day, (summary or "").strip()[:5000]
    if document is not None:
        from gongkai.policies.models import validate_attachment

        validate_attachment(document)
        c.answer_document = document
    c.save()
    refresh_deadline(req)
    audit.record(
        "disclosure.consult_answer",
        req,
        actor=actor,
        after={"consultation": c.pk, "answer": answer, "answered_on": day},
        note=c.summary[:200],
    )
    if not req.consultations.filter(answer=ConsultationAnswer.PENDING).exists():
        mail_applicant(req, ApplicantMailKind.CONSULTATION_DONE)
    return c


def _third_party_decision_checks(c, actor, content, reason, day):
    req = c.request
    _check(actor, req)
    if c.kind != ConsultationKind.THIRD_PARTY or c.answer != ConsultationAnswer.OBJECTION:
        raise ValidationError("只有第三方不同意公开而本机关决定公开时，才需发出公开决定告知书")
    if c.notices.filter(kind=NoticeKind.THIRD_PARTY_DECISION).exists():
        raise ValidationError("已发出公开决定告知书")
    if not (content or "").strip() or not (reason or "").strip():
        raise ValidationError("请写明决定公开的政府信息内容和理由")
    history.check_event_date(req, "consultation_answered", day, consultation=c)
    if c.answered_on and day < c.answered_on:
        raise ValidationError("告知日期不能早于第三方答复日期")


def notify_third_party_of_disclosure(
    c, *, actor, content: str, reason: str, day: datetime.date | None = None, body: str = ""
):
    """Art. 32, last sentence: the agency discloses although the third party objected, because withholding would
    seriously affect the public interest; it tells the third party in writing what is disclosed and why."""
    from . import notices
    from .outcomes import APPEAL_CLAUSE, DEFAULT_REVIEW_BODY

    day = day or _today()
    _third_party_decision_checks(c, actor, content, reason, day)
    req = c.request
    appeal = notices.render_body(APPEAL_CLAUSE, {"review_body": DEFAULT_REVIEW_BODY})
    prepared = notices.prepare_notice(
        req,
        NoticeKind.THIRD_PARTY_DECISION,
        day=day,
        context={
            "party": c.party,
            "consulted": notices.fmt(c.sent_on),
            "answered": notices.fmt(c.answered_on),
            "content": content.strip()[:2000],
            "reason": reason.strip()[:2000],
            "appeal": appeal,
        },
        recipient=c.party,
        to_applicant=False,
        body=body,
    )
    with transaction.atomic():
        c.refresh_from_db()
        _third_party_decision_checks(c, actor, content, reason, day)
        notice = notices.issue_notice(prepared, c.request, actor=actor, consultation=c)
        audit.record("disclosure.third_party_decision", c.request, actor=actor, note=notice.number)
        if c.party_email:
            _mail_party(c, notice, prepared_pdf(notice, prepared))
    return notice


def silence_effect(kind: str) -> tuple[str, str]:
    """The legal effect of a consulted party's silence: (answer, explanation)."""
    if kind == ConsultationKind.AGENCY:
        # Art. 34: an agency that does not answer in 15 working days is deemed to consent.
        return ConsultationAnswer.CONSENT, "被征求意见机关逾期未提出意见，视为同意公开（第三十四条）"
    # Art. 32: a third party's silence leaves the decision to the agency.
    return ConsultationAnswer.SILENT, "第三方逾期未提出意见，由本机关依照条例规定决定是否公开（第三十二条）"


@transaction.atomic
def lapse_consultations(today: datetime.date | None = None) -> int:
    """Job: consultations past their 15 working days get the legal effect of silence. Idempotent."""
    today = today or _today()
    n = 0
    for c in Consultation.objects.filter(answer=ConsultationAnswer.PENDING, due_on__lt=today).select_related(
        "request"
    ):
        c.answer, c.summary = silence_effect(c.kind)
        c.answered_on = c.due_on
        c.save(update_fields=["answer", "summary", "answered_on"])
        refresh_deadline(c.request)
        audit.record("disclosure.consult_lapsed", c.request, actor=None, note=c.summary)
        if (
            c.request.is_open
            and not c.request.consultations.filter(answer=ConsultationAnswer.PENDING).exists()
        ):
            mail_applicant(c.request, ApplicantMailKind.CONSULTATION_DONE)
        n += 1
    return n


@transaction.atomic
def issue_fee_notice(
    req, *, actor, method: str = "per_request", pages: int = 0, day: datetime.date | None = None
):
    """Art. 42 and 国办函〔2020〕109号: a fee notice only when the monthly volume passes the thresholds."""
    _check(actor, req)
    _check_open(req)
    if req.fee_notice_on:
        raise ValidationError("已发出收费通知")
    if method == "per_page":
        quote = fees.fee_per_page(int(pages))
    else:
        nth = volume.requests_in_month(req.applicant_key, req.submitted_at)
        quote = fees.fee_per_request(nth)
    if quote.amount <= 0:
        raise ValidationError(f"未超过收费标准，不收取信息处理费：{quote.explanation}")
    day = day or _today()
    history.check_event_date(req, "fee_notice", day)
    before = _snap(req)
    req.fee_amount, req.fee_explanation = quote.amount, quote.explanation[:300]
    req.fee_notice_on = day
    req.status = RequestStatus.AWAITING_FEE
    req.save(update_fields=["fee_amount", "fee_explanation", "fee_notice_on", "status"])
    refresh_deadline(req)
    audit.record("disclosure.fee_notice", req, actor=actor, before=before, after=_snap(req))
    mail_applicant(req, ApplicantMailKind.FEE)
    return req


@transaction.atomic
def record_fee_paid(req, *, actor, day: datetime.date | None = None):
    _check(actor, req)
    if req.status != RequestStatus.AWAITING_FEE:
        raise ValidationError("该申请不在待缴费状态")
    day = day or _today()
    history.check_event_date(req, "fee_paid", day)
    before = _snap(req)
    req.fee_paid_on, req.status = day, RequestStatus.IN_PROGRESS
    req.save(update_fields=["fee_paid_on", "status"])
    refresh_deadline(req)
    audit.record("disclosure.fee_paid", req, actor=actor, before=before, after=_snap(req))
    return req


# --- replies --------------------------------------------------------------------------------------------------


def published_matches(req, limit: int = 5):
    """Policies already published that look like what is asked for (Art. 36(1) one-click answer)."""
    from gongkai.search.service import search_policies

    seen, hits = set(), []
    for query in [req.information_doc_number, req.information_title]:
        query = (query or "").strip()
        if len(query) < 2:
            continue
        for hit in search_policies(query, per_page=limit).hits:
            if hit.policy.pk not in seen:
                seen.add(hit.policy.pk)
                hits.append(hit)
    return hits[:limit]


@transaction.atomic
def draft_reply(
    req, *, actor, outcome: str, reason: str = "", links=(), review_body: str = ""
) -> ReplyLetter:
    """Writes (or rewrites) the draft letter for an outcome from its template; the officer may edit it."""
    from .letters import draft_body

    _check(actor, req)
    _check_open(req)
    outcome = Outcome(outcome)
    if outcome in REASON_REQUIRED and not (reason or "").strip():
        raise ValidationError("该办理结果须填写理由或说明")
    if outcome == Outcome.OTHER_NO_CORRECTION and not req.correction_notice_on:
        raise ValidationError("没有发出过补正告知，不能按逾期不补正处理")
    if outcome == Outcome.OTHER_FEE_UNPAID and not req.fee_notice_on:
        raise ValidationError("没有发出过收费通知，不能按逾期未缴费处理")
    if outcome == Outcome.ALREADY_PUBLISHED and not links:
        raise ValidationError("请提供已公开信息的获取途径（链接）")
    body = draft_body(req, outcome, reason=reason, links=links, review_body=review_body)
    reply, _created = ReplyLetter.objects.update_or_create(
        request=req,
        defaults={"outcome": outcome, "reason": (reason or "").strip(), "links": list(links), "body": body},
    )
    audit.record("disclosure.draft_reply", req, actor=actor, after={"outcome": outcome})
    return reply


@transaction.atomic
def edit_reply(reply, *, actor, body: str) -> ReplyLetter:
    _check(actor, reply.request)
    if reply.status != ReplyStatus.DRAFT:
        raise ValidationError("已发出的答复不能修改")
    body = (body or "").strip()
    if not body:
        raise ValidationError("答复正文不能为空")
    before = {"body": reply.body}
    reply.body = body[:20000]
    reply.save(update_fields=["body", "updated_at"])
    audit.record(
        "disclosure.edit_reply", reply.request, actor=actor, before=before, after={"body": reply.body}
    )
    return reply


def active_seal(department):
    return (
        DepartmentSeal.objects.filter(department=department, is_active=True).order_by("-created_at").first()
    )


def _check_draft(reply):
    if reply.status != ReplyStatus.DRAFT:
        raise ValidationError("已发出的答复不能修改")


def _document_checks(reply, actor):
    _check(actor, reply.request)
    _check_open(reply.request)
    _check_draft(reply)


def _scan_status(result, redacted: bool) -> str:
    if redacted and result.status != ScanStatus.UNREADABLE:
        return ScanStatus.REDACTED
    return result.status


def add_released_file(reply, *, actor, file, title: str = "") -> ReleasedDocument:
    """A document provided with the reply (见附件): scanned before the write transaction, then stored privately;
    its findings (masked) are shown to the officer and decide whether the reply may be sent."""
    from gongkai.policies.models import validate_attachment

    from .released import scan_upload, upload_sha256

    _document_checks(reply, actor)
    if file is None:
        raise ValidationError("请选择要提供的文件")
    validate_attachment(file)
    result = scan_upload(file, reply.request)
    digest = upload_sha256(file)
    name = os.path.basename(getattr(file, "name", "") or "")[:200]
    with transaction.atomic():
        reply.refresh_from_db()
        _document_checks(reply, actor)
        doc = ReleasedDocument(
            reply=reply,
            kind=ReleasedDocumentKind.FILE,
            title=((title or "").strip() or os.path.splitext(name)[0] or "附件")[:200],
            original_name=name,
            original_sha256=digest,
            scan_status=result.status,
            findings=result.findings,
            added_by=actor if getattr(actor, "pk", None) else None,
        )
        doc.file = file
        doc.save()
        audit.record(
            "disclosure.document_add",
            reply.request,
            actor=actor,
            after={
                "document": doc.pk,
                "title": doc.title,
                "scan": doc.scan_status,
                "findings": len(doc.findings),
            },
            note=doc.title,
        )
    return doc


@transaction.atomic
def add_released_policy(reply, *, actor, policy) -> ReleasedDocument:
    """A link to a policy the library has published (it passed the publication check when it was published)."""
    from gongkai.policies.actions import is_visible_to_public

    _check(actor, reply.request)
    _check_open(reply.request)
    _check_draft(reply)
    if not is_visible_to_public(policy):
        raise ValidationError("只能链接已主动公开的文件")
    if reply.documents.filter(policy=policy).exists():
        raise ValidationError("该文件已在附件中")
    doc = ReleasedDocument.objects.create(
        reply=reply,
        kind=ReleasedDocumentKind.POLICY,
        title=policy.title[:200],
        policy=policy,
        scan_status=ScanStatus.CLEAN,
        added_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        "disclosure.document_add",
        reply.request,
        actor=actor,
        after={"document": doc.pk, "policy": policy.pk},
        note=doc.title,
    )
    return doc


@transaction.atomic
def remove_released_document(doc, *, actor):
    reply = doc.reply
    _check(actor, reply.request)
    _check_draft(reply)
    title = doc.title
    for field in (doc.file, doc.redacted_file):
        if field:
            field.delete(save=False)
    doc.delete()
    audit.record("disclosure.document_remove", reply.request, actor=actor, note=title)


def _redaction_checks(doc, actor, reason):
    _check(actor, doc.reply.request)
    _check_draft(doc.reply)
    if doc.kind != ReleasedDocumentKind.FILE:
        raise ValidationError("已公开文件的链接不需要脱敏")
    if not (reason or "").strip():
        raise ValidationError("请填写脱敏（区分处理）的理由")


def redact_released_document(doc, *, actor, reason: str, withheld=(), severities=None) -> ReleasedDocument:
    """A redacted copy of an uploaded document: every high and medium finding masked and every passage listed
    in `withheld` (Art. 37 区分处理) blacked out. The copy is what the applicant receives; the items (masked, with
    digests only) and the reason are recorded, also as a `secrecy.Redaction` row. The copy is made (and scanned
    again) before the write transaction."""
    from gongkai.policies.textio import UnreadableFile
    from gongkai.secrecy.models import Redaction

    from .released import DEFAULT_SEVERITIES, redact_stored_file, scan_upload

    _redaction_checks(doc, actor, reason)
    req = doc.reply.request
    withheld = [w.strip() for w in (withheld or []) if w and w.strip()]
    try:
        result = redact_stored_file(
            doc.file, req, title=doc.title, phrases=withheld, severities=severities or DEFAULT_SEVERITIES
        )
    except UnreadableFile as exc:
        raise ValidationError(f"无法自动脱敏：{exc}。请人工遮盖后上传脱敏件")
    if not result.items:
        raise ValidationError("没有发现需要遮盖的内容；如需区分处理，请填写不予公开的内容")
    base = os.path.splitext(doc.original_name or doc.title)[0][:80]
    copy = ContentFile(result.content, name=f"{base}-脱敏件{result.suffix}")
    rescan = scan_upload(copy, req)
    with transaction.atomic():
        doc = ReleasedDocument.objects.select_related("reply__request").get(pk=doc.pk)
        _redaction_checks(doc, actor, reason)
        if doc.redacted_file:
            doc.redacted_file.delete(save=False)
        doc.redacted_file.save(copy.name, copy, save=False)
        doc.redaction_items = result.items
        doc.redaction_reason = reason.strip()[:2000]
        doc.redacted_by = actor if getattr(actor, "pk", None) else None
        doc.redacted_at = timezone.now()
        doc.scan_status = _scan_status(rescan, True)
        doc.findings = rescan.findings
        doc.save()
        Redaction.objects.create(
            object_type=doc._meta.label_lower,
            object_id=str(doc.pk),
            object_repr=f"{req.tracking_number} {doc.title}"[:300],
            field="file",
            reason=doc.redaction_reason,
            items=result.items,
            text_sha256_before=doc.original_sha256,
            text_sha256_after=hashlib.sha256(result.content).hexdigest(),
            created_by=doc.redacted_by,
        )
        audit.record(
            "disclosure.document_redact",
            req,
            actor=actor,
            after={"document": doc.pk, "items": len(result.items), "remaining": len(doc.findings)},
            note=doc.redaction_reason[:200],
        )
    return doc


def upload_redacted_copy(doc, *, actor, file, reason: str) -> ReleasedDocument:
    """A copy the officer redacted by hand (a scan blacked out, a picture): scanned, stored, delivered."""
    from gongkai.policies.models import validate_attachment
    from gongkai.secrecy.models import Redaction

    from .released import scan_upload, upload_sha256

    _redaction_checks(doc, actor, reason)
    if file is None:
        raise ValidationError("请选择脱敏件")
    validate_attachment(file)
    rescan = scan_upload(file, doc.reply.request)
    digest = upload_sha256(file)
    with transaction.atomic():
        doc = ReleasedDocument.objects.select_related("reply__request").get(pk=doc.pk)
        _redaction_checks(doc, actor, reason)
        if doc.redacted_file:
            doc.redacted_file.delete(save=False)
        doc.redacted_file = file
        doc.redaction_items = [{"type": "manual", "severity": "", "rule": "manual", "masked": "人工脱敏"}]
        doc.redaction_reason = reason.strip()[:2000]
        doc.redacted_by = actor if getattr(actor, "pk", None) else None
        doc.redacted_at = timezone.now()
        doc.scan_status = _scan_status(rescan, True)
        doc.findings = rescan.findings
        doc.save()
        Redaction.objects.create(
            object_type=doc._meta.label_lower,
            object_id=str(doc.pk),
            object_repr=f"{doc.reply.request.tracking_number} {doc.title}"[:300],
            field="file",
            reason=doc.redaction_reason,
            items=doc.redaction_items,
            text_sha256_before=doc.original_sha256,
            text_sha256_after=digest,
            created_by=doc.redacted_by,
        )
        audit.record(
            "disclosure.document_redact",
            doc.reply.request,
            actor=actor,
            after={"document": doc.pk, "manual": True},
            note=doc.redaction_reason[:200],
        )
    return doc


def reply_problems(reply) -> tuple[list[str], list[str]]:
    """What stands between a draft and sending it: (blocking, needing confirmation with a reason)."""
    from .release import release_review

    blocking = []
    outcome = Outcome(reply.outcome)
    documents = list(reply.documents.all())
    if outcome in ATTACHMENT_REQUIRED and not documents:
        blocking.append("答复写明“见附件”，请添加提供的政府信息（上传文件或链接已公开文件）")
    if outcome in REDACTION_REQUIRED:
        for doc in documents:
            if doc.kind == ReleasedDocumentKind.FILE and not doc.redacted_file:
                blocking.append(f"部分公开须提供区分处理后的文件：请对《{doc.title}》作脱敏（区分处理）")
    checks_blocking, confirmable = release_review(reply)
    return blocking + checks_blocking, confirmable


def _reply_checks(reply, actor, day, confirm_reason: str):
    """Everything that must hold before a reply goes out; returns (seal, the confirmable findings)."""
    req = reply.request
    _check(actor, req)
    _check_open(req)
    if reply.status != ReplyStatus.DRAFT:
        raise ValidationError("该答复已发出")
    if not req.received_date:
        raise ValidationError("请先确认收到申请")
    blocking, confirmable = reply_problems(reply)
    if blocking:
        raise ValidationError(["答复未通过发送前检查："] + blocking)
    if confirmable and not confirm_reason:
        raise ValidationError(["以下内容须确认可以提供，并填写确认理由后才能发送："] + confirmable)
    history.check_event_date(req, "reply", day)
    seal = active_seal(req.department)
    if seal is None:
        raise ValidationError(f"{req.department.name}尚未配置电子印章，请联系系统管理员生成")
    return seal, confirmable


def _render_signed(reply, seal) -> tuple[bytes, bytes, bytes | None]:
    """The letter (.docx, signed PDF) and, for 部分公开, the redaction record."""
    from . import seals
    from .letters import render_docx, render_pdf

    with seal.image.open("rb") as fh:
        seal_png = fh.read()
    record = None
    if Outcome(reply.outcome) in REDACTION_REQUIRED:
        from .released import redaction_record_pdf

        record = redaction_record_pdf(reply)
    return render_docx(reply), seals.sign_pdf(render_pdf(reply, seal_png), seal), record


def _documents_state(reply) -> list:
    return list(reply.documents.order_by("pk").values_list("pk", "redacted_file", "redaction_items"))


def send_reply(reply, *, actor, day: datetime.date | None = None, confirm_reason: str = "") -> ReplyLetter:
    """Numbers the letter, renders .docx and the PDF, stamps the seal image, signs the PDF, closes the request and
    mails the applicant (the letter attached, signed links to the documents). Refuses while a check blocks;
    medium findings need `confirm_reason` (stored on the letter and in the audit log).

    Rendering and signing take most of a second, so they run before the write transaction (on SQLite a write
    transaction holds the single write lock): the letter is rendered with the number the counter will most
    likely give; the transaction then takes the number (gap-free) and, in the rare case another letter took it
    meanwhile or the draft changed, renders again inside the transaction."""
    from gongkai.core.models import Counter

    confirm_reason = (confirm_reason or "").strip()
    day = day or _today()
    seal, confirmable = _reply_checks(reply, actor, day, confirm_reason)
    req = reply.request
    key = f"disclosure.reply.{req.department.code}.{day.year}"
    current = Counter.objects.filter(key=key).values_list("value", flat=True).first() or 0
    expected = f"{req.department.code}-{day.year}-{current + 1:04d}"
    reply.reply_number, reply.sent_on, reply.seal = expected, day, seal
    reply.sent_by = actor if getattr(actor, "pk", None) else None
    rendered = _render_signed(reply, seal)
    rendered_from = (reply.body, reply.outcome, seal.pk, _documents_state(reply))
    with transaction.atomic():
        reply = ReplyLetter.objects.select_related("request").get(pk=reply.pk)
        req = reply.request
        seal, confirmable = _reply_checks(reply, actor, day, confirm_reason)
        reply.reply_number = f"{req.department.code}-{day.year}-{next_number(key):04d}"
        reply.sent_on, reply.seal = day, seal
        reply.sent_by = actor if getattr(actor, "pk", None) else None
        if (
            reply.reply_number != expected
            or (
                reply.body,
                reply.outcome,
                seal.pk,
                _documents_state(reply),
            )
            != rendered_from
        ):
            rendered = _render_signed(reply, seal)
        docx_bytes, pdf_bytes, record = rendered
        reply.release_confirmation = (
            ("；".join(confirmable) + "\n确认理由：" + confirm_reason)[:5000] if confirmable else ""
        )
        reply.docx_file.save(f"{reply.reply_number}.docx", ContentFile(docx_bytes), save=False)
        reply.pdf_file.save(f"{reply.reply_number}.pdf", ContentFile(pdf_bytes), save=False)
        reply.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
        if record is not None:
            reply.redaction_record_file.save(
                f"{reply.reply_number}-区分处理说明.pdf", ContentFile(record), save=False
            )
        reply.status = ReplyStatus.SENT
        reply.save()
        before = _snap(req)
        req.outcome, req.replied_on, req.status = reply.outcome, day, RequestStatus.REPLIED
        req.save(update_fields=["outcome", "replied_on", "status"])
        audit.record(
            "disclosure.send_reply",
            req,
            actor=actor,
            before=before,
            after=_snap(req),
            note=reply.reply_number,
        )
        if confirmable:
            audit.record(
                "disclosure.release_confirmed",
                req,
                actor=actor,
                after={"problems": confirmable},
                note=confirm_reason[:300],
            )
        _mail_reply(req, reply)
    return reply


def _mail_reply(req, reply):
    from .public import document_links

    links, until = document_links(reply, for_mail=True)
    mail_applicant(
        req,
        ApplicantMailKind.REPLY,
        attachments=[file_attachment(reply.pdf_file, f"{reply.reply_number}.pdf", PDF)],
        document_links=[(title, url) for title, url in links],
        links_until=until,
    )


# --- seals ----------------------------------------------------------------------------------------------------


@transaction.atomic
def generate_department_seal(department, *, actor) -> DepartmentSeal:
    """Administrator: a new key, self-signed certificate and seal image for a department; older seals of the
    department are deactivated (they still verify the letters they signed)."""
    from . import seals

    if actor is not None and not user_has_role(actor, ADMINISTRATOR):
        raise PermissionDenied("只有系统管理员可以管理电子印章")
    key_pem, cert_pem, fingerprint, valid_until = seals.generate_key_and_certificate(
        department.name, department.code, _today()
    )
    DepartmentSeal.objects.filter(department=department, is_active=True).update(is_active=False)
    seal = DepartmentSeal(
        department=department,
        certificate_pem=cert_pem,
        encrypted_key_pem=key_pem,
        fingerprint=fingerprint,
        valid_until=valid_until,
    )
    seal.image.save(
        f"{department.code}-{fingerprint[:12]}.png",
        ContentFile(seals.draw_seal_image(department.name)),
        save=False,
    )
    seal.save()
    audit.record(
        "disclosure.seal_generate",
        seal,
        actor=actor,
        department=department,
        after={"fingerprint": fingerprint},
    )
    return seal


@transaction.atomic
def deactivate_seal(seal, *, actor):
    if actor is not None and not user_has_role(actor, ADMINISTRATOR):
        raise PermissionDenied("只有系统管理员可以管理电子印章")
    seal.is_active = False
    seal.save(update_fields=["is_active"])
    audit.record("disclosure.seal_deactivate", seal, actor=actor, department=seal.department)
    return seal


# --- review and litigation ------------------------------------------------------------------------------------

# 行政复议法 (2023) Art. 48: the respondent answers within 10 days of receiving the copy of the application;
# 行政诉讼法 Art. 67: the defendant submits its defence within 15 days of receiving the complaint.
CASE_FIELDS = [
    "request",
    "kind",
    "case_number",
    "authority",
    "filed_on",
    "response_due",
    "result",
    "closed_on",
]
CASE_RESPONSE_DAYS = {"review": 10, "lawsuit_direct": 15, "lawsuit_after_review": 15}


@transaction.atomic
def register_case(
    req,
    *,
    actor,
    kind: str,
    authority: str,
    filed_on: datetime.date,
    case_number: str = "",
    note: str = "",
    document=None,
):
    _check(actor, req)
    if not (authority or "").strip():
        raise ValidationError("请填写复议机关或法院")
    if kind not in CASE_RESPONSE_DAYS:
        raise ValidationError("请选择案件类型")
    history.check_event_date(req, "case_filed", filed_on)
    case = ReviewCase(
        request=req,
        kind=kind,
        authority=authority.strip(),
        filed_on=filed_on,
        case_number=(case_number or "").strip(),
        note=note or "",
        response_due=filed_on + datetime.timedelta(days=CASE_RESPONSE_DAYS[kind]),
    )
    case.full_clean(exclude=["document"])
    if document is not None:
        from gongkai.core.uploads import validate_upload

        validate_upload(document, "disclosure.case_document")
        case.document = document
    case.save()
    audit.record(
        "disclosure.case_register",
        case,
        actor=actor,
        department=req.department,
        after=audit.snapshot(case, CASE_FIELDS),
    )
    return case


@transaction.atomic
def close_case(case, *, actor, result: str, closed_on: datetime.date):
    _check(actor, case.request)
    if result == CaseResult.PENDING or result not in CaseResult.values:
        raise ValidationError("审结须选择维持、纠正或其他结果")
    if case.closed_on:
        raise ValidationError("该案件已审结")
    history.check_event_date(case.request, "case_closed", closed_on, case=case)
    before = audit.snapshot(case, ["result", "closed_on"])
    case.result, case.closed_on = CaseResult(result), closed_on
    case.save(update_fields=["result", "closed_on"])
    audit.record(
        "disclosure.case_close",
        case,
        actor=actor,
        department=case.request.department,
        before=before,
        after=audit.snapshot(case, ["result", "closed_on"]),
    )
    return case


# --- corrections of wrongly entered dates -------------------------------------------------------------------

# What may be corrected, per record: field -> label. The reply date is sealed into the letter and is not here.
CORRECTABLE_DATES = {
    "request": {
        "received_date": "收到申请日期",
        "correction_notice_on": "补正告知日期",
        "corrected_received_on": "收到补正日期",
        "extension_decided_on": "延期决定日期",
        "fee_notice_on": "收费通知日期",
        "fee_paid_on": "缴费日期",
    },
    "consultation": {"sent_on": "征求意见发出日期", "answered_on": "征求意见答复日期"},
    "case": {"filed_on": "案件收到日期", "closed_on": "审结日期"},
}


def _record_kind(obj) -> str:
    if isinstance(obj, DisclosureRequest):
        return "request"
    if isinstance(obj, Consultation):
        return "consultation"
    if isinstance(obj, ReviewCase):
        return "case"
    raise TypeError(type(obj))


@transaction.atomic
def correct_date(obj, *, actor, field: str, day: datetime.date, reason: str):
    """Corrects a date that was entered wrongly (on the request, a consultation or a case), with a reason. The
    corrected history is checked as a whole (nothing in the future, no step before its cause), the deadline is
    recomputed, and the correction is recorded in the audit log with the old and new date and the reason."""
    kind = _record_kind(obj)
    labels = CORRECTABLE_DATES[kind]
    if field not in labels:
        raise ValidationError(f"不能更正该日期：{field}")
    if not (reason or "").strip():
        raise ValidationError("请填写更正理由")
    if not isinstance(day, datetime.date):
        raise ValidationError("请填写正确的日期")
    req = obj if kind == "request" else obj.request
    _check(actor, req)
    # lock and reload: the check must see the stored history, not a stale copy
    req = DisclosureRequest.objects.select_for_update().get(pk=req.pk)
    if kind == "request":
        obj = req
    else:
        obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    old = getattr(obj, field)
    if old is None:
        raise ValidationError(f"{labels[field]}尚未登记，不能更正")
    if old == day:
        raise ValidationError("新日期与原日期相同")
    if kind == "request" and field == "correction_notice_on":
        last = clock.correction_notice_due(req.received_date)
        if day > last:
            raise ValidationError(
                f"补正告知须在收到申请之日起{clock.CORRECTION_NOTICE_WORKING_DAYS}个工作日内作出（第三十条），"
                f"更正后的日期晚于{last}"
            )
    setattr(obj, field, day)
    if kind == "consultation" and field == "sent_on":
        obj.due_on = clock.consultation_due(day)
    if kind == "case" and field == "filed_on":
        obj.response_due = day + datetime.timedelta(days=CASE_RESPONSE_DAYS[obj.kind])
    obj.save()
    req.refresh_from_db()
    problems = history.history_problems(req)
    if problems:  # raising undoes the save (the whole action is one transaction)
        raise ValidationError([f"更正后{labels[field]}与办理记录不一致："] + problems)
    moved = refresh_deadline(req)
    audit.record(
        "disclosure.correct_date",
        req,
        actor=actor,
        before={"field": field, "label": labels[field], "date": old},
        after={"field": field, "label": labels[field], "date": day, "deadline": req.deadline},
        note=f"{labels[field]}：{old:%Y-%m-%d} → {day:%Y-%m-%d}。理由：{reason.strip()[:200]}",
    )
    if moved and req.is_open:
        add_note(
            req,
            actor=actor,
            body=f"因更正{labels[field]}，答复期限重新计算为{req.deadline or '（暂停计算）'}。",
        )
    return obj


# --- Art. 44: repeated requests for the same information -------------------------------------------------------


@transaction.atomic
def decide_proactive_suggestion(req, *, actor, decision: str, note: str = ""):
    """The department's answer to the Art. 44 flag: make the information proactive (note how, e.g. the policy
    published), or not (with the reason, e.g. it cannot be disclosed)."""
    _check(actor, req)
    if not req.proactive_suggestion:
        raise ValidationError("该申请没有主动公开建议")
    if decision not in ProactiveDecision.values:
        raise ValidationError("请选择是否纳入主动公开")
    if not (note or "").strip():
        raise ValidationError("请填写处理说明")
    before = audit.snapshot(req, ["proactive_decision", "proactive_decision_note"])
    req.proactive_decision, req.proactive_decision_note = decision, note.strip()[:300]
    req.save(update_fields=["proactive_decision", "proactive_decision_note"])
    audit.record(
        "disclosure.proactive_decision",
        req,
        actor=actor,
        before=before,
        after=audit.snapshot(req, ["proactive_decision", "proactive_decision_note"]),
    )
    return req


# --- online correction by the applicant ----------------------------------------------------------------------

MAX_CORRECTION_FILES = 5


@transaction.atomic
def submit_online_correction(req, *, actor=None, text: str, files=()):
    """The applicant hands in the corrected application online with the query code (Art. 30). Receipt is
    confirmed by the officer (`receive_correction`; Art. 31: online, the day both sides confirm)."""
    from gongkai.policies.models import validate_attachment

    from .models import CorrectionFile, CorrectionSubmission

    if req.status != RequestStatus.AWAITING_CORRECTION:
        raise ValidationError("该申请目前不需要补正")
    text = (text or "").strip()
    if len(text) < 5:
        raise ValidationError("请写明补正的内容")
    files = [f for f in files if f]
    if len(files) > MAX_CORRECTION_FILES:
        raise ValidationError(f"补正材料最多上传{MAX_CORRECTION_FILES}个文件")
    for f in files:
        validate_attachment(f)
    submission = CorrectionSubmission.objects.create(request=req, text=text[:10000])
    for f in files:
        CorrectionFile.objects.create(
            submission=submission, file=f, original_name=os.path.basename(f.name or "")[:200]
        )
    audit.record(
        "disclosure.correction_submitted",
        req,
        actor=actor,
        after={"submission": submission.pk, "files": len(files)},
        note="申请人在网上提交补正材料",
    )
    notify(
        subject=f"申请 {req.tracking_number} 的补正材料已在网上提交，请确认收到",
        body=text[:500],
        recipient=req.assignee,
        department=None if req.assignee_id else req.department,
        link=req.get_absolute_url(),
        dedup_key=f"disclosure.correction_submitted.{submission.pk}",
    )
    return submission


# --- annual report --------------------------------------------------------------------------------------------

REPORT_TEXT_FIELDS = [
    "overview",
    "proactive_text",
    "requests_text",
    "cases_text",
    "problems",
    "other_matters",
]
REPORT_FIELDS = REPORT_TEXT_FIELDS + [
    "rules_issued",
    "rules_repealed",
    "rules_valid",
    "licensing_decisions",
    "penalty_decisions",
    "enforcement_decisions",
    "fee_amount_10k",
]


def can_edit_report(user, department) -> bool:
    """The scoping rule of `AnnualReport` (its department's staff; district-wide roles: every report)."""
    from .models import AnnualReport

    return AnnualReport.objects.none().owns_new(user, AnnualReport(department=department))


def can_approve_report(user, department) -> bool:
    """The district's report is approved by the openness office; a department's by the office or an
    administrator (the department head signs off outside the system)."""
    from gongkai.core.roles import OPENNESS_OFFICE

    if user is None:
        return True
    return user_has_role(user, OPENNESS_OFFICE, ADMINISTRATOR)


def _report_for_update(year: int, department):
    from .models import AnnualReport

    if not 2008 <= int(year) <= 2100:
        raise ValidationError("年度不正确")
    report, _created = AnnualReport.objects.select_for_update().get_or_create(
        year=year, department=department
    )
    return report


@transaction.atomic
def save_annual_report(*, actor, year: int, department=None, **fields):
    from .models import ReportStatus

    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    if not can_edit_report(actor, department):
        raise PermissionDenied("只能编辑本部门的年度报告")
    report = _report_for_update(year, department)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("年度报告已批准，不能修改；如需修改请先撤回批准")
    before = audit.snapshot(report, REPORT_FIELDS)
    for k, v in fields.items():
        setattr(report, k, v)
    report.full_clean()
    report.save()
    audit.record(
        "disclosure.report_save",
        report,
        actor=actor,
        department=department,
        before=before,
        after=audit.snapshot(report, REPORT_FIELDS),
    )
    return report


def draft_annual_report_texts(*, actor, year: int, department=None, overwrite: bool = False):
    """Fills the text sections (一 … 六) with drafts written from the year's data, for the office to edit.
    Sections already written are kept unless `overwrite`. The drafts are computed before the write transaction."""
    from . import annual_report
    from .models import AnnualReport, ReportStatus

    if not can_edit_report(actor, department):
        raise PermissionDenied("只能编辑本部门的年度报告")
    probe = AnnualReport.objects.filter(year=year, department=department).first() or AnnualReport(
        year=year, department=department
    )
    drafts = annual_report.draft_texts(probe)
    with transaction.atomic():
        report = _report_for_update(year, department)
        if report.status != ReportStatus.DRAFT:
            raise ValidationError("年度报告已批准，不能修改；如需修改请先撤回批准")
        changed = {}
        for field, text in drafts.items():
            if overwrite or not (getattr(report, field) or "").strip():
                setattr(report, field, text)
                changed[field] = text
        report.save()
        audit.record(
            "disclosure.report_draft",
            report,
            actor=actor,
            department=department,
            after={"fields": sorted(changed)},
        )
    return report


def approve_annual_report(*, actor, year: int, department=None):
    """Freezes the tables and texts (the published report no longer follows the data) after checking the
    balance rules of table 三. The tables are computed before the write transaction."""
    from . import annual_report
    from .models import AnnualReport, ReportStatus

    if not can_approve_report(actor, department):
        raise PermissionDenied("只有政务公开办或系统管理员可以批准年度报告")
    probe = AnnualReport.objects.filter(year=year, department=department).first() or AnnualReport(
        year=year, department=department
    )
    try:
        snapshot = annual_report.build_snapshot(probe)
    except annual_report.ReportUnbalanced as exc:
        raise ValidationError(str(exc))
    with transaction.atomic():
        report = _report_for_update(year, department)
        if report.status != ReportStatus.DRAFT:
            raise ValidationError("年度报告已批准")
        missing = [
            label
            for field, label in (("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况"))
            if not (getattr(report, field) or "").strip()
        ]
        if missing:
            raise ValidationError("请先填写：" + "、".join(missing))
        if report.updated_at and probe.updated_at and report.updated_at != probe.updated_at:
            snapshot = annual_report.build_snapshot(report)  # edited meanwhile: freeze what is there now
        report.snapshot = snapshot
        report.status = ReportStatus.APPROVED
        report.approved_by = actor if getattr(actor, "pk", None) else None
        report.approved_at = timezone.now()
        report.save()
        audit.record("disclosure.report_approve", report, actor=actor, department=department)
    return report


@transaction.atomic
def reopen_annual_report(*, actor, year: int, department=None, reason: str):
    """Withdraws the approval (and the publication) so the report can be corrected; needs a reason."""
    from .models import ReportStatus

    if not can_approve_report(actor, department):
        raise PermissionDenied("只有政务公开办或系统管理员可以撤回年度报告")
    if not (reason or "").strip():
        raise ValidationError("请填写撤回理由")
    report = _report_for_update(year, department)
    if report.status == ReportStatus.DRAFT:
        raise ValidationError("年度报告尚未批准")
    before = {"status": report.status}
    report.status = ReportStatus.DRAFT
    report.snapshot = {}
    report.published_at = None
    report.save()
    audit.record(
        "disclosure.report_reopen",
        report,
        actor=actor,
        department=department,
        before=before,
        after={"status": report.status},
        note=reason.strip()[:300],
    )
    content_changed()  # the portal's 年度报告 page (core.pagecache)
    return report


@transaction.atomic
def publish_annual_report(*, actor, year: int, department=None):
    """Publishes an approved report on the portal's 政府信息公开工作年度报告 page (Art. 49: by 31 March)."""
    from .models import ReportStatus

    if not can_approve_report(actor, department):
        raise PermissionDenied("只有政务公开办或系统管理员可以公布年度报告")
    report = _report_for_update(year, department)
    if report.status == ReportStatus.DRAFT:
        raise ValidationError("年度报告须先批准再公布")
    if report.status == ReportStatus.PUBLISHED:
        raise ValidationError("年度报告已公布")
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    audit.record("disclosure.report_publish", report, actor=actor, department=department)
    content_changed()  # the portal's 年度报告 page (core.pagecache)
    return report


@transaction.atomic
def register_past_report(*, actor, year: int, department=None, url: str):
    """A report of a year before the system (published elsewhere): listed on the portal page with its link."""
    from django.core.validators import URLValidator

    from .models import ReportStatus

    if not can_approve_report(actor, department):
        raise PermissionDenied("只有政务公开办或系统管理员可以登记往年报告")
    url = (url or "").strip()
    URLValidator(schemes=["http", "https"])(url)
    report = _report_for_update(year, department)
    if report.status != ReportStatus.DRAFT or report.snapshot:
        raise ValidationError("该年度报告已在本系统生成，不能改为外部链接")
    report.external_url = url
    report.status = ReportStatus.PUBLISHED
    report.published_at = timezone.now()
    report.save()
    audit.record("disclosure.report_register_past", report, actor=actor, department=department, note=url)
    content_changed()  # the portal's 年度报告 page (core.pagecache)
    return report


# --- letter templates ---------------------------------------------------------------------------------------


def can_edit_templates(user) -> bool:
    from gongkai.core.roles import OPENNESS_OFFICE

    return user is None or user_has_role(user, OPENNESS_OFFICE, ADMINISTRATOR)


@transaction.atomic
def save_notice_template(key: str, *, actor, body: str):
    """Saves the openness office's version of a letter template after checking it renders."""
    from . import notices
    from .models import NoticeTemplate

    if not can_edit_templates(actor):
        raise PermissionDenied("只有政务公开办或系统管理员可以修改文书模板")
    notices.check_template(key, body)
    body = body.replace("\r\n", "\n").strip()
    row = NoticeTemplate.objects.filter(key=key).first()
    before = {"body": row.body if row else notices.TEMPLATES[key].default}
    row, _created = NoticeTemplate.objects.update_or_create(
        key=key, defaults={"body": body, "updated_by": actor if getattr(actor, "pk", None) else None}
    )
    audit.record("disclosure.template_save", row, actor=actor, before=before, after={"body": body}, note=key)
    return row


@transaction.atomic
def reset_notice_template(key: str, *, actor):
    from . import notices
    from .models import NoticeTemplate

    if not can_edit_templates(actor):
        raise PermissionDenied("只有政务公开办或系统管理员可以修改文书模板")
    if key not in notices.TEMPLATES:
        raise ValidationError("未知的文书模板")
    row = NoticeTemplate.objects.filter(key=key).first()
    if row is None:
        return None
    audit.record("disclosure.template_reset", row, actor=actor, before={"body": row.body}, note=key)
    row.delete()
    return None


# --- jobs -----------------------------------------------------------------------------------------------------


def send_deadline_reminders(today: datetime.date | None = None) -> int:
    """Job: due-soon and overdue reminders to the assignee or the department. Idempotent (dedup keys)."""
    today = today or _today()
    sent = 0
    for req in (
        DisclosureRequest.objects.open().exclude(deadline=None).select_related("department", "assignee")
    ):
        try:
            left = calendar.working_days_between(today, req.deadline) if req.deadline >= today else -1
        except calendar.CalendarNotCovered:
            continue
        if req.deadline < today:
            kind, subject = (
                "overdue",
                f"【已超期】政府信息公开申请 {req.tracking_number} 已超过答复期限 {req.deadline}",
            )
        elif left <= clock.DUE_SOON_WORKING_DAYS:
            kind, subject = (
                "due_soon",
                f"【即将到期】政府信息公开申请 {req.tracking_number} 答复期限 {req.deadline}",
            )
        else:
            continue
        note = notify(
            subject=subject,
            recipient=req.assignee,
            department=None if req.assignee_id else req.department,
            link=req.get_absolute_url(),
            dedup_key=f"disclosure.{kind}.{req.pk}.{req.deadline}",
        )
        sent += note is not None
    return sent


def run_jobs() -> str:
    lapsed = lapse_consultations()
    sent = send_deadline_reminders()
    return f"征求意见逾期 {lapsed} 件，提醒 {sent} 条"
