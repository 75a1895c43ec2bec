"""Who may do what in supervision. The openness office (and administrators) manage plans and review reports;
a department officer reports on, and sees the internal notes of, the tasks of their own department only.
Which tasks are "their own" is the one scoping rule `Task.objects.for_user` (models.py)."""

from __future__ import annotations

from gongkai.core.roles import ADMINISTRATOR, DEPARTMENT_OFFICER, OPENNESS_OFFICE, user_has_role


def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


_active = is_active_user


def can_manage_plans(user) -> bool:
    """Import, edit, confirm, publish plans; accept or return reports; bulletins and assessment."""
    if user is None:  # the system (CLI, jobs)
        return True
    return _active(user) and (user.is_superuser or user_has_role(user, OPENNESS_OFFICE, ADMINISTRATOR))


def task_department_ids(task) -> set[int]:
    return {a.department_id for a in task.assignments.all()}


def _task_rule():
    from .models import Task

    return Task.objects.none()


def is_task_department(user, task) -> bool:
    return _active(user) and _task_rule().user_can(user, "change", task)


def can_report(user, task) -> bool:
    if can_manage_plans(user):
        return True
    return is_task_department(user, task) and user_has_role(user, DEPARTMENT_OFFICER)


def can_view_internal(user, task) -> bool:
    """The task page with its internal notes and return reasons: whoever the scoping rule gives the task (the
    openness office, administrators and the task's own departments)."""
    return user is None or _task_rule().user_can(user, "view", task)


def is_lead_of(user, task) -> bool:
    from .models import AssignmentRole

    return (
        _active(user)
        and bool(user.department_id)
        and any(
            a.department_id == user.department_id and a.role == AssignmentRole.LEAD
            for a in task.assignments.all()
        )
    )


def visible_tasks(user, queryset):
    """The tasks of `queryset` a member of staff sees: `Task.objects.for_user` (all for the openness office,
    their department's otherwise)."""
    return queryset.for_user(user)


def can_urge(user) -> bool:
    """催办 and deciding extension requests: the openness office."""
    return can_manage_plans(user)


def can_request_extension(user, task) -> bool:
    """A department officer of one of the task's owing departments (the office may file on their behalf)."""
    from .models import AssignmentRole

    if can_manage_plans(user):
        return True
    return (
        _active(user)
        and bool(user.department_id)
        and user_has_role(user, DEPARTMENT_OFFICER)
        and any(
            a.department_id == user.department_id and a.role != AssignmentRole.SUPPORTING
            for a in task.assignments.all()
        )
    )


def can_comment(user, task) -> bool:
    """The task's thread: the openness office and the task's departments."""
    return user is not None and can_view_internal(user, task)


def can_view_evidence(user, evidence) -> bool:
    """Evidence files before they are public (pending or returned reports): the openness office, and the officers
    of the task's departments. The public sees a file once its report is accepted in a published plan
    (`evidence_is_public`)."""
    task = evidence.report.occurrence.task
    if can_manage_plans(user):
        return True
    return is_task_department(user, task) and user_has_role(user, DEPARTMENT_OFFICER)


def evidence_is_public(evidence) -> bool:
    from .models import EvidenceKind, Plan, ReportStatus

    return (
        evidence.kind == EvidenceKind.FILE
        and evidence.report.status == ReportStatus.ACCEPTED
        and Plan.objects.published().filter(pk=evidence.report.occurrence.task.plan_id).exists()
    )


def register_rules():
    from gongkai.core.storage import register_private_file_rule

    from .models import Evidence

    register_private_file_rule(
        Evidence,
        "file",
        lambda user, ev: can_view_evidence(user, ev) or evidence_is_public(ev),
        download_name=lambda ev: ev.title,
        prefix="supervision/",
    )
