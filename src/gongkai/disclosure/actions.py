"""Every state change of the disclosure app (house rule 1). Views, admin, API, CLI, jobs and tests call these."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.core import audit, calendar
from gongkai.core.notify import notify
from gongkai.core.numbering import next_number
from gongkai.core.roles import ADMINISTRATOR, user_has_role

from . import clock, fees, volume
from .models import (
    ApplicantType,
    CaseResult,
    Channel,
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    DepartmentSeal,
    DisclosureRequest,
    ReplyLetter,
    ReplyStatus,
    RequestNote,
    RequestStatus,
    ReviewCase,
)
from .outcomes import REASON_REQUIRED, Outcome
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
        pauses.append(clock.Pause(c.sent_on, end, f"{c.get_kind_display()}（{c.party}{pending}）", basis))
    if req.fee_notice_on:
        # 国办函〔2020〕109号: from the fee notice to payment is not counted.
        pauses.append(
            clock.Pause(req.fee_notice_on, req.fee_paid_on, "收费通知至缴费", "国办函〔2020〕109号")
        )
    return pauses


def compute_ledger(req) -> clock.Ledger | None:
    if not req.received_date:
        return None
    if req.correction_notice_on and not req.corrected_received_on:
        ledger = clock.Ledger(
            None,
            clock.REPLY_WORKING_DAYS,
            [
                clock.LedgerLine(f"收到申请：{req.received_date:%Y-%m-%d}", "第三十一条"),
                clock.LedgerLine(
                    f"{req.correction_notice_on:%Y-%m-%d} 已告知补正，答复期限自收到补正后的申请之日起重新计算",
                    "第三十条",
                ),
            ],
            paused=True,
        )
        return ledger
    return clock.compute_deadline(
        req.received_date,
        corrected=req.corrected_received_on,
        extension_days=req.extension_days,
        extension_approver=req.extension_approver,
        pauses=pauses_for(req),
    )


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
def recompute_open_deadlines(*, actor=None, reason: str = "工作日历变更", years=None) -> int:
    """After a calendar change: recompute every open request's deadline and log each one that moved."""
    changed = 0
    for req in DisclosureRequest.objects.open().exclude(received_date=None).prefetch_related("consultations"):
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
    req.full_clean(exclude=["tracking_number", "query_code_hash", "applicant_key", "identity_proof"])
    if identity_proof is not None:
        from gongkai.core.uploads import validate_upload

        validate_upload(identity_proof, "disclosure.identity_proof")
        req.identity_proof = identity_proof
    req.save()
    dup = volume.find_possible_duplicate(req)
    req.possible_duplicate_of = dup
    req.excessive_warning = volume.excessive_warning(req)
    req.save(update_fields=["possible_duplicate_of", "excessive_warning"])
    refresh_deadline(req)
    audit.record("disclosure.create", req, actor=actor, after=_snap(req), note=req.get_channel_display())
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
    if day < timezone.localtime(req.submitted_at).date():
        raise ValidationError("确认日期不能早于提交日期")
    req.received_date = day
    req.receipt_confirmed_by = actor
    req.status = RequestStatus.IN_PROGRESS
    req.save(update_fields=["received_date", "receipt_confirmed_by", "status"])
    refresh_deadline(req)
    audit.record("disclosure.confirm_receipt", req, actor=actor, before=before, after=_snap(req))
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


@transaction.atomic
def request_correction(req, *, actor, items: str, due_date: datetime.date, day: datetime.date | None = None):
    """Art. 30: one correction notice, within 7 working days of receipt, naming the items and a reasonable term."""
    _check(actor, req)
    _check_open(req)
    day = day or _today()
    if not req.received_date:
        raise ValidationError("请先确认收到申请")
    if req.correction_notice_on:
        raise ValidationError("补正告知只能一次性作出（第三十条）")
    last = clock.correction_notice_due(req.received_date)
    if day > last:
        raise ValidationError(
            f"补正告知须在收到申请之日起{clock.CORRECTION_NOTICE_WORKING_DAYS}个工作日内作出（第三十条），已于{last}届满"
        )
    if not (items or "").strip():
        raise ValidationError("请写明需要补正的事项")
    if due_date <= day:
        raise ValidationError("补正期限应晚于告知日期")
    before = _snap(req)
    req.correction_notice_on, req.correction_items, req.correction_due = day, items.strip(), due_date
    req.status = RequestStatus.AWAITING_CORRECTION
    req.save(update_fields=["correction_notice_on", "correction_items", "correction_due", "status"])
    refresh_deadline(req)
    audit.record("disclosure.request_correction", req, actor=actor, before=before, after=_snap(req))
    return req


