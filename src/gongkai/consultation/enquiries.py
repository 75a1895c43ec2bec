"""政务咨询: every change of an enquiry goes through these functions (keyword-only `actor`, one transaction, an audit
entry in it, notices after commit). The rules (limit, reminders, consent) are in `enquiry_rules.py`."""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.pagecache import content_changed
from gongkai.core.roles import ADMINISTRATOR, OPENNESS_OFFICE, user_has_role
from gongkai.core.scoping import CHANGE

from . import enquiry_rules as rules
from .enquiry_models import Enquiry, EnquiryStatus

SUBJECT_MAX_CHARS = 100
QUESTION_MAX_CHARS = 3000
ANSWER_MAX_CHARS = 10000
REASON_MAX_CHARS = 300
QUERY_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
QUERY_CODE_LENGTH = 8
FIELDS = ["department", "status", "answer", "published_at", "due_date"]


def _clean(value, limit: int, label: str, *, required: bool = True) -> str:
    text = "".join(ch for ch in str(value or "") if ch.isprintable() or ch in "\n\t").strip()
    if required and not text:
        raise ValidationError(_("请填写%(label)s") % {"label": label})
    if len(text) > limit:
        raise ValidationError(_("%(label)s不能超过 %(limit)d 个字") % {"label": label, "limit": limit})
    return text


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# --- who may do what -------------------------------------------------------------------------------------------


def can_route(user) -> bool:
    """The 政务公开办 (and administrators) route and re-route questions (接诉即办工作条例 第十二条)."""
    return user is None or user_has_role(user, OPENNESS_OFFICE, ADMINISTRATOR)


def can_answer(user, enquiry) -> bool:
    """The department the question is with (district-wide roles too): the scoping rule of the model."""
    return enquiry.department_id is not None and Enquiry.objects.none().user_can(user, CHANGE, enquiry)


def _check_answer(actor, enquiry):
    if not can_answer(actor, enquiry):
        raise PermissionDenied(_("只有办理部门可以处理该咨询"))


# --- the tracking code -------------------------------------------------------------------------------------------


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def normalise_query_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:40]


def find_enquiry(number: str, query_code: str) -> Enquiry | None:
    """The enquiry with this number if the query code matches, else None (no hint which was wrong)."""
    number = (number or "").strip().upper()[:20]
    item = Enquiry.objects.filter(number=number).select_related("department").first()
    code = normalise_query_code(query_code)
    if item is None or not code:
        check_password("x", make_password("y"))  # the same work either way: no timing oracle
        return None
    return item if check_password(code, item.query_code_hash) else None


def _new_number(now) -> str:
    from gongkai.core.numbering import next_number

    year = timezone.localtime(now).year
    return f"ZX{year}{next_number(f'consultation.enquiry.{year}'):05d}"


# --- notices -----------------------------------------------------------------------------------------------------


def _notify_holder(enquiry, *, subject: str, body: str, dedup: str | None = None):
    """The department the question is with, or every member of the 政务公开办 while it waits for routing."""
    from django.contrib.auth import get_user_model

    from gongkai.core.notify import notify
    from gongkai.core.roles import group_for

    link = f"/admin/consultation/enquiries/{enquiry.pk}/"
    if enquiry.department_id:
        return [notify(subject=subject, body=body, department=enquiry.department, link=link, dedup_key=dedup)]
    users = get_user_model().objects.filter(is_active=True, groups=group_for(OPENNESS_OFFICE))
    return [
        notify(
            subject=subject,
            body=body,
            recipient=u,
            link=link,
            dedup_key=f"{dedup}.u{u.pk}" if dedup else None,
        )
        for u in users
    ]


# --- the public asks ---------------------------------------------------------------------------------------------


