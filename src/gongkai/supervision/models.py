"""Work-plan supervision: plans, their sections and tasks, who answers for each task, the periods a task must be
done in (occurrences), progress reports with evidence, quarterly snapshots and the assessment scoring scheme."""

from __future__ import annotations

import os
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.scoping import ScopedQuerySet
from gongkai.core.uploads import UploadValidator, random_upload_to, register_upload_kind


class PlanKind(models.TextChoices):
    WORK_PLAN = "work_plan", _("政务公开工作要点")
    KEY_TASKS = "key_tasks", _("政府工作报告重点任务")
    PRACTICAL_PROJECTS = "practical_projects", _("民生实事项目")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("待确认（导入预览）")
    ACTIVE = "active", _("执行中")
    CLOSED = "closed", _("已结束")
    ARCHIVED = "archived", _("已归档")


# Plans whose figures still move: reminders go out and stored statuses are refreshed for these only. A closed or
# archived plan keeps the figures of the day it was closed (the public column shows it read-only).
LIVE_PLAN_STATUSES = (PlanStatus.ACTIVE,)


class Recurrence(models.TextChoices):
    NONE = "", _("一次性")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half-yearly", _("每半年")
    YEARLY = "yearly", _("每年")
    ONGOING = "ongoing", _("长期推进")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETED = "completed", _("已完成")
    OVERDUE = "overdue", _("逾期")
    COMPLETED_LATE = "completed_late", _("逾期完成")
    ONGOING = "ongoing", _("长期推进")


class Light(models.TextChoices):
    """红黄绿灯: shown with its text everywhere, never by colour alone (see `lights.py` for the rules)."""

    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    RESPONSIBLE = "responsible", _("负责落实")
    SUPPORTING = "supporting", _("配合")


class ReportStatus(models.TextChoices):
    AWAITING_LEAD = "awaiting_lead", _("待牵头部门确认")
    SUBMITTED = "submitted", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    RETURNED = "returned", _("已退回")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REFUSED = "refused", _("未同意")


class EvidenceKind(models.TextChoices):
    POLICY = "policy", _("平台政策文件")
    LINK = "link", _("网页链接")
    FILE = "file", _("上传文件")


def default_reminder_working_days() -> int:
    return settings.GONGKAI_SUPERVISION_REMINDER_WORKING_DAYS


class SupervisionScopedQuerySet(ScopedQuerySet):
    """Supervision's scoping rule: the openness office and administrators (who manage the plans) see every
    task; a department sees the tasks it leads or shares and their reports (internal notes included)."""

    def sees_everything(self, user, action):
        from .permissions import can_manage_plans

        return can_manage_plans(user)


class TaskQuerySet(SupervisionScopedQuerySet):
    owner_paths = ("assignments__department",)
    needs_distinct = True


class ProgressReportQuerySet(SupervisionScopedQuerySet):
    owner_paths = ("occurrence__task__assignments__department",)
    needs_distinct = True


class PlanQuerySet(models.QuerySet):
    def published(self):
        """What the public column and the API show: confirmed plans the openness office has published."""
        return self.filter(is_published=True).exclude(status=PlanStatus.DRAFT)

    def annotate_task_count(self):
        return self.annotate(task_count=models.Count("tasks"))