@transaction.atomic
def receive_correction(req, *, actor, day: datetime.date | None = None):
    """Art. 30: the reply period restarts from receipt of the corrected application."""
    _check(actor, req)
    if req.status != RequestStatus.AWAITING_CORRECTION:
        raise ValidationError("该申请不在待补正状态")
    day = day or _today()
    if day < req.correction_notice_on:
        raise ValidationError("收到补正日期不能早于补正告知日期")
    before = _snap(req)
    req.corrected_received_on = day
    req.status = RequestStatus.IN_PROGRESS
    req.save(update_fields=["corrected_received_on", "status"])
    refresh_deadline(req)
    audit.record("disclosure.receive_correction", req, actor=actor, before=before, after=_snap(req))
    return req


@transaction.atomic
def extend_deadline(req, *, actor, days: int, approver: str, reason: str):
    """Art. 33 para 2: one extension of at most 20 working days, approved by the head of the disclosure office."""
    _check(actor, req)
    _check_open(req)
    if req.extension_days:
        raise ValidationError("答复期限只能延长一次")
    if not 1 <= int(days) <= clock.MAX_EXTENSION_WORKING_DAYS:
        raise ValidationError(
            f"延长期限最长不得超过{clock.MAX_EXTENSION_WORKING_DAYS}个工作日（第三十三条第二款）"
        )
    if not (approver or "").strip():
        raise ValidationError("请填写批准延期的政府信息公开工作机构负责人")
    if not req.received_date:
        raise ValidationError("请先确认收到申请")
    before = _snap(req)
    req.extension_days, req.extension_approver, req.extension_reason = (
        int(days),
        approver.strip(),
        (reason or "").strip(),
    )
    req.save(update_fields=["extension_days", "extension_approver", "extension_reason"])
    refresh_deadline(req)
    audit.record(
        "disclosure.extend", req, actor=actor, before=before, after=_snap(req), note=req.extension_reason
    )
    return req


@transaction.atomic
def start_consultation(req, *, actor, kind: str, party: str, sent_on: datetime.date | None = None):
    """Art. 32 (third party) / Art. 34 (other agencies): a consultation letter with its 15-working-day timer."""
    _check(actor, req)
    _check_open(req)
    if not req.received_date:
        raise ValidationError("请先确认收到申请")
    if not (party or "").strip():
        raise ValidationError("请填写被征求意见方")
    sent_on = sent_on or _today()
    c = Consultation.objects.create(
        request=req,
        kind=ConsultationKind(kind),
        party=party.strip()[:200],
        sent_on=sent_on,
        due_on=clock.consultation_due(sent_on),
    )
    refresh_deadline(req)
    audit.record(
        "disclosure.consult", req, actor=actor, after={"consultation": c.pk, "kind": kind, "due_on": c.due_on}
    )
    return c


@transaction.atomic
def record_consultation_answer(c, *, actor, answer: str, day: datetime.date | None = None, summary: str = ""):
    req = c.request
    _check(actor, req)
    if c.answer != ConsultationAnswer.PENDING:
        raise ValidationError("该征求意见已有答复")
    if answer not in (ConsultationAnswer.CONSENT, ConsultationAnswer.OBJECTION):
        raise ValidationError("意见只能是同意公开或不同意公开")
    c.answer, c.answered_on, c.summary = answer, day or _today(), (summary or "").strip()
    if c.answered_on < c.sent_on:
        raise ValidationError("答复日期不能早于发出日期")
    c.save()
    refresh_deadline(req)
    audit.record(
        "disclosure.consult_answer", req, actor=actor, after={"consultation": c.pk, "answer": answer}
    )
    return c


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
    before = _snap(req)
    req.fee_amount, req.fee_explanation = quote.amount, quote.explanation[:300]
    req.fee_notice_on = day or _today()
    req.status = RequestStatus.AWAITING_FEE
    req.save(update_fields=["fee_amount", "fee_explanation", "fee_notice_on", "status"])
    refresh_deadline(req)
    audit.record("disclosure.fee_notice", req, actor=actor, before=before, after=_snap(req))
    return req


