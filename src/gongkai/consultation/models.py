"""Public participation (公众参与): drafts for comment (意见征集) with comments, dispositions and the 意见采纳情况
report, the office's sensitive-word list, and needs surveys (需求征集)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.scoping import ScopedQuerySet
from gongkai.core.storage import private_storage
from gongkai.core.uploads import UploadValidator, random_upload_to, register_upload_kind
from gongkai.policies.models import Policy

# A draft for comment and its 起草说明 as the department publishes them (consultation/drafts.py reads them).
register_upload_kind(
    "consultation.draft", label=_("征求意见稿文件"), types=["docx", "pdf", "txt"], max_bytes=20 * 1024 * 1024
)


class CommentGroupQuerySet(ScopedQuerySet):
    owner_paths = ("consultation__department",)


class SurveyQuestionQuerySet(ScopedQuerySet):
    owner_paths = ("survey__department",)


class SurveyResponseQuerySet(ScopedQuerySet):
    owner_paths = ("survey__department",)


class ConsultationStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")  # open or closed follows from the dates
    WITHDRAWN = "withdrawn", _("已撤回")


class ConsultationQuerySet(ScopedQuerySet):
    owner_paths = ("department",)

    def everyone_q(self, user):
        return models.Q(status=ConsultationStatus.PUBLISHED)

    def public(self):
        return self.filter(status=ConsultationStatus.PUBLISHED)

    def open_on(self, day):
        return (
            self.public()
            .filter(start_date__lte=day)
            .filter(models.Q(extended_to__isnull=True, end_date__gte=day) | models.Q(extended_to__gte=day))
        )


class Consultation(models.Model):
    """A draft put out for public comment (政策文件草案公开征求意见): the draft text of a policy record, its
    起草说明 and the comment period."""

    department = models.ForeignKey(
        Department, verbose_name=_("起草部门"), on_delete=models.PROTECT, related_name="consultations"
    )
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("政策文件"),
        on_delete=models.PROTECT,
        related_name="consultations",
        help_text=_("征求意见稿对应的政策文件记录；定稿发布后，意见采纳情况随之公开"),
    )
    title = models.CharField(_("标题"), max_length=300)
    explanation = models.TextField(_("起草说明"))
    draft_text = models.TextField(
        _("征求意见稿"), help_text=_("每段一行；“第X条”“一、”会被识别为条款，公众可逐条发表意见")
    )
    # The uploaded originals (consultation/drafts.py): private until the consultation is published, then public
    # copies served by core.storage.public_media. The draft text above is read from the draft file.
    draft_file = models.FileField(
        _("征求意见稿原件"),
        upload_to=random_upload_to("consultation/drafts"),
        storage=private_storage,  # private; public copies only while the record is public
        blank=True,
        editable=False,
        validators=[UploadValidator("consultation.draft")],
    )
    draft_file_name = models.CharField(_("征求意见稿原件文件名"), max_length=120, blank=True, editable=False)
    draft_file_notes = models.JSONField(_("读取原件时的提示"), default=list, blank=True, editable=False)
    explanation_file = models.FileField(
        _("起草说明原件"),
        upload_to=random_upload_to("consultation/drafts"),
        storage=private_storage,  # private; public copies only while the record is public
        blank=True,
        editable=False,
        validators=[UploadValidator("consultation.draft")],
    )
    explanation_file_name = models.CharField(
        _("起草说明原件文件名"), max_length=120, blank=True, editable=False
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("截止日期"))
    short_period_reason = models.TextField(
        _("缩短期限的理由"), blank=True, help_text=_("期限少于30日时必填，并在征求意见页面上公布")
    )
    extended_to = models.DateField(_("延长至"), null=True, blank=True, editable=False)
    extension_reason = models.CharField(_("延长理由"), max_length=300, blank=True, editable=False)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.DRAFT,
        editable=False,
    )
    contact = models.CharField(
        _("联系方式"), max_length=200, blank=True, help_text=_("公众咨询本次征求意见的电话或邮箱（公开）")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:detail", args=[self.pk])

    @property
    def closes_on(self):
        return self.extended_to or self.end_date

    def is_open(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.status == ConsultationStatus.PUBLISHED and self.start_date <= day <= self.closes_on

    def is_closed(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.status == ConsultationStatus.PUBLISHED and day > self.closes_on

    @property
    def phase_label(self) -> str:
        if self.status != ConsultationStatus.PUBLISHED:
            return str(self.get_status_display())
        day = timezone.localdate()
        if day < self.start_date:
            return str(_("未开始"))
        return str(_("征集中")) if day <= self.closes_on else str(_("已结束"))

    @property
    def period_days(self) -> int:
        from .rules import period_days

        return period_days(self.start_date, self.end_date)

    def units(self):
        """The draft's articles, sections and paragraphs (policies.diff.parse_units), each commentable."""
        from gongkai.policies.diff import parse_units

        return parse_units(self.draft_text)