@transaction.atomic
def submit_enquiry(
    *,
    actor=None,
    department=None,
    subject: str,
    question: str,
    name: str = "",
    contact: str = "",
    consent_publish: bool = False,
    received_at=None,
) -> tuple[Enquiry, str]:
    """A member of the public asks a department (or leaves the department to the office: `department=None`).
    Returns the enquiry and its query code (shown once; only its hash is kept)."""
    from gongkai.secrecy.public_text import scan_public_text

    now = received_at or timezone.now()
    subject = _clean(subject, SUBJECT_MAX_CHARS, _("标题"))
    question = _clean(question, QUESTION_MAX_CHARS, _("咨询内容"))
    name = _clean(name, 50, _("姓名"), required=False)
    contact = _clean(contact, 100, _("联系方式"), required=False)
    if department is not None and not department.is_active:
        raise ValidationError(_("所选部门不存在"))
    code = new_query_code()
    scan = scan_public_text({"标题": subject, "咨询内容": question})
    enquiry = Enquiry.objects.create(
        number=_new_number(now),
        query_code_hash=make_password(code),
        department=department,
        asked_department=department,
        subject=subject,
        question=question,
        name=name,
        contact=contact,
        consent_publish=bool(consent_publish),
        status=EnquiryStatus.PENDING if department else EnquiryStatus.ROUTING,
        received_at=now,
        routed_at=now if department else None,
        due_date=rules.answer_due(now),
        scan_level=scan.level,
    )
    audit.record(
        "consultation.enquiry_submit",
        enquiry,
        actor=actor,
        after={
            "department": department.pk if department else None,
            "consent_publish": enquiry.consent_publish,
            "scan_level": scan.level,
            "due_date": enquiry.due_date.isoformat(),
        },
        department=department,
    )
    _notify_holder(
        enquiry,
        subject=(_("收到政务咨询：%(subject)s") if department else _("政务咨询待分办：%(subject)s"))
        % {"subject": subject[:80]},
        body=_("请于 %(due)s 前答复。") % {"due": enquiry.due_date.isoformat()},
    )
    return enquiry, code


# --- routing -----------------------------------------------------------------------------------------------------


@transaction.atomic
def route_enquiry(enquiry, *, actor, department, reason: str = "") -> Enquiry:
    """The office sends a question to the department that answers it. Sending it on from a department it was
    already with (re-routing) needs the reason, which is recorded (接诉即办工作条例 第十二条第三款)."""
    if not can_route(actor):
        raise PermissionDenied(_("只有政务公开办可以分办咨询"))
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status == EnquiryStatus.ANSWERED:
        raise ValidationError(_("该咨询已答复，不能再转办"))
    if department is None or not department.is_active:
        raise ValidationError(_("请选择办理部门"))
    if department.pk == enquiry.department_id:
        raise ValidationError(_("该咨询已在此部门办理"))
    rerouting = enquiry.department_id is not None
    reason = _clean(reason, REASON_MAX_CHARS, _("转办理由"), required=rerouting)
    before = audit.snapshot(enquiry, FIELDS)
    previous = enquiry.department
    enquiry.department = department
    enquiry.status = EnquiryStatus.PENDING
    enquiry.routed_at = timezone.now()
    enquiry.reminded_at = enquiry.deadline_reminded_at = None  # the new holder gets its own reminders
    enquiry.save()
    audit.record(
        "consultation.enquiry_reroute" if rerouting else "consultation.enquiry_route",
        enquiry,
        actor=actor,
        before=before,
        after=audit.snapshot(enquiry, FIELDS),
        note=(f"{previous.name} → {department.name}：{reason}" if rerouting else reason),
        department=department,
    )
    _notify_holder(
        enquiry,
        subject=_("政务咨询已转至本部门：%(subject)s") % {"subject": enquiry.subject[:80]},
        body=_("请于 %(due)s 前答复。") % {"due": enquiry.due_date.isoformat()},
    )
    return enquiry


@transaction.atomic
def return_enquiry(enquiry, *, actor, reason: str) -> Enquiry:
    """The department says the question is not its business: back to the office for re-routing, with the reason
    (派单异议, 接诉即办工作条例 第十二条第三款)."""
    _check_answer(actor, enquiry)
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status == EnquiryStatus.ANSWERED:
        raise ValidationError(_("该咨询已答复，不能退回"))
    reason = _clean(reason, REASON_MAX_CHARS, _("退回理由"))
    before = audit.snapshot(enquiry, FIELDS)
    previous = enquiry.department
    enquiry.department = None
    enquiry.status = EnquiryStatus.ROUTING
    enquiry.reminded_at = enquiry.deadline_reminded_at = None
    enquiry.save()
    audit.record(
        "consultation.enquiry_return",
        enquiry,
        actor=actor,
        before=before,
        after=audit.snapshot(enquiry, FIELDS),
        note=f"{previous.name}：{reason}",
        department=previous,
    )
    _notify_holder(
        enquiry,
        subject=_("政务咨询被退回待重新分办：%(subject)s") % {"subject": enquiry.subject[:80]},
        body=reason,
    )
    return enquiry


# --- answering and publication -------------------------------------------------------------------------------------


