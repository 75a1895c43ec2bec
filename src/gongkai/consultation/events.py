"""Every change of an event goes through these functions (house rule 1): keyword-only `actor`, one transaction,
an audit entry in it, notices after commit. The public's actions (register, cancel, ask) have `actor=None`.

Rules in one place:
- registration is open from publication until the event starts; at most `capacity` registrations are confirmed,
  then up to `waiting_limit` wait; one active registration per telephone number and event (a database constraint,
  so two racing requests cannot both get in);
- a cancellation of a confirmed place promotes the earliest waiting registration at once (in the same
  transaction), so the waiting list never holds someone while a seat is free; so does a larger capacity;
- the registrant cancels with the confirmation code given at registration (only its keyed hash is stored);
- questions are accepted until the event starts, pass the confidentiality scan and the office's sensitive-word
  list, wait for moderation, and are answered once the event has started;
- the closing report (summary, attendance, questions and answers, photos) can be written once the event has
  ended; its photos are private until it is published, then public copies are made (core/storage.py).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import audit
from gongkai.core.scoping import CHANGE

from .event_models import (
    Event,
    EventPhoto,
    EventQuestion,
    EventQuestionStatus,
    EventReportStatus,
    EventStatus,
    Registration,
    RegistrationStatus,
)

DESCRIPTION_MAX_CHARS = 10000
QUESTION_MAX_CHARS = 2000
ANSWER_MAX_CHARS = 10000
SUMMARY_MAX_CHARS = 20000
MAX_CAPACITY = 100000
MAX_PHOTOS = 30
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the door
CODE_LENGTH = 8

EVENT_FIELDS = [
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "capacity",
    "waiting_limit",
    "contact",
    "status",
    "report_status",
    "report_attendance",
]


def _clean(value, limit: int, label: str, *, required: bool = True) -> str:
    text = "".join(ch for ch in str(value or "") if ch.isprintable() or ch in "\n\t").strip()
    if required and not text:
        raise ValidationError(_("请填写%(label)s") % {"label": label})
    if len(text) > limit:
        raise ValidationError(_("%(label)s不能超过 %(limit)d 个字") % {"label": label, "limit": limit})
    return text


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def can_manage(user, event) -> bool:
    """The organising department (and district-wide roles): the scoping rule of the model."""
    return Event.objects.none().user_can(user, CHANGE, event)


def _check_manage(actor, event):
    if not can_manage(actor, event):
        raise PermissionDenied(_("只有主办部门可以办理本部门的活动"))


def _locked(event) -> Event:
    """The event row, locked for the rest of the transaction (PostgreSQL; SQLite serialises writers)."""
    return Event.objects.select_for_update().get(pk=event.pk)


# --- the event ----------------------------------------------------------------------------------------------------


def _check_event(data: dict) -> dict:
    out = {}
    out["title"] = _clean(data.get("title"), 200, _("活动名称"))
    out["description"] = _clean(data.get("description"), DESCRIPTION_MAX_CHARS, _("活动介绍"))
    out["place"] = _clean(data.get("place"), 200, _("地点"), required=False)
    out["online_url"] = _clean(data.get("online_url"), 200, _("线上参与链接"), required=False)
    if out["online_url"] and not re.match(r"^https?://[^\s<>\"']+$", out["online_url"]):
        raise ValidationError(_("线上参与链接须以 http:// 或 https:// 开头"))
    if not out["place"] and not out["online_url"]:
        raise ValidationError(_("请填写活动地点或线上参与链接"))
    out["contact"] = _clean(data.get("contact"), 100, _("咨询电话"), required=False)
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not starts or not ends:
        raise ValidationError(_("请填写开始时间和结束时间"))
    if ends <= starts:
        raise ValidationError(_("结束时间须晚于开始时间"))
    out["starts_at"], out["ends_at"] = starts, ends
    try:
        capacity = int(data.get("capacity"))
        waiting = int(data.get("waiting_limit") if data.get("waiting_limit") is not None else 20)
    except (TypeError, ValueError):
        raise ValidationError(_("名额须为整数"))
    if not (1 <= capacity <= MAX_CAPACITY) or not (0 <= waiting <= MAX_CAPACITY):
        raise ValidationError(_("名额须在 1 至 %(n)d 之间") % {"n": MAX_CAPACITY})
    out["capacity"], out["waiting_limit"] = capacity, waiting
    from .event_models import EventKind

    if data.get("kind") not in EventKind.values:
        raise ValidationError(_("请选择活动类型"))
    out["kind"] = data["kind"]
    return out


@transaction.atomic
def create_event(*, actor, department, **data) -> Event:
    """A draft event of `department` (the actor's own, or any for district-wide roles)."""
    if department is None:
        raise ValidationError(_("请选择主办部门"))
    event = Event(department=department, created_by=_user(actor), **_check_event(data))
    if actor is not None and not Event.objects.none().user_can(actor, CHANGE, event):
        raise PermissionDenied(_("只能为本部门创建活动"))
    event.save()
    audit.record(
        "consultation.event_create",
        event,
        actor=actor,
        after=audit.snapshot(event, EVENT_FIELDS),
        department=department,
    )
    return event


@transaction.atomic
def update_event(event, *, actor, **data) -> Event:
    """Edits an event. After publication the time and place may still change (shown on the page); the capacity
    cannot fall below the confirmed registrations, and a larger one promotes waiting registrations."""
    _check_manage(actor, event)
    event = _locked(event)
    values = _check_event(data)
    if event.is_public:
        confirmed = event.confirmed_count()
        if values["capacity"] < confirmed:
            raise ValidationError(_("已有 %(n)d 人报名成功，名额不能少于此数") % {"n": confirmed})
    before = audit.snapshot(event, EVENT_FIELDS)
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    promoted = _promote(event, actor=actor) if event.is_public else []
    audit.record(
        "consultation.event_update",
        event,
        actor=actor,
        before=before,
        after=audit.snapshot(event, EVENT_FIELDS),
        note=_("递补 %(n)d 人") % {"n": len(promoted)} if promoted else "",
    )
    return event


@transaction.atomic
def publish_event(event, *, actor) -> Event:
    """Puts the event on the portal and opens registration (until it starts)."""
    _check_manage(actor, event)
    event = _locked(event)
    if event.is_public:
        raise ValidationError(_("该活动已发布"))
    if actor is not None and event.has_started():
        raise ValidationError(_("活动开始时间已过，不能发布报名；请修改时间"))
    before = audit.snapshot(event, EVENT_FIELDS)
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save()
    audit.record(
        "consultation.event_publish",
        event,
        actor=actor,
        before=before,
        after=audit.snapshot(event, EVENT_FIELDS),
    )
    return event


# --- registrations ------------------------------------------------------------------------------------------------


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", str(code or "")).upper()[:32]


def code_hash(event_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"event:{event_id}:{normalise_code(code)}".encode(), hashlib.sha256).hexdigest()


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"[\s\-()（）]", "", str(phone or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    if not re.fullmatch(r"\d{7,15}", digits):
        raise ValidationError(_("请填写正确的联系电话（手机号码或固定电话）"))
    return digits


def _promote(event, *, actor=None) -> list[Registration]:
    """Moves waiting registrations up, earliest first, while seats are free. Call with the event locked."""
    from gongkai.core.notify import notify

    free = event.capacity - event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    promoted = []
    if free <= 0:
        return promoted
    now = timezone.now()
    for reg in event.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id")[
        :free
    ]:
        reg.status = RegistrationStatus.CONFIRMED
        reg.promoted_at = now
        reg.save(update_fields=["status", "promoted_at"])
        audit.record(
            "consultation.event_promote",
            reg,
            actor=actor,
            before={"status": RegistrationStatus.WAITING},
            after={"status": RegistrationStatus.CONFIRMED},
            department=event.department,
        )
        promoted.append(reg)
    if promoted:
        notify(
            subject=_("活动候补递补：%(title)s") % {"title": event.title[:80]},
            body=_("%(n)d 位候补报名者已自动递补为报名成功，请通知本人。") % {"n": len(promoted)},
            department=event.department,
            link=f"/admin/consultation/events/{event.pk}/registrations/",
        )
    return promoted


def waiting_position(registration) -> int | None:
    if registration.status != RegistrationStatus.WAITING:
        return None
    return (
        Registration.objects.filter(event_id=registration.event_id, status=RegistrationStatus.WAITING)
        .filter(created_at__lte=registration.created_at)
        .exclude(created_at=registration.created_at, id__gt=registration.id)
        .count()
    )


def register(
    event, *, name: str, phone: str, organisation: str = "", actor=None, received_at=None
) -> tuple[Registration, str]:
    """A member of the public registers. Returns the registration and its confirmation code (shown once).
    Confirmed while seats are free, then on the waiting list, then refused. `received_at` is for imports of
    registrations taken before the platform (the views never pass it)."""
    name = _clean(name, 50, _("姓名"))
    phone = normalise_phone(phone)
    organisation = _clean(organisation, 100, _("单位"), required=False)
    try:
        with transaction.atomic():
            return _register(
                event, name=name, phone=phone, organisation=organisation, actor=actor, now=received_at
            )
    except IntegrityError:
        # the same number got in through a request running at the same time
        raise ValidationError(_("该电话号码已报名本活动；如需查询或取消，请使用报名时获得的确认码"))


def _register(event, *, name, phone, organisation, actor, now) -> tuple[Registration, str]:
    event = _locked(event)
    now = now or timezone.now()
    if not event.registration_open(now):
        raise ValidationError(_("该活动不在报名期内"))
    if event.registrations.active().filter(phone=phone).exists():
        raise ValidationError(_("该电话号码已报名本活动；如需查询或取消，请使用报名时获得的确认码"))
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if confirmed < event.capacity:
        status = RegistrationStatus.CONFIRMED
    elif event.registrations.filter(status=RegistrationStatus.WAITING).count() < event.waiting_limit:
        status = RegistrationStatus.WAITING
    else:
        raise ValidationError(_("名额和候补名额均已满，感谢关注"))
    code = new_code()
    while event.registrations.filter(code_hash=code_hash(event.pk, code)).exists():  # pragma: no cover
        code = new_code()
    reg = Registration.objects.create(
        event=event,
        name=name,
        phone=phone,
        organisation=organisation,
        code_hash=code_hash(event.pk, code),
        status=status,
        created_at=now,
    )
    # the audit entry says what happened, not who: the personal data stays in the registration row
    audit.record(
        "consultation.event_register",
        reg,
        actor=actor,
        after={"event": event.pk, "status": status},
        department=event.department,
    )
    return reg, code


def find_registration(event, code: str) -> Registration | None:
    code = normalise_code(code)
    if not code:
        return None
    return event.registrations.filter(code_hash=code_hash(event.pk, code)).first()


@transaction.atomic
def cancel_registration(event, *, code: str, actor=None) -> Registration:
    """The registrant cancels with their confirmation code (staff cancel through `cancel_by_staff`). A freed seat
    goes to the first waiting registration at once."""
    event = _locked(event)
    reg = find_registration(event, code)
    if reg is None:
        raise ValidationError(_("确认码不正确"))
    return _cancel(event, reg, actor=actor, note="")


@transaction.atomic
def cancel_by_staff(registration, *, actor, reason: str) -> Registration:
    event = registration.event
    _check_manage(actor, event)
    reason = _clean(reason, 300, _("取消理由"))
    event = _locked(event)
    return _cancel(event, Registration.objects.get(pk=registration.pk), actor=actor, note=reason)


def _cancel(event, reg, *, actor, note) -> Registration:
    if reg.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("该报名已取消"))
    if event.has_started():
        raise ValidationError(_("活动已开始，不能再取消报名"))
    before = reg.status
    reg.status = RegistrationStatus.CANCELLED
    reg.cancelled_at = timezone.now()
    reg.save(update_fields=["status", "cancelled_at"])
    audit.record(
        "consultation.event_cancel",
        reg,
        actor=actor,
        before={"status": before},
        after={"status": reg.status},
        note=note,
        department=event.department,
    )
    if before == RegistrationStatus.CONFIRMED:
        _promote(event, actor=actor)
    return reg