class Disposition(models.TextChoices):
    ADOPTED = "adopted", _("采纳")
    PARTLY = "partly", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")
    OUT_OF_SCOPE = "out_of_scope", _("不属于本次征求范围")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    HIDDEN = "hidden", _("不予公开")


class CommentQuerySet(ScopedQuerySet):
    owner_paths = ("consultation__department",)

    def public(self):
        return self.filter(status=CommentStatus.PUBLISHED, consultation__status=ConsultationStatus.PUBLISHED)


class CommentGroup(models.Model):
    """Comments on the same point, answered once (同类意见合并答复)."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("意见征集"), on_delete=models.CASCADE, related_name="groups"
    )
    point = models.CharField(_("意见要点"), max_length=300)
    disposition = models.CharField(_("采纳情况"), max_length=20, choices=Disposition.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CommentGroupQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("同类意见")
        verbose_name_plural = _("同类意见")

    def __str__(self):
        return self.point


class Comment(models.Model):
    """One comment from the public on the whole draft or on one of its articles. Name and contact are
    optional (后台实名、前台自愿); the contact is never shown publicly, the name only when the commenter asked."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("意见征集"), on_delete=models.CASCADE, related_name="comments"
    )
    unit_index = models.PositiveIntegerField(_("条款序号"), null=True, blank=True)
    article = models.CharField(_("涉及条款"), max_length=60, blank=True)
    text = models.TextField(_("意见"), help_text=_("公开的文字；脱敏后为脱敏后的文字"))
    original_text = models.TextField(_("意见原文（不公开）"), blank=True, editable=False)
    name = models.CharField(_("姓名或单位"), max_length=50, blank=True)
    show_name = models.BooleanField(_("公开署名"), default=False)
    contact = models.CharField(_("联系方式（不公开）"), max_length=100, blank=True)
    scan_level = models.CharField(_("个人信息检查"), max_length=10, blank=True, editable=False)
    sensitive_words = models.CharField(_("命中的敏感词"), max_length=300, blank=True, editable=False)
    status = models.CharField(
        _("审核状态"),
        max_length=20,
        choices=CommentStatus.choices,
        default=CommentStatus.PENDING,
        editable=False,
    )
    moderation_due = models.DateField(_("审核时限"), editable=False)
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    moderation_note = models.CharField(_("审核说明"), max_length=300, blank=True, editable=False)
    redacted_at = models.DateTimeField(_("脱敏时间"), null=True, blank=True, editable=False)
    group = models.ForeignKey(
        CommentGroup,
        verbose_name=_("同类意见"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    disposition = models.CharField(_("采纳情况"), max_length=20, choices=Disposition.choices, blank=True)
    disposition_reason = models.TextField(_("理由"), blank=True)
    disposed_at = models.DateTimeField(_("处理时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["consultation", "unit_index", "id"]
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self):
        return self.text[:60]

    @property
    def department(self):
        return self.consultation.department

    @property
    def is_overdue(self) -> bool:
        return self.status == CommentStatus.PENDING and timezone.localdate() > self.moderation_due

    @property
    def public_name(self) -> str:
        return self.name if (self.show_name and self.name) else str(_("匿名"))


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审定")
    PUBLISHED = "published", _("已公开")


class FeedbackReportQuerySet(ScopedQuerySet):
    owner_paths = ("consultation__department",)

    def everyone_q(self, user):
        return models.Q(status=ReportStatus.PUBLISHED)


class FeedbackReport(models.Model):
    """The 意见采纳情况 report: counts by disposition, main points with answers, the articles that changed between
    the draft and the final text. Generated from the dispositions, approved, published with the final policy."""

    consultation = models.OneToOneField(
        Consultation, verbose_name=_("意见征集"), on_delete=models.CASCADE, related_name="report"
    )
    summary = models.TextField(_("总体情况"), blank=True)
    counts = models.JSONField(_("采纳情况统计"), default=dict, editable=False)
    points = models.JSONField(_("主要意见及答复"), default=list, editable=False)
    changes = models.JSONField(_("条款修改情况"), default=dict, editable=False)
    final_text = models.TextField(_("定稿文本"), blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)

    objects = FeedbackReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见采纳情况")
        verbose_name_plural = _("意见采纳情况")

    def __str__(self):
        return f"{self.consultation.title} 意见采纳情况"

    @property
    def department(self):
        return self.consultation.department

    @property
    def total(self) -> int:
        return sum(int(v) for v in (self.counts or {}).values())

    CHANGE_LABELS = {"added": _("新增"), "deleted": _("删除"), "changed": _("修改"), "moved": _("调整顺序")}

    def labelled_points(self) -> list[dict]:
        """The main points with the Chinese label of their disposition (for the screens)."""
        return [
            {
                **p,
                "label": Disposition(p["disposition"]).label
                if p.get("disposition") in Disposition.values
                else "",
            }
            for p in (self.points or [])
        ]

    def labelled_changes(self) -> list[dict]:
        return [
            {**a, "label": self.CHANGE_LABELS.get(a.get("status"), a.get("status", ""))}
            for a in (self.changes or {}).get("articles", [])
        ]


class SensitiveWord(models.Model):
    """A word the openness office does not want published in comments from the public (the list is theirs to
    edit). A comment containing one waits for a person, who decides; nothing is rejected automatically."""

    word = models.CharField(_("敏感词"), max_length=50, unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("添加时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["word"]
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")

    def __str__(self):
        return self.word


# --- needs surveys (需求征集) -------------------------------------------------------------------------------


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已结束")


class SurveyQuerySet(ScopedQuerySet):
    owner_paths = ("department",)

    def everyone_q(self, user):
        return ~models.Q(status=SurveyStatus.DRAFT)

    def public(self):
        return self.exclude(status=SurveyStatus.DRAFT)


class Survey(models.Model):
    """A questionnaire (需求征集问卷) before drafting or about a policy in force."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="surveys"
    )
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("关联的意见征集"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("关联的政策文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        help_text=_("关联后，问卷结果进入该政策的实施效果评价"),
    )
    answers_per_person = models.PositiveSmallIntegerField(
        _("每人可答次数"), default=1, help_text=_("按浏览器计（不要求登录），另有按网络地址的频次限制")
    )
    start_date = models.DateField(_("开始日期"), null=True, blank=True, editable=False)
    end_date = models.DateField(_("截止日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("需求征集问卷")
        verbose_name_plural = _("需求征集问卷")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:survey", args=[self.pk])

    def is_accepting(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.status == SurveyStatus.OPEN and (self.end_date is None or day <= self.end_date)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTIPLE = "multiple", _("多选")
    TEXT = "text", _("文字")
    RATING = "rating", _("评分（1—5分）")


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.CharField(_("题目"), max_length=300)
    kind = models.CharField(
        _("题型"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    options = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)

    objects = SurveyQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "order", "id"]
        verbose_name = _("问卷题目")
        verbose_name_plural = _("问卷题目")

    def __str__(self):
        return self.text


class SurveyResponse(models.Model):
    """One filled-in questionnaire. `respondent` is a hash of the browser's token (never the token itself, never
    an address)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("问卷答卷")
        verbose_name_plural = _("问卷答卷")

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)  # option indexes
    text = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["response", "question"]

    def __str__(self):
        return f"{self.question_id}: {self.choices or self.rating or self.text[:20]}"


from .enquiry_models import Enquiry, EnquiryQuerySet, EnquiryStatus  # noqa: E402, F401  (政务咨询)

# --- events (政策公开讲, 政务开放日, public deliberation): in their own module ------------------------------------------
from .event_models import (  # noqa: E402,F401
    Event,
    EventKind,
    EventPhoto,
    EventQuestion,
    EventQuestionStatus,
    EventReportStatus,
    EventStatus,
    Registration,
    RegistrationStatus,
)