@transaction.atomic
def answer_enquiry(enquiry, *, actor, answer: str, answered_at=None) -> Enquiry:
    """The department answers; the asker reads it with the tracking code. An answer may be corrected until it is
    published. `answered_at` is for imports of answers given before the platform (the screens never pass it)."""
    _check_answer(actor, enquiry)
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.published_at:
        raise ValidationError(_("答复已公开，请先撤回公开再修改"))
    answer = _clean(answer, ANSWER_MAX_CHARS, _("答复"))
    before = audit.snapshot(enquiry, FIELDS)
    corrected = enquiry.status == EnquiryStatus.ANSWERED
    enquiry.answer = answer
    enquiry.original_answer = ""
    enquiry.status = EnquiryStatus.ANSWERED
    enquiry.answered_at = answered_at or timezone.now()
    enquiry.answered_by = _user(actor)
    enquiry.save()
    audit.record(
        "consultation.enquiry_answer_correct" if corrected else "consultation.enquiry_answer",
        enquiry,
        actor=actor,
        before=before,
        after=audit.snapshot(enquiry, FIELDS),
        note=_("逾期答复") if timezone.localtime(enquiry.answered_at).date() > enquiry.due_date else "",
    )
    return enquiry


def publication_scan(enquiry):
    from gongkai.secrecy.public_text import scan_public_text

    return scan_public_text({"标题": enquiry.subject, "咨询内容": enquiry.question, "答复": enquiry.answer})


def publication_blockers(enquiry) -> list[str]:
    problems = []
    if not enquiry.consent_publish:
        problems.append(_("提问人未同意公开，不能公开"))
    if enquiry.status != EnquiryStatus.ANSWERED:
        problems.append(_("尚未答复，不能公开"))
    return problems


@transaction.atomic
def publish_enquiry(enquiry, *, actor, confirm_personal_data: bool = False) -> Enquiry:
    """An answer of general interest goes on the portal (政务咨询): only with the asker's consent, after the
    confidentiality scan (high blocks until redacted; medium needs the officer's confirmation, recorded). The
    asker's name and contact are never published."""
    _check_answer(actor, enquiry)
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.published_at:
        return enquiry
    blockers = publication_blockers(enquiry)
    if blockers:
        raise ValidationError(blockers)
    if name_in_public_text(enquiry):
        raise ValidationError(_("标题、咨询内容或答复中含有提问人的姓名，请先脱敏再公开"))
    scan = publication_scan(enquiry)
    problem = scan.publication_problem(confirmed=confirm_personal_data)
    if problem:
        raise ValidationError(problem)
    before = audit.snapshot(enquiry, FIELDS)
    enquiry.published_at = timezone.now()
    enquiry.save()
    audit.record(
        "consultation.enquiry_publish",
        enquiry,
        actor=actor,
        before=before,
        after=audit.snapshot(enquiry, FIELDS),
        note=("经办人确认公开所含个人信息：" + scan.summary(("medium",))) if scan.needs_confirmation else "",
    )
    return enquiry


@transaction.atomic
def unpublish_enquiry(enquiry, *, actor, reason: str) -> Enquiry:
    _check_answer(actor, enquiry)
    reason = _clean(reason, REASON_MAX_CHARS, _("撤回理由"))
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if not enquiry.published_at:
        return enquiry
    before = audit.snapshot(enquiry, FIELDS)
    enquiry.published_at = None
    enquiry.save()
    content_changed()  # the page watcher only fires for published enquiries
    audit.record(
        "consultation.enquiry_unpublish",
        enquiry,
        actor=actor,
        before=before,
        after=audit.snapshot(enquiry, FIELDS),
        note=reason,
    )
    return enquiry


REDACTABLE = ("subject", "question", "answer")


@transaction.atomic
def redact_enquiry(enquiry, *, actor, field: str, reason: str, text: str | None = None):
    """Masks the personal data in the title, question or answer (or publishes the officer's edited text); the
    originals are kept for staff and the asker (`original_subject`, `original_question`, `original_answer`)."""
    from gongkai.secrecy.actions import redact_public_text

    if field not in REDACTABLE:
        raise ValidationError(_("未知字段"))
    if enquiry.published_at:
        raise ValidationError(_("答复已公开，请先撤回公开再脱敏"))
    if field == "subject" and text and len(text.strip()) > SUBJECT_MAX_CHARS:
        raise ValidationError(_("标题不能超过 %(limit)d 个字") % {"limit": SUBJECT_MAX_CHARS})
    done = redact_public_text(
        enquiry, actor=actor, field=field, reason=reason, text=text, can_edit=can_answer
    )
    name = _asker_name(enquiry)
    if text is None and name and name in getattr(enquiry, field):
        # The asker's own name, which the scanner cannot know is a name: masked too.
        masked = getattr(enquiry, field).replace(name, name[0] + "*" * (len(name) - 1))
        done = redact_public_text(
            enquiry, actor=actor, field=field, reason=reason, text=masked, can_edit=can_answer
        )
    return done