@transaction.atomic
def mark_attendance(registration, *, actor, attended: bool = True) -> Registration:
    """Check-in at the event (from its day on): only confirmed registrations."""
    event = Event.objects.get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    _check_manage(actor, event)
    if timezone.localtime(event.starts_at).date() > timezone.localdate():
        raise ValidationError(_("活动当天起才能签到"))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("只有报名成功的人员可以签到"))
    if registration.attended == bool(attended):
        return registration
    registration.attended = bool(attended)
    registration.save(update_fields=["attended"])
    audit.record(
        "consultation.event_attendance",
        registration,
        actor=actor,
        before={"attended": not attended},
        after={"attended": bool(attended)},
        department=event.department,
    )
    return registration


def check_in_by_code(event, *, actor, code: str) -> Registration:
    _check_manage(actor, event)
    reg = find_registration(event, code)
    if reg is None:
        raise ValidationError(_("确认码不正确"))
    return mark_attendance(reg, actor=actor, attended=True)


# --- questions ----------------------------------------------------------------------------------------------------


@transaction.atomic
def ask_question(
    event, *, text: str, name: str = "", show_name: bool = False, actor=None, received_at=None
) -> EventQuestion:
    """A member of the public asks before the event. Scanned for personal data and the sensitive-word list; waits
    for moderation. `received_at` is for imports (the views never pass it)."""
    from gongkai.core.notify import notify
    from gongkai.secrecy.public_text import scan_public_text

    from .actions import sensitive_hits

    now = received_at or timezone.now()
    event = Event.objects.get(pk=event.pk)
    if not event.registration_open(now):
        raise ValidationError(_("活动开始后不再接收提问"))
    text = _clean(text, QUESTION_MAX_CHARS, _("问题"))
    name = _clean(name, 50, _("姓名"), required=False)
    scan = scan_public_text({"问题": text, "署名": name if show_name else ""})
    hits = sensitive_hits(text + "\n" + (name if show_name else ""))
    question = EventQuestion.objects.create(
        event=event,
        text=text,
        name=name,
        show_name=bool(show_name and name),
        scan_level=scan.level,
        sensitive_words="、".join(hits)[:300],
        created_at=now,
    )
    audit.record(
        "consultation.event_question",
        question,
        actor=actor,
        after={"event": event.pk, "scan_level": scan.level, "sensitive": bool(hits)},
        department=event.department,
    )
    notify(
        subject=_("收到活动提问：%(title)s") % {"title": event.title[:80]},
        body=_("请审核后公开，并在活动中或活动后答复。"),
        department=event.department,
        link=f"/admin/consultation/events/{event.pk}/",
    )
    return question


