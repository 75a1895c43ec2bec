"""Routing a policy to its review workflow, creating the default workflows, and what happens when one ends."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .rules import DEFAULT_FULL_ROUTE_ISSUERS, Route

FULL_WORKFLOW_NAME = "政策前置审核（区政府、区政府办公室名义发文）"
DEPARTMENT_WORKFLOW_NAME = "政策前置审核（部门名义发文）"


def review_settings():
    from .models import ReviewSettings

    return ReviewSettings.load()


def route_for(policy) -> str:
    """Full route for policies issued in the name of the district government or its office; the departmental
    route for the rest. Joint policies follow their lead department (the issuer)."""
    config = review_settings()
    issuers = list(config.full_route_issuers.values_list("pk", flat=True)) if config.pk else []
    if not issuers:
        from gongkai.core.models import Department

        issuers = list(
            Department.objects.filter(short_name__in=DEFAULT_FULL_ROUTE_ISSUERS).values_list("pk", flat=True)
        )
    return Route.FULL if policy.issuer_id in issuers else Route.DEPARTMENT


def workflow_for(policy):
    config = review_settings()
    workflow = config.full_workflow if route_for(policy) == Route.FULL else config.department_workflow
    if workflow is not None and workflow.active:
        return workflow
    return type(policy).get_default_workflow()


@transaction.atomic
def ensure_review_workflows() -> str:
    """Creates the two default workflows and their tasks once (setup hook, idempotent). Administrators may
    later edit them in 设置 → 工作流 and choose them in 设置 → 前置审核设置."""
    from wagtail.models import Workflow, WorkflowTask

    from .models import CountersignTask, DistrictOfficeTask, ReviewSettings, SelfReviewTask

    def task(model, name, **fields):
        found = model.objects.filter(name=name).first()
        return found or model.objects.create(name=name, **fields)

    self_review = task(SelfReviewTask, "起草部门自审（五性审核）")
    countersign_full = task(CountersignTask, "并行会签（区政务服务局、区财政局、区司法局）")
    countersign_dept = task(
        CountersignTask, "区政务服务局复核", with_service=True, with_finance=False, with_justice=False
    )
    district = task(DistrictOfficeTask, "区政府办公室复核（制定标准性）")

    def workflow(name, tasks):
        found = Workflow.objects.filter(name=name).first()
        if found:
            return found, False
        wf = Workflow.objects.create(name=name)
        for i, t in enumerate(tasks):
            WorkflowTask.objects.create(workflow=wf, task=t, sort_order=i)
        return wf, True

    full, made_full = workflow(FULL_WORKFLOW_NAME, [self_review, countersign_full, district])
    dept, made_dept = workflow(DEPARTMENT_WORKFLOW_NAME, [self_review, countersign_dept])
    config = ReviewSettings.load()
    changed = False
    if config.full_workflow_id is None:
        config.full_workflow = full
        changed = True
    if config.department_workflow_id is None:
        config.department_workflow = dept
        changed = True
    if changed or not config.pk:
        config.save()
    return _("已创建审核流程") if (made_full or made_dept) else _("审核流程已存在")


def finish_workflow(workflow_state, user=None):
    """`WAGTAIL_FINISH_WORKFLOW_ACTION`: for a policy, the completed review does NOT publish it — it records the
    approval and tells the drafting department it may now publish (publication goes through `publish_policy`,
    which runs the publication gate). Other objects keep Wagtail's default (publish)."""
    from wagtail.workflows import publish_workflow_state

    from gongkai.policies.models import Policy

    obj = workflow_state.content_object
    if isinstance(obj, Policy):
        from .actions import complete_review

        complete_review(workflow_state, actor=user)
        return
    publish_workflow_state(workflow_state, user=user)
