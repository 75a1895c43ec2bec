"""Staff screens in the Wagtail admin (菜单“公众参与”): consultations (create, publish, extend), moderation of
comments, dispositions and groups, the 意见采纳情况 report (generate, approve, publish), and surveys (questions,
open/close, charts, .xlsx). Every list and object comes through `for_user(user)`; every change through an
action. Works without JavaScript."""

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
from gongkai.core.scoping import CHANGE
from gongkai.policies.models import Policy

from . import actions, drafts, rules
from .forms import (
    ConsultationEditForm,
    ConsultationForm,
    DispositionForm,
    ExtendForm,
    GroupForm,
    QuestionForm,
    ReasonForm,
    ReportForm,
    SurveyForm,
)
from .models import (
    Comment,
    CommentGroup,
    CommentStatus,
    Consultation,
    ConsultationStatus,
    FeedbackReport,
    ReportStatus,
    Survey,
    SurveyQuestion,
    SurveyStatus,
)
from .results import export_xlsx, results_with_charts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(request, exc):
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or _("没有权限"))


ACTION_LABELS = {
    "consultation.create": _("新建"),
    "consultation.update": _("修改"),
    "consultation.publish": _("发布征求意见"),
    "consultation.extend": _("延长期限"),
    "consultation.draft_file": _("上传征求意见稿原件"),
    "consultation.draft_file_remove": _("删除征求意见稿原件"),
    "consultation.explanation_file": _("上传起草说明原件"),
    "consultation.explanation_file_remove": _("删除起草说明原件"),
    "consultation.comment": _("收到意见"),
    "consultation.comment_publish": _("审核公开"),
    "consultation.comment_hide": _("不予公开"),
    "consultation.comment_dispose": _("作出采纳处理"),
    "consultation.ungroup": _("移出同类意见"),
    "secrecy.redact_public_text": _("脱敏"),
}


def _history(obj, limit=30):
    rows = []
    for e in entries_for(obj)[:limit]:
        e.label = ACTION_LABELS.get(e.action, e.action)
        rows.append(e)
    return rows


def staff_permission(perm):
    """The role's model permission for a screen (`core.roles`: drafters, 公开专员, the openness office and
    administrators have it); the records come from the scoping rule."""

    def decorate(view):
        import functools

        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


CONSULTATION_PERM = "consultation.view_consultation"
SURVEY_PERM = "consultation.view_survey"


def _ctx(title, **extra):
    return {"page_title": title, **extra}


# Staff screens show comments waiting for moderation, names and contacts, report drafts and free-text survey
# answers: only the owning department (and district-wide roles) open them — another department reads a published
# consultation on the portal like everyone else.
def _consultations(request, action=CHANGE):
    return Consultation.objects.for_user(request.user, action).select_related("department", "policy")


def _own_policies(user):
    return (
        Policy.objects.for_user(user, CHANGE)
        .filter(drafting_department__isnull=False)
        .select_related("drafting_department")
        .order_by("-id")
    )


# --- consultations --------------------------------------------------------------------------------------------


@staff_permission(CONSULTATION_PERM)
def index(request):
    today = timezone.localdate()
    items = _consultations(request).annotate(
        pending=Count("comments", filter=Q(comments__status=CommentStatus.PENDING)),
        overdue=Count(
            "comments", filter=Q(comments__status=CommentStatus.PENDING, comments__moderation_due__lt=today)
        ),
        total=Count("comments"),
    )[:200]
    return render(request, "consultation/admin/index.html", _ctx(_("意见征集"), items=items, today=today))