def _asker_name(enquiry) -> str:
    name = (enquiry.name or "").strip()
    return name if len(name) >= 2 else ""


def name_in_public_text(enquiry) -> bool:
    """Whether the asker's name (given in the form's name field) appears in the title, question or answer."""
    name = _asker_name(enquiry)
    return bool(name) and any(name in (getattr(enquiry, f) or "") for f in REDACTABLE)


# --- the clock ------------------------------------------------------------------------------------------------------


def overdue(queryset=None):
    qs = Enquiry.objects.all() if queryset is None else queryset
    return qs.overdue()


@transaction.atomic
def _mark_reminded(enquiry, field: str, note: str):
    Enquiry.objects.filter(pk=enquiry.pk).update(**{field: timezone.now()})
    audit.record(
        "consultation.enquiry_remind",
        enquiry,
        actor=None,
        note=note,
        department=enquiry.department,
    )


def send_reminders(today=None) -> str:
    """The periodic job: reminds the holder of each open question once before its limit and once on (or after) its
    last day. Every reminder is sent once (a field per reminder, cleared when the question changes hands)."""
    today = today or timezone.localdate()
    early = due = 0
    for enquiry in Enquiry.objects.open().select_related("department"):
        if enquiry.deadline_reminded_at is None and today >= enquiry.due_date:
            if today > enquiry.due_date:
                subject = _("政务咨询已超过答复时限：%(subject)s")
            else:
                subject = _("政务咨询今日到期：%(subject)s")
            _notify_holder(
                enquiry,
                subject=subject % {"subject": enquiry.subject[:80]},
                body=_("答复时限为 %(due)s。") % {"due": enquiry.due_date.isoformat()},
            )
            _mark_reminded(enquiry, "deadline_reminded_at", "到期提醒")
            due += 1
        elif (
            enquiry.reminded_at is None
            and enquiry.deadline_reminded_at is None
            and today >= rules.remind_from(enquiry.due_date, timezone.localtime(enquiry.received_at).date())
        ):
            _notify_holder(
                enquiry,
                subject=_("政务咨询即将到期：%(subject)s") % {"subject": enquiry.subject[:80]},
                body=_("请于 %(due)s 前答复。") % {"due": enquiry.due_date.isoformat()},
            )
            _mark_reminded(enquiry, "reminded_at", "到期前提醒")
            early += 1
    return f"政务咨询：到期前提醒 {early} 件，到期提醒 {due} 件"


# --- export ---------------------------------------------------------------------------------------------------------


def export_xlsx(queryset) -> bytes:
    """The staff list as an .xlsx (name and contact included: a staff export, never public). Every text cell is
    stored as text, never as a formula."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "政务咨询"
    header = [
        "咨询编号", "标题", "办理部门", "状态", "提交时间", "答复时限", "是否超期", "答复时间",
        "同意公开", "已公开", "姓名或单位", "联系方式", "咨询内容", "答复",
    ]  # fmt: skip
    ws.append(header)
    for c in ws[1]:
        c.font = Font(bold=True)
    today = timezone.localdate()
    for e in queryset.select_related("department"):
        late = e.due_date < (timezone.localtime(e.answered_at).date() if e.answered_at else today)
        ws.append(
            [
                e.number,
                e.asker_subject,
                e.department.name if e.department else "待分办",
                str(e.get_status_display()),
                timezone.localtime(e.received_at).strftime("%Y-%m-%d %H:%M"),
                e.due_date.isoformat(),
                "是" if late else "否",
                timezone.localtime(e.answered_at).strftime("%Y-%m-%d %H:%M") if e.answered_at else "",
                "是" if e.consent_publish else "否",
                "是" if e.published_at else "否",
                e.name,
                e.contact,
                e.asker_question,
                e.asker_answer,
            ]
        )
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text from the public is never a formula (=…, +…, @…)
    for col, width in (("B", 40), ("C", 24), ("M", 60), ("N", 60)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