class Plan(models.Model):
    """A work plan (工作要点) or a list of key tasks / practical projects, with its tasks."""

    title = models.CharField(_("名称"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("类型"), max_length=30, choices=PlanKind.choices, default=PlanKind.WORK_PLAN)
    notice = models.TextField(_("前言"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    is_published = models.BooleanField(_("已在网站公开"), default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    reminder_working_days = models.PositiveSmallIntegerField(
        _("到期前提醒（工作日）"),
        default=default_reminder_working_days,
        validators=[MaxValueValidator(60)],
        help_text=_("任务到期前多少个工作日提醒责任部门"),
    )
    doc_number = models.CharField(_("文号"), max_length=80, blank=True)
    issuer = models.CharField(_("印发机关"), max_length=200, blank=True)
    # What identifies a plan's content whatever the file format it came in (see `importing.content_hash`).
    content_hash = models.CharField(_("内容指纹"), max_length=64, blank=True, db_index=True, editable=False)
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    source_name = models.CharField(_("来源文件"), max_length=300, blank=True)
    source_text = models.TextField(_("原文"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "id"]
        verbose_name = _("工作计划")
        verbose_name_plural = _("工作计划")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:plan_detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_PLAN_STATUSES

    @property
    def figures_as_of(self):
        """The day a plan's figures are computed for: today, or the day it was closed."""
        today = timezone.localdate()
        if self.status in (PlanStatus.CLOSED, PlanStatus.ARCHIVED) and self.closed_on:
            return min(self.closed_on, today)
        return today


class Section(models.Model):
    """A part (一、) or section (（一）) of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    ref = models.CharField(_("编号"), max_length=40)
    title = models.CharField(_("标题"), max_length=300)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("章节")
        verbose_name_plural = _("章节")

    def __str__(self):
        return f"{self.display_ref} {self.title}".strip()

    @property
    def display_ref(self) -> str:
        from .refs import display_ref

        return display_ref(self.ref, section=True)


class Task(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section,
        verbose_name=_("章节"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    ref = models.CharField(_("编号"), max_length=40)
    # The reference as the plan writes it (一、（二）3.), worked out from `ref` and the plan's sections.
    ref_label = models.CharField(_("编号（原文格式）"), max_length=60, blank=True, editable=False)
    text = models.TextField(_("任务内容"))
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    deadline_text = models.CharField(_("时限原文"), max_length=100, blank=True)
    recurrence = models.CharField(
        _("周期"), max_length=20, choices=Recurrence.choices, default="", blank=True
    )
    weight = models.DecimalField(
        _("权重"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    unresolved_names = models.JSONField(_("未识别的部门名称"), default=list, blank=True)
    departments_text = models.CharField(_("责任单位原文"), max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    # Derived from reports and dates by `status.refresh_task`; stored so lists can filter and sort.
    status = models.CharField(
        _("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED, editable=False
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0, editable=False)
    light = models.CharField(
        _("警示灯"), max_length=10, choices=Light.choices, default=Light.GREEN, editable=False
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "sort_order", "id"]
        verbose_name = _("任务")
        verbose_name_plural = _("任务")

    def __str__(self):
        return f"{self.display_ref} {self.text[:40]}"

    def get_absolute_url(self):
        return reverse("supervision:task_detail", args=[self.plan_id, self.pk])

    @property
    def display_ref(self) -> str:
        """The reference as the plan writes it (一、（一）1.), whatever form the parser stored."""
        from .refs import display_ref

        return self.ref_label or display_ref(self.ref)

    @property
    def lead_departments(self):
        return [a.department for a in self.assignments.all() if a.role == AssignmentRole.LEAD]

    @property
    def owing_departments(self):
        """Departments that must report completion: the lead and the responsible ones (not supporting)."""
        return [a.department for a in self.assignments.all() if a.role != AssignmentRole.SUPPORTING]

    @property
    def is_shared(self) -> bool:
        return len(self.owing_departments) > 1 and bool(self.lead_departments)


class TaskAssignment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("职责"), max_length=20, choices=AssignmentRole.choices)

    class Meta:
        ordering = ["task", "role", "department__sort_order"]
        unique_together = [("task", "department")]
        verbose_name = _("责任部门")
        verbose_name_plural = _("责任部门")

    def __str__(self):
        return f"{self.department.display_name}（{self.get_role_display()}）"


class Occurrence(models.Model):
    """One period in which a task must be done: the whole task for a one-off task, one month/quarter/half-year
    for a recurring one, and one open-ended period for 长期推进."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="occurrences")
    period = models.CharField(_("周期"), max_length=20)
    period_start = models.DateField(_("开始"))
    due_date = models.DateField(_("截止日期"), null=True, blank=True)
    # The due date before the first approved extension (None when never extended).
    original_due_date = models.DateField(_("原截止日期"), null=True, blank=True)

    class Meta:
        ordering = ["task", "period_start", "id"]
        unique_together = [("task", "period")]
        verbose_name = _("任务周期")
        verbose_name_plural = _("任务周期")

    def __str__(self):
        return f"{self.task.display_ref} {self.period_label}"

    @property
    def period_label(self) -> str:
        from .refs import period_label

        return period_label(self.period)


def link_kind(url: str) -> str | None:
    """What a link given as evidence is: "site" (a path on this site, such as /policies/12/, or a full URL on
    GONGKAI_BASE_URL's host), "external" (an http(s) URL elsewhere), or None when it is not a link we accept —
    `//host/…` and `/\\host` (which browsers read as another site), `javascript:`, control characters."""
    from urllib.parse import urlsplit

    url = (url or "").strip()
    if not url or len(url) > 500 or "\\" in url or any(ord(c) < 33 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if url.startswith("/"):
        if url.startswith("//") or parts.netloc or parts.scheme:
            return None
        return "site"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    base = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if base.hostname and parts.hostname == base.hostname and (parts.port or None) == (base.port or None):
        return "site"
    return "external"


def evidence_upload_to(instance, filename):
    """Kept for the first migration; evidence is stored under random names now (`random_upload_to`)."""
    return f"supervision/{timezone.now():%Y/%m}/{os.path.basename(filename)}"


# What evidence uploads accept (the one upload validator, gongkai/core/uploads.py).
register_upload_kind(
    "supervision.evidence",
    label=_("佐证材料"),
    types=["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "txt", "zip", "jpg", "png"],
)
register_upload_kind(
    "supervision.workplan", label=_("工作要点文件"), types=["docx", "pdf", "txt", "html"], stored=False
)


class ProgressReport(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="reports")
    department = models.ForeignKey(
        Department, verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    summary = models.TextField(_("工作进展"))
    percent = models.PositiveSmallIntegerField(
        _("完成比例（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    claims_completion = models.BooleanField(_("申报完成"), default=False)
    internal_note = models.TextField(_("内部说明（不公开）"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=ReportStatus.choices)
    lead_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_confirmed_at = models.DateTimeField(_("牵头部门确认时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由（不公开）"), blank=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self):
        return f"{self.occurrence} {self.department.display_name} {self.percent}%"

    @property
    def task(self):
        return self.occurrence.task

    @property
    def reported_on(self):
        return timezone.localdate(self.reported_at)


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("类型"), max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(_("名称"), max_length=300, blank=True)
    policy = models.ForeignKey(
        "policies.Policy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("政策文件"),
    )
    url = models.URLField(_("链接"), max_length=500, blank=True)
    file = models.FileField(
        _("文件"),
        upload_to=random_upload_to("supervision/evidence"),
        blank=True,
        validators=[UploadValidator("supervision.evidence")],
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self):
        return self.title or self.url or (self.file.name if self.file else "")

    def clean(self):
        if self.kind == EvidenceKind.POLICY and not self.policy_id:
            raise ValidationError(_("请选择政策文件"))
        if self.kind == EvidenceKind.LINK and not self.url:
            raise ValidationError(_("请填写链接"))
        if self.kind == EvidenceKind.FILE and not self.file:
            raise ValidationError(_("请上传文件"))

    @property
    def is_platform_record(self) -> bool:
        """Evidence that points at a record published on this platform counts as the best evidence."""
        return self.kind == EvidenceKind.POLICY or (
            self.kind == EvidenceKind.LINK and link_kind(self.url) == "site"
        )

    def public_url(self) -> str | None:
        """The link the public may follow, or None when the evidence is not public."""
        if self.kind == EvidenceKind.POLICY:
            if self.policy is not None and self.policy.is_public:
                return self.policy.get_absolute_url()
            return None
        if self.kind == EvidenceKind.LINK:
            return self.url if link_kind(self.url) else None
        if self.kind == EvidenceKind.FILE and self.file:
            return reverse("supervision:evidence_file", args=[self.pk])
        return None


class Urging(models.Model):
    """催办: the openness office urges a department to get on with a task (counted in the assessment)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="urgings")
    department = models.ForeignKey(
        Department, verbose_name=_("被催办部门"), on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField(_("催办意见"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("催办时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")

    def __str__(self):
        return f"{self.task.display_ref} {self.department.display_name} {self.created_at:%Y-%m-%d}"

    @property
    def created_on(self):
        return timezone.localdate(self.created_at)


class ExtensionRequest(models.Model):
    """延期申请: a department asks to move one occurrence's deadline; the openness office approves or refuses."""

    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="extension_requests")
    department = models.ForeignKey(
        Department, verbose_name=_("申请部门"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    current_due = models.DateField(_("原截止日期"))
    requested_due = models.DateField(_("申请延至"))
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("状态"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self):
        return f"{self.occurrence} {self.department.display_name} → {self.requested_due}"

    @property
    def task(self):
        return self.occurrence.task


class TaskComment(models.Model):
    """A message in a task's thread between the openness office and the task's departments (never public)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("任务沟通")
        verbose_name_plural = _("任务沟通")

    def __str__(self):
        return f"{self.task.display_ref} {self.created_at:%Y-%m-%d %H:%M}"


class Snapshot(models.Model):
    """The public figures of a plan frozen at the end of a quarter. Written once, never changed."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="snapshots")
    quarter = models.CharField(_("季度"), max_length=6)
    as_of = models.DateField(_("截至日期"))
    frozen_at = models.DateTimeField(_("冻结时间"), default=timezone.now)
    data = models.JSONField(_("数据"))

    class Meta:
        ordering = ["plan", "-quarter"]
        unique_together = [("plan", "quarter")]
        verbose_name = _("季度快照")
        verbose_name_plural = _("季度快照")

    def __str__(self):
        return f"{self.plan} {self.quarter}"

    def get_absolute_url(self):
        return reverse("supervision:snapshot", args=[self.plan_id, self.quarter])


class ScoringScheme(models.Model):
    """年度考核 scoring: points for completion, timeliness and evidence quality, deductions for returned reports
    and overdue tasks. The openness office edits it in the admin; one scheme per year (or the default)."""

    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(
        _("适用年度"), null=True, blank=True, unique=True, help_text=_("留空为默认方案")
    )
    completion_points = models.DecimalField(
        _("完成情况分值"), max_digits=6, decimal_places=2, default=Decimal("50")
    )
    timeliness_points = models.DecimalField(
        _("按时完成分值"), max_digits=6, decimal_places=2, default=Decimal("30")
    )
    evidence_points = models.DecimalField(
        _("佐证质量分值"), max_digits=6, decimal_places=2, default=Decimal("20")
    )
    platform_evidence_factor = models.DecimalField(
        _("平台记录佐证系数"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_("佐证为平台已发布记录时得分比例"),
    )
    other_evidence_factor = models.DecimalField(
        _("其他佐证系数"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        help_text=_("佐证仅为外部链接或上传文件时得分比例"),
    )
    return_deduction = models.DecimalField(
        _("每次退回扣分"), max_digits=5, decimal_places=2, default=Decimal("1")
    )
    return_deduction_cap = models.DecimalField(
        _("退回扣分上限"), max_digits=5, decimal_places=2, default=Decimal("5")
    )
    overdue_deduction = models.DecimalField(
        _("每项逾期未完成扣分"), max_digits=5, decimal_places=2, default=Decimal("2")
    )
    overdue_deduction_cap = models.DecimalField(
        _("逾期扣分上限"), max_digits=5, decimal_places=2, default=Decimal("10")
    )
    urging_deduction = models.DecimalField(
        _("每次催办扣分"), max_digits=5, decimal_places=2, default=Decimal("0.5")
    )
    urging_deduction_cap = models.DecimalField(
        _("催办扣分上限"), max_digits=5, decimal_places=2, default=Decimal("5")
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("考核评分方案")
        verbose_name_plural = _("考核评分方案")

    def __str__(self):
        return self.name

    @classmethod
    def for_year(cls, year: int) -> ScoringScheme:
        scheme = cls.objects.filter(year=year).first() or cls.objects.filter(year__isnull=True).first()
        return scheme or cls(name=str(_("默认考核方案")))