@staff_permission(CONSULTATION_PERM)
@require_http_methods(["GET", "POST"])
def create(request):
    today = timezone.localdate()
    form = ConsultationForm(
        request.POST or None,
        request.FILES or None,
        policies=_own_policies(request.user),
        initial={"start_date": today, "end_date": rules.default_end(today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = drafts.create_consultation_from_files(
                actor=request.user,
                draft_original=data["draft_file"],
                explanation_original=data["explanation_file"],
                policy=data["policy"],
                title=data["title"],
                explanation=data["explanation"],
                draft_text=data["draft_text"] or None,
                start_date=data["start_date"],
                end_date=data["end_date"],
                short_period_reason=data["short_period_reason"],
                contact=data["contact"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存征求意见稿，请核对下方的条款预览后发布"))
            return redirect("consultation_admin:consultation", pk=consultation.pk)
    return render(
        request,
        "consultation/admin/create.html",
        _ctx(
            _("新建意见征集"),
            form=form,
            min_days=rules.MIN_COMMENT_PERIOD_DAYS,
            files_lost=bool(request.FILES) and form.is_bound and bool(form.errors),
        ),
    )


@staff_permission(CONSULTATION_PERM)
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The draft's text, period, 起草说明 and originals, while the consultation is not published."""
    c = get_object_or_404(_consultations(request), pk=pk)
    if not actions.can_manage(request.user, c):
        raise PermissionDenied
    if c.status != ConsultationStatus.DRAFT:
        messages.error(request, _("已发布的意见征集不能修改；如需延长期限，请使用“延长期限”"))
        return redirect("consultation_admin:consultation", pk=c.pk)
    fields = [
        "title",
        "explanation",
        "draft_text",
        "start_date",
        "end_date",
        "short_period_reason",
        "contact",
    ]
    form = ConsultationEditForm(
        request.POST or None,
        request.FILES or None,
        consultation=c,
        initial={name: getattr(c, name) for name in fields},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in fields}
        changes["title"] = changes["title"] or c.title
        try:
            drafts.update_consultation_with_files(
                c,
                actor=request.user,
                draft_original=data["draft_file"],
                explanation_original=data["explanation_file"],
                remove_draft=data.get("remove_draft_file", False),
                remove_explanation=data.get("remove_explanation_file", False),
                **changes,
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存，请核对下方的条款预览后发布"))
            return redirect("consultation_admin:consultation", pk=c.pk)
    return render(
        request,
        "consultation/admin/create.html",
        _ctx(
            _("修改意见征集"),
            form=form,
            c=c,
            min_days=rules.MIN_COMMENT_PERIOD_DAYS,
            files_lost=bool(request.FILES) and form.is_bound and bool(form.errors),
        ),
    )


@staff_permission(CONSULTATION_PERM)
@require_http_methods(["GET", "POST"])
def consultation(request, pk):
    c = get_object_or_404(_consultations(request), pk=pk)
    can_change = actions.can_manage(request.user, c)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    extend_form = ExtendForm(request.POST if action == "extend" else None, prefix="x")
    published_comments = c.comments.filter(status=CommentStatus.PUBLISHED, group__isnull=True)
    group_form = GroupForm(
        request.POST if action == "group" else None, comments=published_comments, prefix="g"
    )
    if action:
        if not can_change:
            raise PermissionDenied
        try:
            if action == "publish":
                actions.publish_consultation(c, actor=request.user)
                messages.success(request, _("已发布，公众可以提交意见"))
            elif action == "extend":
                if not extend_form.is_valid():
                    raise ValidationError(_("请检查延长期限的填写"))
                actions.extend_consultation(
                    c,
                    actor=request.user,
                    until=extend_form.cleaned_data["until"],
                    reason=extend_form.cleaned_data["reason"],
                )
                messages.success(request, _("已延长征求意见期限"))
            elif action == "group":
                if not group_form.is_valid():
                    raise ValidationError(_("请填写意见要点并选择要归并的意见"))
                actions.group_comments(
                    c,
                    group_form.cleaned_data["comments"],
                    actor=request.user,
                    point=group_form.cleaned_data["point"],
                )
                messages.success(request, _("已归并为同类意见，请统一答复"))
            else:
                raise ValidationError(_("未知操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("consultation_admin:consultation", pk=c.pk)
    comments = list(c.comments.select_related("group").order_by("status", "moderation_due", "id"))
    report = FeedbackReport.objects.filter(consultation=c).first()
    return render(
        request,
        "consultation/admin/consultation.html",
        _ctx(
            c.title,
            c=c,
            can_change=can_change,
            comments=comments,
            groups=c.groups.annotate(n=Count("comments")),
            extend_form=extend_form,
            group_form=group_form,
            report=report,
            blockers=actions.report_blockers(c),
            preview=drafts.draft_preview(c),
            counts=actions.disposition_counts(c),
            history=_history(c),
            today=timezone.localdate(),
        ),
    )


def _comments(request, action=CHANGE):
    return Comment.objects.for_user(request.user, action).select_related("consultation__department", "group")


@staff_permission(CONSULTATION_PERM)
@require_http_methods(["GET", "POST"])
def comment(request, pk):
    item = get_object_or_404(_comments(request), pk=pk)
    can_change = actions.can_manage(request.user, item.consultation)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    reason_form = ReasonForm(request.POST if action in ("hide", "redact") else None, prefix="r")
    dispose_form = DispositionForm(
        request.POST if action == "dispose" else None,
        prefix="d",
        initial={"disposition": item.disposition or None, "reason": item.disposition_reason},
    )
    if action:
        if not can_change:
            raise PermissionDenied
        try:
            if action == "publish":
                actions.publish_comment(
                    item, actor=request.user, confirm_personal_data=bool(request.POST.get("confirm"))
                )
                messages.success(request, _("已公开，该意见显示在草案相应条款下"))
            elif action in ("hide", "redact"):
                if not reason_form.is_valid():
                    raise ValidationError(_("请填写理由"))
                if action == "hide":
                    actions.hide_comment(item, actor=request.user, reason=reason_form.cleaned_data["reason"])
                    messages.success(request, _("已作不予公开处理"))
                else:
                    done = actions.redact_comment(
                        item, actor=request.user, reason=reason_form.cleaned_data["reason"]
                    )
                    messages.success(request, _("已脱敏") if done else _("没有可脱敏的内容"))
            elif action == "dispose":
                if not dispose_form.is_valid():
                    raise ValidationError(_("请选择采纳情况"))
                actions.dispose_comment(
                    item,
                    actor=request.user,
                    disposition=dispose_form.cleaned_data["disposition"],
                    reason=dispose_form.cleaned_data["reason"],
                )
                messages.success(request, _("已保存采纳情况"))
            elif action == "ungroup":
                actions.ungroup_comment(item, actor=request.user)
                messages.success(request, _("已移出同类意见"))
            else:
                raise ValidationError(_("未知操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            if action == "dispose":
                return redirect("consultation_admin:consultation", pk=item.consultation_id)
            return redirect("consultation_admin:comment", pk=item.pk)
    scan = actions.comment_scan(item)
    return render(
        request,
        "consultation/admin/comment.html",
        _ctx(
            _("公众意见 #%(n)d") % {"n": item.pk},
            item=item,
            can_change=can_change,
            scan_rows=scan.rows(),
            needs_confirmation=scan.needs_confirmation,
            blocks=scan.blocks,
            reason_form=reason_form,
            dispose_form=dispose_form,
            history=_history(item, 20),
        ),
    )


@staff_permission(CONSULTATION_PERM)
@require_http_methods(["GET", "POST"])
def group(request, pk):
    item = get_object_or_404(
        CommentGroup.objects.for_user(request.user, CHANGE).select_related("consultation"), pk=pk
    )
    can_change = actions.can_manage(request.user, item.consultation)
    form = DispositionForm(
        request.POST or None,
        prefix="d",
        initial={"disposition": item.disposition or None, "reason": item.reason},
    )
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        try:
            if not form.is_valid():
                raise ValidationError(_("请选择采纳情况"))
            actions.dispose_group(
                item,
                actor=request.user,
                disposition=form.cleaned_data["disposition"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已统一答复该组意见"))
            return redirect("consultation_admin:consultation", pk=item.consultation_id)
    return render(
        request,
        "consultation/admin/group.html",
        _ctx(_("同类意见"), item=item, form=form, can_change=can_change, comments=item.comments.all()),
    )


@staff_permission(CONSULTATION_PERM)
@require_http_methods(["GET", "POST"])
def report(request, pk):
    c = get_object_or_404(_consultations(request), pk=pk)
    can_change = actions.can_manage(request.user, c)
    rep = FeedbackReport.objects.filter(consultation=c).first()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ReportForm(
        request.POST if action == "generate" else None, initial={"summary": rep.summary if rep else ""}
    )
    if action:
        if not can_change:
            raise PermissionDenied
        try:
            if action == "generate":
                form.is_valid()
                rep = actions.generate_report(
                    c, actor=request.user, summary=form.cleaned_data.get("summary", "")
                )
                messages.success(request, _("已生成意见采纳情况，请核对后审定"))
            elif action == "approve" and rep:
                actions.approve_report(rep, actor=request.user)
                messages.success(request, _("已审定"))
            elif action == "publish" and rep:
                actions.publish_report(rep, actor=request.user)
                messages.success(request, _("意见采纳情况已随定稿政策公开"))
            else:
                raise ValidationError(_("未知操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("consultation_admin:report", pk=c.pk)
    from gongkai.policies.actions import is_visible_to_public

    return render(
        request,
        "consultation/admin/report.html",
        _ctx(
            _("意见采纳情况"),
            c=c,
            report=rep,
            form=form,
            can_change=can_change,
            can_approve=bool(rep) and actions.can_approve_report(request.user, rep),
            blockers=actions.report_blockers(c),
            policy_public=is_visible_to_public(c.policy),
            ReportStatus=ReportStatus,
        ),
    )


@staff_permission(CONSULTATION_PERM)
def report_docx(request, pk):
    """The 意见采纳情况 as a Word file, at any stage (a draft report too: the department circulates it before
    approval)."""
    from .report_docx import DOCX, filename, render_report_docx

    c = get_object_or_404(_consultations(request), pk=pk)
    rep = get_object_or_404(FeedbackReport.objects.filter(consultation=c))
    response = HttpResponse(render_report_docx(rep), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename(rep)}"'
    return response


# --- surveys ------------------------------------------------------------------------------------------------


def _surveys(request, action=CHANGE):
    return Survey.objects.for_user(request.user, action).select_related(
        "department", "policy", "consultation"
    )


@staff_permission(SURVEY_PERM)
@require_http_methods(["GET", "POST"])
def surveys(request):
    user = request.user
    form = SurveyForm(
        request.POST or None,
        policies=_own_policies(user),
        consultations=Consultation.objects.for_user(user, CHANGE),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        department = getattr(user, "department", None)
        for linked in (data["consultation"], data["policy"]):
            if linked is not None:
                department = getattr(linked, "department", None) or linked.drafting_department
                break
        try:
            if department is None:
                raise ValidationError(_("您的账号没有所属部门，不能新建问卷"))
            item = actions.create_survey(actor=user, department=department, **data)
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已新建问卷，请添加题目"))
            return redirect("consultation_admin:survey", pk=item.pk)
    items = _surveys(request).annotate(n=Count("responses"))[:200]
    return render(request, "consultation/admin/surveys.html", _ctx(_("需求征集问卷"), items=items, form=form))


@staff_permission(SURVEY_PERM)
@require_http_methods(["GET", "POST"])
def survey(request, pk):
    item = get_object_or_404(_surveys(request), pk=pk)
    can_change = actions.can_manage_survey(request.user, item)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    qform = QuestionForm(request.POST if action == "add_question" else None, prefix="q")
    if action:
        if not can_change:
            raise PermissionDenied
        try:
            if action == "add_question":
                if not qform.is_valid():
                    raise ValidationError(_("请检查题目的填写"))
                actions.add_question(item, actor=request.user, **qform.cleaned_data)
                messages.success(request, _("已添加题目"))
            elif action == "delete_question":
                question = get_object_or_404(
                    SurveyQuestion, survey=item, pk=request.POST.get("question") or 0
                )
                actions.delete_question(question, actor=request.user)
                messages.success(request, _("已删除题目"))
            elif action == "open":
                actions.open_survey(item, actor=request.user)
                messages.success(request, _("问卷已发布"))
            elif action == "close":
                actions.close_survey(item, actor=request.user)
                messages.success(request, _("问卷已结束，结果已公开"))
            else:
                raise ValidationError(_("未知操作"))
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            return redirect("consultation_admin:survey", pk=item.pk)
    return render(
        request,
        "consultation/admin/survey.html",
        _ctx(
            item.title,
            s=item,
            can_change=can_change,
            qform=qform,
            questions=item.questions.all(),
            results=results_with_charts(item, include_texts=True)
            if item.status != SurveyStatus.DRAFT
            else [],
            responses=item.responses.count(),
            SurveyStatus=SurveyStatus,
        ),
    )


@staff_permission(SURVEY_PERM)
def survey_export(request, pk):
    item = get_object_or_404(_surveys(request), pk=pk)
    response = HttpResponse(export_xlsx(item), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="survey-{item.pk}.xlsx"'
    return response
