"""The pre-release review as Wagtail workflow tasks, plus the record of every submission and decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Task, TaskState, WorkflowState

from gongkai.core.models import Department
from gongkai.core.scoping import ScopedQuerySet

from .rules import CheckResult, ReviewStep, RiskLevel, Route  # noqa: F401  (CheckResult re-exported)


class ReviewTaskMixin:
    """Shared behaviour of the three review task types; the decisions themselves go through `actions`."""

    # Each task type defines `steps_for(policy) -> list[str]`: the review steps it is made of for that policy.

    def pending_steps(self, policy, task_state) -> list[str]:
        done = set(
            ReviewDecision.objects.filter(task_state=task_state, result=DecisionResult.APPROVED).values_list(
                "step", flat=True
            )
        )
        return [s for s in self.steps_for(policy) if s not in done]

    def steps_user_can_act(self, policy, user, task_state=None) -> list[str]:
        from .permissions import can_act

        steps = self.pending_steps(policy, task_state) if task_state else self.steps_for(policy)
        return [s for s in steps if can_act(s, user, policy)]

    def get_actions(self, obj, user):
        task_state = obj.current_workflow_task_state
        if not task_state or not self.steps_user_can_act(obj, user, task_state):
            return []
        acts = [("approve", _("审核通过"), True), ("reject", _("退回修改"), True)]
        if isinstance(self, DistrictOfficeTask):
            acts.append(("return_incomplete", _("材料不全予以退回"), True))
        return acts

    def get_form_for_action(self, action):
        from .forms import build_task_action_form

        return build_task_action_form(self, action)

    def on_action(self, task_state, user, action_name, **kwargs):
        from . import actions
        from .forms import decision_kwargs_from_task_form

        policy = task_state.workflow_state.content_object
        step, payload = decision_kwargs_from_task_form(self, policy, user, task_state, action_name, kwargs)
        if action_name == "return_incomplete":
            actions.return_incomplete(policy, actor=user, reasons=payload.get("opinion", ""))
        else:
            actions.decide(policy, actor=user, step=step, approve=action_name == "approve", **payload)
        from django.urls import reverse

        return reverse("review_admin:detail", args=[policy.pk])

    def user_can_access_editor(self, obj, user):
        return False

    def locked_for_user(self, obj, user):
        # During the reviewers' steps the drafting department cannot change the text (changes need a return);
        # the reviewers of the current step keep the editor with its approve / return buttons.
        task_state = obj.current_workflow_task_state
        return not (task_state and self.steps_user_can_act(obj, user, task_state))

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from gongkai.policies.models import Policy

        states = TaskState.objects.filter(task=self, status=TaskState.STATUS_IN_PROGRESS).select_related(
            "workflow_state"
        )
        ids = []
        for state in states:
            policy = Policy.objects.filter(pk=state.workflow_state.object_id).first()
            if policy and self.steps_user_can_act(policy, user, state):
                ids.append(state.pk)
        return TaskState.objects.filter(pk__in=ids)


class SelfReviewTask(ReviewTaskMixin, Task):
    """Step 1: the drafting department reviews its own policy against the five points and assesses the
    public-opinion risk."""

    def steps_for(self, policy):
        return [ReviewStep.SELF]

    def locked_for_user(self, obj, user):
        from .permissions import can_act

        return not can_act(ReviewStep.SELF, user, obj)

    @classmethod
    def get_description(cls):
        return _("起草部门对照“五性”自审，并评估舆情风险")

    class Meta:
        verbose_name = _("起草部门自审（五性审核）")
        verbose_name_plural = _("起草部门自审（五性审核）")


class CountersignTask(ReviewTaskMixin, Task):
    """Step 2: a parallel countersign. Completes only when every required group has signed; any group
    sending it back returns the policy to the drafting department."""

    with_service = models.BooleanField(_("区政务服务局复核"), default=True)
    with_finance = models.BooleanField(_("区财政局复核测算必要性"), default=True)
    with_justice = models.BooleanField(
        _("区司法局合法性审核"), default=True, help_text=_("仅当起草部门勾选“需合法性审核”时参与")
    )

    admin_form_fields = Task.admin_form_fields + ["with_service", "with_finance", "with_justice"]

    def steps_for(self, policy):
        steps = []
        if self.with_service:
            steps.append(ReviewStep.SERVICE)
        if self.with_finance:
            steps.append(ReviewStep.FINANCE)
        if self.with_justice and _needs_legality(policy):
            steps.append(ReviewStep.JUSTICE)
        return steps

    @classmethod
    def get_description(cls):
        return _("区政务服务局、区财政局、区司法局（需要时）并行会签，全部通过后进入下一步")

    class Meta:
        verbose_name = _("并行会签")
        verbose_name_plural = _("并行会签")


class DistrictOfficeTask(ReviewTaskMixin, Task):
    """Step 3: the district office reviews 制定标准性. Incomplete submissions are returned automatically with
    the reasons when the step starts."""

    def steps_for(self, policy):
        return [ReviewStep.DISTRICT_OFFICE]

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        from .actions import return_if_incomplete

        return_if_incomplete(task_state)
        return task_state

    @classmethod
    def get_description(cls):
        return _("区政府办公室复核“制定标准性”；材料不全的予以退回")

    class Meta:
        verbose_name = _("区政府办公室复核")
        verbose_name_plural = _("区政府办公室复核")


def _needs_legality(policy) -> bool:
    submission = ReviewSubmission.objects.filter(workflow_state=policy.current_workflow_state).first()
    if submission is not None:
        return submission.needs_legality_review
    return bool(getattr(policy, "needs_legality_review", False))


class ReviewSubmissionQuerySet(ScopedQuerySet):
    # A submission follows its policy: the drafting department owns it, joint issuers read it.
    owner_paths = ("policy__drafting_department",)
    reader_paths = ("policy__joint_issuers",)
    needs_distinct = True


class ReviewSubmission(models.Model):
    """One submission of a policy to the review (one Wagtail workflow state): the route, the automatic
    check results at submission, and, once approved, the text that was approved."""

    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name=_("政策文件"),
        on_delete=models.CASCADE,
        related_name="review_submissions",
    )
    workflow_state = models.OneToOneField(
        WorkflowState, verbose_name=_("流程"), on_delete=models.CASCADE, related_name="review_submission"
    )
    route = models.CharField(_("审核路径"), max_length=20, choices=Route.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    needs_legality_review = models.BooleanField(_("需合法性审核"), default=False)
    check_results = models.JSONField(_("自动检查结果"), default=list, blank=True)
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    approved_content_hash = models.CharField(max_length=64, blank=True)

    objects = ReviewSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("前置审核提交")
        verbose_name_plural = _("前置审核提交")

    def __str__(self):
        return f"{self.policy} · {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def status(self) -> str:
        return self.workflow_state.status

    def get_status_display(self) -> str:
        return str(dict(STATUS_LABELS).get(self.workflow_state.status, self.workflow_state.status))

    @property
    def failed_checks(self) -> list[dict]:
        return [c for c in self.check_results if c.get("problems")]


STATUS_LABELS = [
    (WorkflowState.STATUS_IN_PROGRESS, _("审核中")),
    (WorkflowState.STATUS_NEEDS_CHANGES, _("已退回")),
    (WorkflowState.STATUS_APPROVED, _("审核通过")),
    (WorkflowState.STATUS_CANCELLED, _("已撤销")),
]


class DecisionResult(models.TextChoices):
    APPROVED = "approved", _("通过")
    REJECTED = "rejected", _("退回修改")
    RETURNED_INCOMPLETE = "returned_incomplete", _("材料不全予以退回")


class ReviewDecision(models.Model):
    """One reviewer's decision at one step: who, when, the opinion and the checklist (24:二(二)2)."""

    submission = models.ForeignKey(
        ReviewSubmission, verbose_name=_("提交"), on_delete=models.CASCADE, related_name="decisions"
    )
    task_state = models.ForeignKey(
        TaskState, verbose_name=_("环节"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    step = models.CharField(_("审核环节"), max_length=20, choices=ReviewStep.choices)
    result = models.CharField(_("结论"), max_length=30, choices=DecisionResult.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("审核人名称"), max_length=150, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("审核单位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), default=timezone.now)
    opinion = models.TextField(_("审核意见"), blank=True)
    checklist = models.JSONField(_("审核要点"), default=dict, blank=True)
    risk_level = models.CharField(_("舆情风险"), max_length=10, choices=RiskLevel.choices, blank=True)
    risk_note = models.TextField(_("舆情风险评估"), blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")

    def __str__(self):
        return f"{self.get_step_display()} {self.get_result_display()} {self.actor_label}"

    def checklist_rows(self) -> list[dict]:
        from .rules import ReviewPoint

        labels = dict(ReviewPoint.choices)
        results = dict(CheckResult.choices)
        return [
            {
                "point": str(labels.get(point, point)),
                "result": str(results.get(entry.get("result"), entry.get("result", ""))),
                "passed": entry.get("result") != CheckResult.FAIL,
                "note": entry.get("note", ""),
            }
            for point, entry in self.checklist.items()
        ]


@register_setting(icon="tasks")
class ReviewSettings(BaseGenericSetting):
    """Which workflow each route uses and which issuers take the full route (configurable by administrators)."""

    full_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("区政府（办）名义发文的审核流程"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("部门名义发文的审核流程"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    full_route_issuers = models.ManyToManyField(
        Department,
        verbose_name=_("走完整审核流程的发文机构"),
        blank=True,
        related_name="+",
        help_text=_("以这些机构名义印发的政策须经会签和区政府办公室复核；留空则为区政府、区政府办"),
    )

    class Meta:
        verbose_name = _("前置审核设置")
