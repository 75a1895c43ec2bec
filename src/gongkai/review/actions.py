"""Every state change of the pre-release review (house rule 1): submitting, deciding at each step, returning,
completing, cancelling. The Wagtail task types, the admin screens, the API and the tests all call these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState

from gongkai.core import audit
from gongkai.core.notify import notify

from . import rules
from .checks import failed_problems, run_automatic_checks
from .models import DecisionResult, ReviewDecision, ReviewSubmission
from .permissions import can_act, can_cancel, can_submit
from .rules import CheckResult, ReviewStep
from .workflow import route_for


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _owner(policy):
    from gongkai.policies.actions import _owner as policy_owner

    return policy_owner(policy)


def _link(policy) -> str:
    return reverse("review_admin:detail", args=[policy.pk])


def _step_department(step):
    from gongkai.core.departments import resolve_department

    name = rules.STEP_DEPARTMENTS.get(step)
    return resolve_department(name) if name else None


def _draft(policy):
    """The text under review: the latest revision (a published policy may have a newer draft)."""
    return policy.get_latest_revision_as_object() if policy.latest_revision_id else policy


def current_submission(policy) -> ReviewSubmission | None:
    state = policy.current_workflow_state
    if state is None:
        return None
    return ReviewSubmission.objects.filter(workflow_state=state).first()


def latest_submission(policy) -> ReviewSubmission | None:
    return ReviewSubmission.objects.filter(policy=policy).select_related("workflow_state").first()


def ensure_submission(workflow_state, user=None) -> ReviewSubmission:
    """Creates the submission record for a workflow state (also when the workflow was started from the Wagtail
    editor's own 'submit' button) and runs the automatic checks."""
    existing = ReviewSubmission.objects.filter(workflow_state=workflow_state).first()
    if existing:
        return existing
    from gongkai.policies.models import Policy

    policy = Policy.objects.get(pk=workflow_state.object_id)
    draft = _draft(policy)
    submission = ReviewSubmission.objects.create(
        policy=policy,
        workflow_state=workflow_state,
        route=route_for(policy),
        submitted_by=_user(user),
        needs_legality_review=bool(draft.needs_legality_review),
        check_results=[o.as_dict() for o in run_automatic_checks(draft)],
    )
    failed = submission.failed_checks
    audit.record(
        "review.submit",
        policy,
        actor=user,
        after={"route": submission.route, "needs_legality_review": submission.needs_legality_review},
        note="；".join(f"{c['label']}：{p}" for c in failed for p in c["problems"]),
        department=_owner(policy),
    )
    return submission


@transaction.atomic
def submit_for_review(policy, *, actor, needs_legality_review: bool | None = None) -> ReviewSubmission:
    """The drafting department sends its policy (with its interpretation) into the review. A policy returned
    earlier starts the review again from the first step, so every reviewer signs the corrected text."""
    if not can_submit(actor, policy):
        raise PermissionDenied(_("只有牵头起草部门的起草人员或公开专员可以提交审核"))
    if needs_legality_review is not None and bool(needs_legality_review) != bool(
        _draft(policy).needs_legality_review
    ):
        from gongkai.policies.actions import update_policy

        update_policy(policy, actor=actor, needs_legality_review=bool(needs_legality_review))
        policy.refresh_from_db()
    state = policy.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        raise ValidationError(_("该政策已在审核中"))
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.cancel(user=_user(actor))
    workflow = policy.get_workflow()
    if workflow is None:
        raise ValidationError(_("尚未配置前置审核流程，请管理员运行 gongkai setup"))
    if not policy.latest_revision_id:
        policy.save_revision(user=_user(actor), log_action=False)
    state = workflow.start(policy, _user(actor))
    submission = ensure_submission(state, actor)
    _notify_current_step(policy, state)
    return submission


def submit_from_editor(policy, *, actor):
    """The policy editor's "submit for review" button (see `policies.workflow_routing`)."""
    return submit_for_review(policy, actor=actor)


def _notify_current_step(policy, state):
    state.refresh_from_db()
    if state.status != WorkflowState.STATUS_IN_PROGRESS or not state.current_task_state_id:
        return
    task_state = state.current_task_state
    task = task_state.task.specific
    for step in task.pending_steps(policy, task_state):
        department = _owner(policy) if step == ReviewStep.SELF else _step_department(step)
        notify(
            subject=_("待审核：%(title)s（%(step)s）")
            % {"title": policy.title, "step": ReviewStep(step).label},
            body=_("请在“政策前置审核”中办理。"),
            department=department,
            link=_link(policy),
            dedup_key=f"review:{task_state.pk}:{step}",
        )


def validate_checklist(step: str, approve: bool, checklist: dict | None) -> dict:
    """Every point of the step needs a result; a 不符合 or 不适用 result needs a note; an approval cannot carry
    a 不符合. Returns the cleaned checklist."""
    checklist = checklist or {}
    errors = []
    cleaned = {}
    for point in rules.STEP_POINTS[step]:
        entry = checklist.get(point) or checklist.get(str(point)) or {}
        result = entry.get("result", "")
        note = str(entry.get("note", "") or "").strip()[:2000]
        label = rules.ReviewPoint(point).label
        if result not in CheckResult.values:
            errors.append(_("请选择“%(point)s”的审核结果") % {"point": label})
            continue
        if result != CheckResult.PASS and not note:
            errors.append(_("“%(point)s”为不符合或不适用时须说明理由") % {"point": label})
        if approve and result == CheckResult.FAIL:
            errors.append(_("“%(point)s”不符合，不能审核通过") % {"point": label})
        cleaned[str(point)] = {"result": result, "note": note}
    if errors:
        raise ValidationError(errors)
    return cleaned


def _current_task_state(policy):
    state = policy.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_IN_PROGRESS or not state.current_task_state_id:
        raise ValidationError(_("该政策当前不在审核中"))
    return state, state.current_task_state.specific


@transaction.atomic
def decide(
    policy,
    *,
    actor,
    step: str,
    approve: bool,
    opinion: str = "",
    checklist: dict | None = None,
    risk_level: str = "",
    risk_note: str = "",
) -> ReviewDecision:
    """Records one reviewer's decision at the current step and moves the workflow on: an approval completes the
    step (the countersign only when every required group has signed), a rejection returns the policy to the
    drafting department with the reasons."""
    state, task_state = _current_task_state(policy)
    task = task_state.task.specific
    if step not in task.steps_for(policy):
        raise ValidationError(
            _("当前环节是“%(task)s”，不是“%(step)s”") % {"task": task.name, "step": ReviewStep(step).label}
        )
    if not can_act(step, actor, policy):
        raise PermissionDenied(_("您不能代表“%(step)s”审核") % {"step": ReviewStep(step).label})
    if ReviewDecision.objects.filter(task_state=task_state, step=step).exists():
        raise ValidationError(_("“%(step)s”已签署意见") % {"step": ReviewStep(step).label})
    opinion = (opinion or "").strip()[:5000]
    cleaned = validate_checklist(step, approve, checklist)
    if not approve and not opinion:
        raise ValidationError(_("退回时请填写退回理由"))
    if step == ReviewStep.SELF:
        if risk_level not in rules.RiskLevel.values:
            raise ValidationError(_("请评估政策发布可能产生的舆情风险"))
        if risk_level != rules.RiskLevel.LOW and not (risk_note or "").strip():
            raise ValidationError(_("舆情风险为中或高时，请说明风险点和应对措施"))
    final = (
        approve
        and state.is_at_final_task
        and not [s for s in task.pending_steps(policy, task_state) if s != step]
    )
    if final or (approve and step == ReviewStep.DISTRICT_OFFICE):
        # The last signature of any route completes the review: the material must be complete by then
        # (on the departmental route there is no district-office step to return it).
        reasons = incomplete_reasons(policy, signing=step)
        if reasons:
            raise ValidationError([_("材料不全，不能审核通过，请退回并说明理由：")] + reasons)
    submission = ensure_submission(state, actor)
    decision = ReviewDecision.objects.create(
        submission=submission,
        task_state=task_state,
        step=step,
        result=DecisionResult.APPROVED if approve else DecisionResult.REJECTED,
        actor=_user(actor),
        actor_label=str(actor)[:150] if actor else "系统",
        department=getattr(actor, "department", None),
        opinion=opinion,
        checklist=cleaned,
        risk_level=risk_level if step == ReviewStep.SELF else "",
        risk_note=(risk_note or "").strip()[:5000] if step == ReviewStep.SELF else "",
    )
    audit.record(
        "review.approve" if approve else "review.reject",
        policy,
        actor=actor,
        after={"step": step, "checklist": cleaned, "risk_level": decision.risk_level},
        note=opinion,
        department=_owner(policy),
    )
    if not approve:
        task_state.reject(user=_user(actor), comment=opinion)
        _notify_returned(policy, step, opinion)
    elif not task.pending_steps(policy, task_state):
        task_state.approve(user=_user(actor), comment=opinion)
        _notify_current_step(policy, state)
    return decision


def _notify_returned(policy, step, reasons):
    notify(
        subject=_("审核退回：%(title)s") % {"title": policy.title},
        body=_("%(step)s退回，理由：%(reasons)s") % {"step": ReviewStep(step).label, "reasons": reasons},
        department=_owner(policy),
        link=_link(policy),
    )


def incomplete_reasons(policy, signing: str | None = None) -> list[str]:
    """Why the district office must return a submission (材料不全予以退回, 24:二(二)2): no 区政务服务局 opinion,
    no interpretation (三同步), or a failed automatic check. `signing` is the step being signed right now."""
    reasons = []
    submission = current_submission(policy)
    service_signed = signing == ReviewStep.SERVICE or (
        submission is not None
        and submission.decisions.filter(step=ReviewStep.SERVICE, result=DecisionResult.APPROVED).exists()
    )
    if not service_signed:
        reasons.append(_("缺少区政务服务局意见"))
    outcomes = run_automatic_checks(_draft(policy))
    reasons += failed_problems(outcomes)
    return reasons


def return_if_incomplete(task_state) -> bool:
    """Called when the district office step starts: returns an incomplete submission at once with the reasons."""
    from gongkai.policies.models import Policy

    workflow_state = task_state.workflow_state
    policy = Policy.objects.get(pk=workflow_state.object_id)
    reasons = incomplete_reasons(policy)
    if not reasons:
        _notify_current_step(policy, workflow_state)
        return False
    _return(policy, task_state, None, reasons, update=False)
    return True


def _return(policy, task_state, actor, reasons: list[str], *, update=True):
    text = _("材料不全予以退回：") + "；".join(reasons)
    submission = ensure_submission(task_state.workflow_state, actor)
    ReviewDecision.objects.create(
        submission=submission,
        task_state=task_state,
        step=ReviewStep.DISTRICT_OFFICE,
        result=DecisionResult.RETURNED_INCOMPLETE,
        actor=_user(actor),
        actor_label=str(actor)[:150] if actor else "系统",
        department=getattr(actor, "department", None),
        opinion=text,
    )
    audit.record("review.return_incomplete", policy, actor=actor, note=text, department=_owner(policy))
    task_state.reject(user=_user(actor), update=update, comment=text)
    _notify_returned(policy, ReviewStep.DISTRICT_OFFICE, text)


@transaction.atomic
def return_incomplete(policy, *, actor, reasons: str) -> None:
    """The district office returns a submission as incomplete, with its reasons."""
    _state, task_state = _current_task_state(policy)
    if ReviewStep.DISTRICT_OFFICE not in task_state.task.specific.steps_for(policy):
        raise ValidationError(_("只有区政府办公室复核环节可以材料不全退回"))
    if not can_act(ReviewStep.DISTRICT_OFFICE, actor, policy):
        raise PermissionDenied(_("您不能代表区政府办公室审核"))
    listed = [r for r in (reasons or "").splitlines() if r.strip()] or incomplete_reasons(policy)
    if not listed:
        raise ValidationError(_("请填写退回理由"))
    _return(policy, task_state, actor, [r.strip()[:500] for r in listed])


def complete_review(workflow_state, *, actor) -> ReviewSubmission:
    """The last step approved: remembers the approved text, marks the complete interpretations 已审核 (三同步:
    reviewed together) and tells the drafting department it may publish."""
    from gongkai.policies.actions import approve_interpretation
    from gongkai.policies.models import InterpretationStatus, Policy

    policy = Policy.objects.get(pk=workflow_state.object_id)
    submission = ensure_submission(workflow_state, actor)
    submission.approved_at = timezone.now()
    submission.approved_content_hash = _draft(policy).compute_content_hash()
    submission.save(update_fields=["approved_at", "approved_content_hash"])
    for item in policy.interpretations.filter(status=InterpretationStatus.DRAFT):
        if item.is_complete:
            approve_interpretation(item, actor=None, note=_("随政策前置审核通过"))
    audit.record(
        "review.complete", policy, actor=actor, after={"route": submission.route}, department=policy.issuer
    )
    notify(
        subject=_("审核通过：%(title)s") % {"title": policy.title},
        body=_("政策前置审核已全部通过，可以发布；解读将随政策同步发布。"),
        department=_owner(policy),
        link=_link(policy),
        dedup_key=f"review-complete:{submission.pk}",
    )
    return submission


@transaction.atomic
def cancel_review(policy, *, actor, reason: str) -> None:
    """Withdraws a submission: only the drafting department's openness officer or the openness office, always
    with a reason; the other side is told (the reviewers whose step was waiting, or the drafting department)."""
    if not can_cancel(actor, policy):
        raise PermissionDenied(_("只有起草部门的公开专员或区政务公开办可以撤销审核"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤销审核的理由"))
    state = policy.current_workflow_state
    if state is None or state.status not in (
        WorkflowState.STATUS_IN_PROGRESS,
        WorkflowState.STATUS_NEEDS_CHANGES,
    ):
        raise ValidationError(_("该政策当前不在审核中"))
    waiting = []
    if state.status == WorkflowState.STATUS_IN_PROGRESS and state.current_task_state_id:
        task_state = state.current_task_state.specific
        waiting = task_state.task.specific.pending_steps(policy, task_state)
    before = {"status": state.status, "waiting": [str(ReviewStep(s).label) for s in waiting]}
    state.cancel(user=_user(actor))
    audit.record(
        "review.cancel",
        policy,
        actor=actor,
        before=before,
        after={"status": WorkflowState.STATUS_CANCELLED},
        note=reason[:2000],
        department=_owner(policy),
    )
    subject = _("审核已撤销：%(title)s") % {"title": policy.title}
    body = _("%(who)s撤销了前置审核，理由：%(reason)s") % {"who": str(actor), "reason": reason}
    told = set()
    if actor is None or getattr(actor, "department_id", None) != getattr(_owner(policy), "pk", None):
        notify(subject=subject, body=body, department=_owner(policy), link=_link(policy))
        told.add(getattr(_owner(policy), "pk", None))
    for step in waiting:
        department = _owner(policy) if step == ReviewStep.SELF else _step_department(step)
        if department is not None and department.pk not in told:
            notify(subject=subject, body=body, department=department, link=_link(policy))
            told.add(department.pk)
    from gongkai.core.departments import resolve_department

    office = resolve_department(rules.STEP_DEPARTMENTS.get(ReviewStep.SERVICE, ""))
    if office is not None and office.pk not in told and getattr(actor, "department_id", None) != office.pk:
        notify(subject=subject, body=body, department=office, link=_link(policy))


def review_publication_problems(policy, actor):
    """The publication gate (24:二(二)2: 未按要求审核的政策不得发布实施). System actions (actor None: imports of
    policies released before the platform) are not gated."""
    from gongkai.policies.publication import PublicationProblem

    if actor is None:
        return []
    state = policy.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return [PublicationProblem("review", _("政策正在前置审核中，审核通过后才能发布"))]
    approved = (
        ReviewSubmission.objects.filter(policy=policy, workflow_state__status=WorkflowState.STATUS_APPROVED)
        .order_by("-approved_at", "-id")
        .first()
    )
    if approved is None:
        return [PublicationProblem("review", _("未完成政策前置审核（五性审核），不得发布"))]
    if (
        approved.approved_content_hash
        and approved.approved_content_hash != _draft(policy).compute_content_hash()
    ):
        return [PublicationProblem("review", _("审核通过后政策文本又有修改，须重新审核"))]
    return []


def review_status(policy) -> dict:
    """A summary for screens and the API: route, status, which steps are done and which wait."""
    submission = latest_submission(policy)
    if submission is None:
        return {"status": "none", "label": _("未提交审核"), "submission": None}
    state = submission.workflow_state
    waiting = []
    if state.status == WorkflowState.STATUS_IN_PROGRESS and state.current_task_state_id:
        task_state = state.current_task_state.specific
        waiting = [ReviewStep(s).label for s in task_state.task.specific.pending_steps(policy, task_state)]
    return {
        "status": state.status,
        "label": submission.get_status_display(),
        "submission": submission,
        "waiting": waiting,
    }


def task_states_for(user):
    """The review steps waiting for this user (the reviewer's work queue)."""
    from .models import CountersignTask, DistrictOfficeTask, SelfReviewTask

    ids = []
    for model in (SelfReviewTask, CountersignTask, DistrictOfficeTask):
        for task in model.objects.filter(active=True):
            ids += list(task.get_task_states_user_can_moderate(user).values_list("pk", flat=True))
    return (
        TaskState.objects.filter(pk__in=ids).select_related("workflow_state", "task").order_by("started_at")
    )