@transaction.atomic
def record_fee_paid(req, *, actor, day: datetime.date | None = None):
    _check(actor, req)
    if req.status != RequestStatus.AWAITING_FEE:
        raise ValidationError("该申请不在待缴费状态")
    day = day or _today()
    if day < req.fee_notice_on:
        raise ValidationError("缴费日期不能早于收费通知日期")
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


def _reply_checks(reply, actor):
    req = reply.request
    _check(actor, req)
    _check_open(req)
    if reply.status != ReplyStatus.DRAFT:
        raise ValidationError("该答复已发出")
    if not req.received_date:
        raise ValidationError("请先确认收到申请")
    from .release import release_problems

    problems = release_problems(reply)
    if problems:
        raise ValidationError(["答复未通过发送前检查："] + problems)
    seal = active_seal(req.department)
    if seal is None:
        raise ValidationError(f"{req.department.name}尚未配置电子印章，请联系系统管理员生成")
    return seal


def _render_signed(reply, seal) -> tuple[bytes, bytes]:
    from . import seals
    from .letters import render_docx, render_pdf

    with seal.image.open("rb") as fh:
        seal_png = fh.read()
    return render_docx(reply), seals.sign_pdf(render_pdf(reply, seal_png), seal)


def send_reply(reply, *, actor, day: datetime.date | None = None) -> ReplyLetter:
    """Numbers the letter, renders .docx and the PDF, stamps the seal image, signs the PDF, closes the request.

    Rendering and signing take most of a second, so they run before the write transaction (on SQLite a write
    transaction holds the single write lock): the letter is rendered with the number the counter will most
    likely give; the transaction then takes the number (gap-free) and, in the rare case another letter took it
    meanwhile or the draft changed, renders again inside the transaction."""
    from gongkai.core.models import Counter

    seal = _reply_checks(reply, actor)
    req = reply.request
    day = day or _today()
    key = f"disclosure.reply.{req.department.code}.{day.year}"
    current = Counter.objects.filter(key=key).values_list("value", flat=True).first() or 0
    expected = f"{req.department.code}-{day.year}-{current + 1:04d}"
    reply.reply_number, reply.sent_on, reply.seal = expected, day, seal
    reply.sent_by = actor if getattr(actor, "pk", None) else None
    rendered = _render_signed(reply, seal)
    rendered_from = (reply.body, reply.outcome, seal.pk)
    with transaction.atomic():
        reply = ReplyLetter.objects.select_related("request").get(pk=reply.pk)
        req = reply.request
        seal = _reply_checks(reply, actor)
        reply.reply_number = f"{req.department.code}-{day.year}-{next_number(key):04d}"
        reply.sent_on, reply.seal = day, seal
        reply.sent_by = actor if getattr(actor, "pk", None) else None
        if reply.reply_number != expected or (reply.body, reply.outcome, seal.pk) != rendered_from:
            rendered = _render_signed(reply, seal)
        docx_bytes, pdf_bytes = rendered
        reply.docx_file.save(f"{reply.reply_number}.docx", ContentFile(docx_bytes), save=False)
        reply.pdf_file.save(f"{reply.reply_number}.pdf", ContentFile(pdf_bytes), save=False)
        reply.pdf_sha256 = hashlib.sha256(pdf_bytes).hexdigest()
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
    return reply


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
    if result == CaseResult.PENDING:
        raise ValidationError("审结须选择维持、纠正或其他结果")
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


# --- annual report --------------------------------------------------------------------------------------------

REPORT_FIELDS = [
    "overview",
    "problems",
    "other_matters",
    "rules_issued",
    "rules_repealed",
    "rules_valid",
    "licensing_decisions",
    "penalty_decisions",
    "enforcement_decisions",
    "fee_amount_10k",
]


@transaction.atomic
def save_annual_report(*, actor, year: int, department=None, **fields):
    from .models import AnnualReport

    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    if not AnnualReport.objects.none().owns_new(actor, AnnualReport(year=year, department=department)):
        raise PermissionDenied("只能编辑本部门的年度报告")
    report, _created = AnnualReport.objects.get_or_create(year=year, department=department)
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