def question_scan(question):
    from gongkai.secrecy.public_text import scan_public_text

    return scan_public_text({"问题": question.text, "署名": question.name if question.show_name else ""})


QUESTION_FIELDS = ["status", "moderation_note", "answer"]


@transaction.atomic
def publish_question(question, *, actor, confirm_personal_data: bool = False) -> EventQuestion:
    _check_manage(actor, question.event)
    if question.status == EventQuestionStatus.PUBLISHED:
        return question
    scan = question_scan(question)
    problem = scan.publication_problem(confirmed=confirm_personal_data)
    if problem:
        raise ValidationError(problem)
    before = audit.snapshot(question, QUESTION_FIELDS)
    question.status = EventQuestionStatus.PUBLISHED
    question.moderated_at = timezone.now()
    question.moderation_note = ""
    question.save()
    audit.record(
        "consultation.event_question_publish",
        question,
        actor=actor,
        before=before,
        after=audit.snapshot(question, QUESTION_FIELDS),
        note=("经办人确认公开所含个人信息：" + scan.summary(("medium",))) if scan.needs_confirmation else "",
    )
    return question


@transaction.atomic
def hide_question(question, *, actor, reason: str) -> EventQuestion:
    _check_manage(actor, question.event)
    reason = _clean(reason, 300, _("不予公开的理由"))
    before = audit.snapshot(question, QUESTION_FIELDS)
    question.status = EventQuestionStatus.HIDDEN
    question.moderated_at = timezone.now()
    question.moderation_note = reason
    question.save()
    audit.record(
        "consultation.event_question_hide",
        question,
        actor=actor,
        before=before,
        after=audit.snapshot(question, QUESTION_FIELDS),
        note=reason,
    )
    return question


