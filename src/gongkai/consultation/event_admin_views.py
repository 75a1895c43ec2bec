"""Staff screens of events in the Wagtail admin (菜单“公众参与 → 活动”): list, create/edit/publish, the
registrations (personal data: the organising department and district-wide roles only) with attendance and the
.xlsx export, the questions (moderate, answer) and the closing report with its photos. Every list and object comes
through `for_user(user, "change")`; every change through an action of `events.py`. Works without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.audit import entries_for
from gongkai.core.models import Department
from gongkai.core.roles import is_district_wide
from gongkai.core.scoping import CHANGE

from . import events as actions
from .admin_views import _errors, staff_permission
from .event_forms import AnswerForm, CheckInForm, EventForm, EventReportForm, PhotoForm, StaffCancelForm
from .event_models import (
    Event,
    EventQuestion,
    EventQuestionStatus,
    Registration,
    RegistrationStatus,
)
from .forms import ReasonForm

EVENT_PERM = "consultation.view_event"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACTION_LABELS = {
    "consultation.event_create": _("新建活动"),
    "consultation.event_update": _("修改活动"),
    "consultation.event_publish": _("发布活动"),
    "consultation.event_register": _("收到报名"),
    "consultation.event_cancel": _("取消报名"),
    "consultation.event_promote": _("候补递补"),
    "consultation.event_attendance": _("签到"),
    "consultation.event_question": _("收到提问"),
    "consultation.event_question_publish": _("审核公开"),
    "consultation.event_question_hide": _("不予公开"),
    "consultation.event_answer": _("答复"),
    "consultation.event_report_save": _("保存活动总结"),
    "consultation.event_photo_add": _("上传照片"),
    "consultation.event_photo_remove": _("删除照片"),
    "consultation.event_report_publish": _("公开活动总结"),
    "secrecy.redact_public_text": _("脱敏"),
}


def _history(obj, limit=30):
    rows = []
    for e in entries_for(obj)[:limit]:
        e.label = ACTION_LABELS.get(e.action, e.action)
        rows.append(e)
    return rows


def _ctx(title, **extra):
    return {"page_title": title, **extra}


# Registrations, pending questions and report drafts are the department's business: the staff screens use the
# "change" scope (another department reads a published event on the portal like everyone else).
def _events(request):
    return Event.objects.for_user(request.user, CHANGE).select_related("department")


def _departments(user):
    if is_district_wide(user):
        return Department.objects.all().order_by("id")
    return Department.objects.filter(pk=getattr(user, "department_id", None))


@staff_permission(EVENT_PERM)
def index(request):
    items = _events(request).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
        waiting=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING), distinct=True
        ),
    )[:200]
    pending = dict(
        EventQuestion.objects.filter(event__in=[e.pk for e in items], status=EventQuestionStatus.PENDING)
        .values_list("event")
        .annotate(n=Count("id"))
    )
    for e in items:
        e.pending = pending.get(e.pk, 0)
    return render(request, "consultation/admin/events/index.html", _ctx(_("活动"), items=items))


EVENT_FORM_FIELDS = (
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
)


def _event_kwargs(data) -> dict:
    return {k: data[k] for k in EVENT_FORM_FIELDS}


@staff_permission(EVENT_PERM)
@require_http_methods(["GET", "POST"])
def create(request):
    form = EventForm(request.POST or None, departments=_departments(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.create_event(
                actor=request.user,
                department=form.cleaned_data["department"],
                **_event_kwargs(form.cleaned_data),
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存活动，核对后请发布"))
            return redirect("consultation_admin:event", pk=event.pk)
    return render(request, "consultation/admin/events/edit.html", _ctx(_("新建活动"), form=form, e=None))


@staff_permission(EVENT_PERM)
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    event = get_object_or_404(_events(request), pk=pk)
    initial = {k: getattr(event, k) for k in EVENT_FORM_FIELDS}
    initial["starts_at"] = timezone.localtime(event.starts_at)
    initial["ends_at"] = timezone.localtime(event.ends_at)
    initial["department"] = event.department
    form = EventForm(
        request.POST or None, departments=Department.objects.filter(pk=event.department_id), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_event(event, actor=request.user, **_event_kwargs(form.cleaned_data))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("consultation_admin:event", pk=event.pk)
    return render(request, "consultation/admin/events/edit.html", _ctx(_("修改活动"), form=form, e=event))


@staff_permission(EVENT_PERM)
@require_http_methods(["GET", "POST"])
def event(request, pk):
    item = get_object_or_404(_events(request), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    report_form = EventReportForm(
        request.POST if action == "report" else None,
        initial={"summary": item.report_summary, "attendance": item.report_attendance},
        prefix="r",
    )
    photo_form = PhotoForm(request.POST if action == "photo" else None, request.FILES or None, prefix="p")
    if action:
        try:
            if action == "publish":
                actions.publish_event(item, actor=request.user)
                messages.success(request, _("活动已发布，公众可以报名和提问"))
            elif action == "report":
                if not report_form.is_valid():
                    raise ValidationError(_("请检查活动总结的填写"))
                actions.save_report(
                    item,
                    actor=request.user,
                    summary=report_form.cleaned_data["summary"],
                    attendance=report_form.cleaned_data["attendance"],
                )
                messages.success(request, _("已保存活动总结"))
            elif action == "photo":
                if not photo_form.is_valid():
                    raise ValidationError([e for errors in photo_form.errors.values() for e in errors])
                actions.add_photo(
                    item,
                    actor=request.user,
                    upload=photo_form.cleaned_data["image"],
                    caption=photo_form.cleaned_data["caption"],
                )
                messages.success(request, _("已上传照片（活动总结公开后对外显示）"))
            elif action == "remove_photo":
                photo = get_object_or_404(item.photos.all(), pk=request.POST.get("photo") or 0)
                actions.remove_photo(photo, actor=request.user)
                messages.success(request, _("已删除照片"))
            elif action == "publish_report":
                actions.publish_report(item, actor=request.user)
                messages.success(request, _("活动总结已公开"))
            else:
                raise ValidationError(_("未知操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("consultation_admin:event", pk=item.pk)
        item.refresh_from_db()
    questions = list(item.questions.order_by("status", "created_at", "id"))
    return render(
        request,
        "consultation/admin/events/event.html",
        _ctx(
            item.title,
            e=item,
            confirmed=item.confirmed_count(),
            waiting=item.waiting_count(),
            attended=item.registrations.filter(attended=True).count(),
            questions=questions,
            photos=list(item.photos.all()),
            report_form=report_form,
            photo_form=photo_form,
            blockers=actions.report_blockers(item),
            history=_history(item),
            now=timezone.now(),
        ),
    )


@staff_permission(EVENT_PERM)
@require_http_methods(["GET", "POST"])
def registrations(request, pk):
    item = get_object_or_404(_events(request), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    checkin_form = CheckInForm(request.POST if action == "checkin" else None, prefix="c")
    cancel_form = StaffCancelForm(request.POST if action == "cancel" else None, prefix="x")
    if action:
        try:
            if action == "checkin":
                if not checkin_form.is_valid():
                    raise ValidationError(_("请填写确认码"))
                reg = actions.check_in_by_code(
                    item, actor=request.user, code=checkin_form.cleaned_data["code"]
                )
                messages.success(request, _("%(name)s 已签到") % {"name": reg.name})
            elif action in ("attend", "absent", "cancel"):
                reg = get_object_or_404(
                    Registration.objects.for_user(request.user, CHANGE).filter(event=item),
                    pk=request.POST.get("registration") or 0,
                )
                if action == "cancel":
                    if not cancel_form.is_valid():
                        raise ValidationError(_("请填写取消理由"))
                    actions.cancel_by_staff(
                        reg, actor=request.user, reason=cancel_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("已取消该报名"))
                else:
                    actions.mark_attendance(reg, actor=request.user, attended=action == "attend")
                    messages.success(request, _("已签到") if action == "attend" else _("已撤销签到"))
            else:
                raise ValidationError(_("未知操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("consultation_admin:event_registrations", pk=item.pk)
    rows = list(
        Registration.objects.for_user(request.user, CHANGE).filter(event=item).order_by("created_at", "id")
    )
    return render(
        request,
        "consultation/admin/events/registrations.html",
        _ctx(
            _("报名名单：%(title)s") % {"title": item.title},
            e=item,
            rows=rows,
            confirmed=sum(1 for r in rows if r.status == RegistrationStatus.CONFIRMED),
            waiting=sum(1 for r in rows if r.status == RegistrationStatus.WAITING),
            attended=sum(1 for r in rows if r.attended),
            checkin_form=checkin_form,
            cancel_form=cancel_form,
            checkin_open=timezone.localtime(item.starts_at).date() <= timezone.localdate(),
        ),
    )


@staff_permission(EVENT_PERM)
def registrations_export(request, pk):
    item = get_object_or_404(_events(request), pk=pk)
    response = HttpResponse(actions.registrations_xlsx(item), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="event-{item.pk}-registrations.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_permission(EVENT_PERM)
@require_http_methods(["GET", "POST"])
def question(request, pk):
    item = get_object_or_404(
        EventQuestion.objects.for_user(request.user, CHANGE).select_related("event__department"), pk=pk
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    reason_form = ReasonForm(request.POST if action in ("hide", "redact") else None, prefix="r")
    answer_form = AnswerForm(
        request.POST if action == "answer" else None, prefix="a", initial={"answer": item.answer}
    )
    if action:
        try:
            if action == "publish":
                actions.publish_question(
                    item, actor=request.user, confirm_personal_data=bool(request.POST.get("confirm"))
                )
                messages.success(request, _("已公开，该问题显示在活动页面上"))
            elif action in ("hide", "redact"):
                if not reason_form.is_valid():
                    raise ValidationError(_("请填写理由"))
                if action == "hide":
                    actions.hide_question(item, actor=request.user, reason=reason_form.cleaned_data["reason"])
                    messages.success(request, _("已作不予公开处理"))
                else:
                    done = actions.redact_question(
                        item, actor=request.user, reason=reason_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("已脱敏") if done else _("没有可脱敏的内容"))
            elif action == "answer":
                if not answer_form.is_valid():
                    raise ValidationError(_("请填写答复"))
                actions.answer_question(item, actor=request.user, answer=answer_form.cleaned_data["answer"])
                messages.success(request, _("已保存答复"))
                return redirect("consultation_admin:event", pk=item.event_id)
            else:
                raise ValidationError(_("未知操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("consultation_admin:event_question", pk=item.pk)
        item.refresh_from_db()
    scan = actions.question_scan(item)
    return render(
        request,
        "consultation/admin/events/question.html",
        _ctx(
            _("活动提问 #%(n)d") % {"n": item.pk},
            item=item,
            scan_rows=scan.rows(),
            needs_confirmation=scan.needs_confirmation,
            blocks=scan.blocks,
            reason_form=reason_form,
            answer_form=answer_form,
            history=_history(item, 20),
            started=item.event.has_started(),
        ),
    )
