"""The reviewers' screens in the Wagtail admin: the work queue, one policy's review page (automatic checks,
opinions so far, the form for the user's own step), and the interpretation-lag report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import WorkflowState

from gongkai.core.roles import ADMINISTRATOR, OPENNESS_OFFICE, is_district_wide, user_has_role
from gongkai.policies.actions import can_edit_policy
from gongkai.policies.models import Policy

from . import actions
from .checks import run_automatic_checks
from .forms import CancelForm, DecisionForm, ReturnForm, SubmitForm
from .lag import lag_rows, lag_unit
from .models import DecisionResult, DistrictOfficeTask, ReviewDecision, ReviewSubmission
from .permissions import can_cancel, can_submit, can_view_review
from .rules import ReviewStep


def index(request):
    user = request.user
    waiting = []
    for task_state in actions.task_states_for(user):
        policy = (
            Policy.objects.filter(pk=task_state.workflow_state.object_id).select_related("issuer").first()
        )
        if policy is None:
            continue
        steps = task_state.task.specific.steps_user_can_act(policy, user, task_state)
        waiting.append(
            {"policy": policy, "task_state": task_state, "steps": [ReviewStep(s).label for s in steps]}
        )
    submissions = ReviewSubmission.objects.for_user(user).select_related(
        "policy", "policy__issuer", "policy__drafting_department", "workflow_state"
    )
    return render(
        request,
        "review/admin/index.html",
        {
            "page_title": _("政策前置审核"),
            "header_icon": "tasks",
            "waiting": waiting,
            "submissions": submissions[:50],
        },
    )


def _may_publish(user, policy) -> bool:
    """The department's openness officer (and district-wide roles with the permission) publish a reviewed
    policy that is not live yet or has changes waiting; the publication gate still decides."""
    return (
        user.has_perm("policies.publish_policy")
        and can_edit_policy(user, policy)
        and (not policy.live or policy.has_unpublished_changes)
    )


def _forms_for(request, policy, data=None, action=None):
    """The forms this user may use on this policy now."""
    user = request.user
    forms = {}
    state = policy.current_workflow_state
    in_progress = state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
    if can_submit(user, policy) and not in_progress:
        forms["submit"] = SubmitForm(
            data if action == "submit" else None,
            initial={"needs_legality_review": policy.get_latest_revision_as_object().needs_legality_review},
        )
    if (
        can_cancel(user, policy)
        and state is not None
        and state.status
        in (
            WorkflowState.STATUS_IN_PROGRESS,
            WorkflowState.STATUS_NEEDS_CHANGES,
        )
    ):
        forms["cancel"] = CancelForm(data if action == "cancel" else None, prefix="cancel")
    if (
        _may_publish(user, policy)
        and actions.review_status(policy)["status"] == WorkflowState.STATUS_APPROVED
    ):
        forms["publish"] = True  # no fields: a plain form, the page's path to publication without JavaScript
    if in_progress and state.current_task_state_id:
        task_state = state.current_task_state.specific
        task = task_state.task.specific
        steps = task.steps_user_can_act(policy, user, task_state)
        forms["decide"] = [
            DecisionForm(data if action == f"decide:{s}" else None, step=s, prefix=s) for s in steps
        ]
        if isinstance(task, DistrictOfficeTask) and steps:
            forms["return"] = ReturnForm(data if action == "return" else None, prefix="return")
    return forms


@require_http_methods(["GET", "POST"])
def detail(request, pk):
    policy = get_object_or_404(
        Policy.objects.for_user(request.user).select_related("issuer", "drafting_department"), pk=pk
    )
    if not can_view_review(request.user, policy):
        raise PermissionDenied
    action = request.POST.get("action", "") if request.method == "POST" else None
    forms = _forms_for(request, policy, request.POST if action else None, action)
    if action:
        try:
            done = _handle(request, policy, forms, action)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("没有权限"))
            done = False
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            done = False
        if done:
            return redirect("review_admin:detail", pk=policy.pk)
    draft = policy.get_latest_revision_as_object() if policy.latest_revision_id else policy
    submission = actions.latest_submission(policy)
    decisions = list(
        ReviewDecision.objects.filter(submission__policy=policy)
        .select_related("submission")
        .order_by("decided_at", "id")
    )
    service_opinions = [
        d
        for d in decisions
        if submission and d.submission_id == submission.pk and d.step == ReviewStep.SERVICE
    ]
    status = actions.review_status(policy)
    context = {
        "page_title": _("前置审核：%(title)s") % {"title": policy.title},
        "header_icon": "tasks",
        "policy": policy,
        "draft": draft,
        "submission": submission,
        "status": status,
        "decisions": decisions,
        "service_opinions": service_opinions,
        "live_checks": run_automatic_checks(draft),
        "interpretations": list(policy.interpretations.all()),
        "can_approve_interpretations": user_has_role(request.user, OPENNESS_OFFICE, ADMINISTRATOR),
        "can_publish_interpretations": can_edit_policy(request.user, policy) and policy.live,
        "forms": forms,
        "workflow_tasks": _task_rows(policy, submission),
        "DecisionResult": DecisionResult,
    }
    return render(request, "review/admin/detail.html", context, status=400 if action else 200)


def _task_rows(policy, submission):
    if submission is None:
        return []
    rows = []
    for task in submission.workflow_state.all_tasks_with_status():
        rows.append({"name": task.name, "status": task.status_display})
    return rows


def _handle(request, policy, forms, action) -> bool:
    user = request.user
    if action == "submit" and "submit" in forms:
        form = forms["submit"]
        if form.is_valid():
            actions.submit_for_review(
                policy, actor=user, needs_legality_review=form.cleaned_data["needs_legality_review"]
            )
            messages.success(request, _("已提交前置审核"))
            return True
        return False
    if action == "publish" and "publish" in forms:
        from gongkai.policies.actions import publish_policy
        from gongkai.policies.publication import PublicationBlocked

        try:
            publish_policy(policy, actor=user)
        except PublicationBlocked as exc:
            raise ValidationError([_("未能发布：")] + [p.message for p in exc.problems])
        messages.success(request, _("已发布，解读同步公开"))
        return True
    if action == "cancel" and "cancel" in forms:
        form = forms["cancel"]
        if form.is_valid():
            actions.cancel_review(policy, actor=user, reason=form.cleaned_data["reason"])
            messages.success(request, _("已撤销审核，已通知相关单位"))
            return True
        return False
    if action == "return" and "return" in forms:
        form = forms["return"]
        if form.is_valid():
            actions.return_incomplete(policy, actor=user, reasons=form.cleaned_data["reasons"])
            messages.success(request, _("已材料不全予以退回"))
            return True
        return False
    if action in ("approve_interpretation", "publish_interpretation"):
        from gongkai.policies import actions as policy_actions

        raw = request.POST.get("interpretation", "")
        item = policy.interpretations.filter(pk=int(raw)).first() if raw.isdigit() else None
        if item is None:
            raise ValidationError(_("解读不存在"))
        if action == "approve_interpretation":
            policy_actions.approve_interpretation(item, actor=user)
            messages.success(request, _("解读已审核"))
        else:
            policy_actions.publish_interpretation(item, actor=user)
            messages.success(request, _("解读已发布"))
        return True
    if action.startswith("decide:"):
        step = action.split(":", 1)[1]
        for form in forms.get("decide", []):
            if form.step == step:
                if not form.is_valid():
                    messages.error(request, _("请检查表单中的错误"))
                    return False
                approve = request.POST.get("decision") == "approve"
                actions.decide(policy, actor=user, step=step, approve=approve, **form.decision_kwargs())
                messages.success(request, _("审核通过") if approve else _("已退回起草部门"))
                return True
    raise PermissionDenied(_("当前不能进行此操作"))


def lag_report(request):
    if not is_district_wide(request.user):
        raise PermissionDenied
    rows = lag_rows()
    return render(
        request,
        "review/admin/lag.html",
        {"page_title": _("政策解读时差"), "header_icon": "time", "rows": rows, "unit": lag_unit()},
    )