@transaction.atomic
def redact_question(question, *, actor, reason: str, text: str | None = None):
    from gongkai.secrecy.actions import redact_public_text

    return redact_public_text(
        question,
        actor=actor,
        field="text",
        reason=reason,
        text=text,
        can_edit=lambda user, obj: can_manage(user, obj.event),
    )


@transaction.atomic
def answer_question(question, *, actor, answer: str) -> EventQuestion:
    """The department's answer, given at or after the event (published with the question)."""
    from gongkai.secrecy.public_text import scan_public_text

    _check_manage(actor, question.event)
    question.event = Event.objects.get(pk=question.event_id)
    if question.status != EventQuestionStatus.PUBLISHED:
        raise ValidationError(_("请先审核公开该问题，再作答复"))
    if not question.event.has_started():
        raise ValidationError(_("问题在活动中或活动结束后答复"))
    answer = _clean(answer, ANSWER_MAX_CHARS, _("答复"))
    problem = scan_public_text({"答复": answer}).publication_problem(confirmed=True)
    if problem:
        raise ValidationError(problem)
    before = audit.snapshot(question, QUESTION_FIELDS)
    question.answer = answer
    question.answered_at = timezone.now()
    question.answered_by = _user(actor)
    question.save()
    audit.record(
        "consultation.event_answer",
        question,
        actor=actor,
        before=before,
        after=audit.snapshot(question, QUESTION_FIELDS),
    )
    return question


# --- the closing report -------------------------------------------------------------------------------------------


def _check_report_editable(event):
    if not event.is_public:
        raise ValidationError(_("活动尚未发布"))
    if not event.has_ended():
        raise ValidationError(_("活动结束后才能撰写总结"))
    if event.report_status == EventReportStatus.PUBLISHED:
        raise ValidationError(_("活动总结已公开，不能再修改"))


@transaction.atomic
def save_report(event, *, actor, summary: str, attendance: int | None = None) -> Event:
    """The closing report's text and attendance (default: the number checked in)."""
    _check_manage(actor, event)
    event = _locked(event)
    _check_report_editable(event)
    summary = _clean(summary, SUMMARY_MAX_CHARS, _("活动总结"))
    checked_in = event.registrations.filter(attended=True).count()
    if attendance is None or attendance == "":
        attendance = checked_in
    try:
        attendance = int(attendance)
    except (TypeError, ValueError):
        raise ValidationError(_("实到人数须为整数"))
    if not (0 <= attendance <= MAX_CAPACITY):
        raise ValidationError(_("实到人数不正确"))
    before = audit.snapshot(event, ["report_summary", "report_attendance", "report_status"])
    event.report_summary = summary
    event.report_attendance = attendance
    event.report_status = EventReportStatus.DRAFT
    event.save()
    audit.record(
        "consultation.event_report_save",
        event,
        actor=actor,
        before=before,
        after=audit.snapshot(event, ["report_summary", "report_attendance", "report_status"]),
    )
    return event


@transaction.atomic
def add_photo(event, *, actor, upload, caption: str) -> EventPhoto:
    """A photo for the report, through the one upload validator; private until the report is published."""
    from gongkai.core.uploads import validate_upload

    _check_manage(actor, event)
    _check_report_editable(event)
    if event.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("每次活动最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS})
    caption = _clean(caption, 200, _("照片说明"))
    checked = validate_upload(upload, "consultation.event_photo")
    photo = EventPhoto(event=event, caption=caption)
    photo.image.save(checked.safe_name, upload, save=False)
    photo.save()
    audit.record(
        "consultation.event_photo_add",
        photo,
        actor=actor,
        after={"event": event.pk, "caption": caption},
        department=event.department,
    )
    return photo


@transaction.atomic
def remove_photo(photo, *, actor) -> None:
    event = photo.event
    _check_manage(actor, event)
    _check_report_editable(event)
    audit.record(
        "consultation.event_photo_remove",
        event,
        actor=actor,
        before={"photo": photo.pk, "caption": photo.caption},
    )
    name = photo.image.name
    photo.delete()
    storage = EventPhoto._meta.get_field("image").storage
    transaction.on_commit(lambda: storage.delete(name))


def sync_event_files(event) -> dict:
    """Public copies of the report's photos exactly while the report is public."""
    from gongkai.core.storage import sync_public_files

    event = Event.objects.get(pk=event.pk)
    files = [(p.image, f"{p.caption}") for p in event.photos.all()]
    return sync_public_files(event, files, public=event.report_is_public)


def sync_all_event_files() -> dict:
    totals = {"added": 0, "removed": 0}
    for event in Event.objects.all().iterator():
        for key, value in sync_event_files(event).items():
            totals[key] += value
    return totals


def report_blockers(event) -> list[str]:
    """What keeps the report from being published (shown on the screen)."""
    problems = []
    if not event.has_ended():
        problems.append(_("活动尚未结束"))
    if not event.report_summary:
        problems.append(_("请先填写活动总结"))
    pending = event.questions.filter(status=EventQuestionStatus.PENDING).count()
    if pending:
        problems.append(_("还有 %(n)d 个提问未审核") % {"n": pending})
    return problems


@transaction.atomic
def publish_report(event, *, actor) -> Event:
    """Publishes the closing report: its text, attendance, the answered questions and the photos (public copies
    made now, not before)."""
    _check_manage(actor, event)
    event = _locked(event)
    _check_report_editable(event)
    problems = report_blockers(event)
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(event, ["report_status"])
    event.report_status = EventReportStatus.PUBLISHED
    event.report_published_at = timezone.now()
    event.save()
    result = sync_event_files(event)
    audit.record(
        "consultation.event_report_publish",
        event,
        actor=actor,
        before=before,
        after={"report_status": event.report_status, "photos": result.get("added", 0)},
    )
    return event


# --- the staff's private files ------------------------------------------------------------------------------------


def register_file_rules():
    from gongkai.core.storage import register_private_file_rule, register_public_sync

    register_private_file_rule(
        EventPhoto,
        "image",
        lambda user, photo: can_manage(user, photo.event),
        download_name=lambda photo: photo.caption,
        prefix="consultation/events/",
    )
    register_public_sync(sync_all_event_files)


# --- the staff export -----------------------------------------------------------------------------------------------


def registrations_xlsx(event) -> bytes:
    """The registration list as .xlsx (personal data: staff of the organising department only)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    def cell(value):
        text = str(value or "")
        return "'" + text if text[:1] in ("=", "+", "-", "@") else text

    wb = Workbook()
    ws = wb.active
    ws.title = "报名名单"
    ws.append([event.title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["活动时间", timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")])
    ws.append(["名额", event.capacity, "报名成功", event.confirmed_count(), "候补", event.waiting_count()])
    ws.append([])
    ws.append(["序号", "姓名", "联系电话", "单位", "报名状态", "签到", "报名时间", "递补时间", "取消时间"])
    for c in ws[5]:
        c.font = Font(bold=True)

    def when(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    for i, r in enumerate(event.registrations.order_by("created_at", "id"), start=1):
        ws.append(
            [
                i,
                cell(r.name),
                cell(r.phone),
                cell(r.organisation),
                str(r.get_status_display()),
                "是" if r.attended else "",
                when(r.created_at),
                when(r.promoted_at),
                when(r.cancelled_at),
            ]
        )
    for column, width in (("B", 14), ("C", 16), ("D", 30), ("G", 18)):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
