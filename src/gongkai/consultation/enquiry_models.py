"""政务咨询: a question from the public to a department (`Enquiry`). Imported by `models.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.scoping import ScopedQuerySet


class EnquiryStatus(models.TextChoices):
    ROUTING = "routing", _("待分办")
    PENDING = "pending", _("办理中")
    ANSWERED = "answered", _("已答复")


class EnquiryQuerySet(ScopedQuerySet):
    """The answering department sees and changes its questions; a question waiting for routing (no department)
    is seen by district-wide roles only (the 政务公开办 routes it)."""

    owner_paths = ("department",)

    def public(self):
        return self.filter(published_at__isnull=False, status=EnquiryStatus.ANSWERED, consent_publish=True)

    def open(self):
        return self.exclude(status=EnquiryStatus.ANSWERED)

    def overdue(self, day=None):
        return self.open().filter(due_date__lt=day or timezone.localdate())


class Enquiry(models.Model):
    """One question (政务咨询). The asker's name and contact are never public; the question and the answer are
    published only with the asker's consent and after the confidentiality scan (the redacted text is public, the
    originals kept in `original_subject` / `original_question` / `original_answer` for staff and for the asker's tracking page)."""

    number = models.CharField(_("咨询编号"), max_length=20, unique=True, editable=False)
    query_code_hash = models.CharField(max_length=200, editable=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("办理部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enquiries",
    )
    asked_department = models.ForeignKey(
        Department,
        verbose_name=_("提问人选择的部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    subject = models.CharField(_("标题"), max_length=100)
    original_subject = models.CharField(_("标题原文（不公开）"), max_length=100, blank=True, editable=False)
    question = models.TextField(_("咨询内容"))
    original_question = models.TextField(_("咨询原文（不公开）"), blank=True, editable=False)
    name = models.CharField(_("姓名或单位"), max_length=50, blank=True)
    contact = models.CharField(_("联系方式（不公开）"), max_length=100, blank=True)
    consent_publish = models.BooleanField(_("同意公开"), default=False, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=EnquiryStatus.choices, default=EnquiryStatus.ROUTING, editable=False
    )
    received_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    due_date = models.DateField(_("答复时限"), editable=False)
    routed_at = models.DateTimeField(_("分办时间"), null=True, blank=True, editable=False)
    answer = models.TextField(_("答复"), blank=True)
    original_answer = models.TextField(_("答复原文（不公开）"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)
    scan_level = models.CharField(_("个人信息检查"), max_length=10, blank=True, editable=False)
    redacted_at = models.DateTimeField(_("脱敏时间"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("到期前提醒时间"), null=True, blank=True, editable=False)
    deadline_reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True, editable=False)

    objects = EnquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("政务咨询")
        verbose_name_plural = _("政务咨询")
        indexes = [models.Index(fields=["status", "due_date"]), models.Index(fields=["published_at"])]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("consultation:enquiry", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != EnquiryStatus.ANSWERED

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.due_date

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def asker_subject(self) -> str:
        return self.original_subject or self.subject

    @property
    def asker_question(self) -> str:
        """What the asker wrote (the tracking page): the original, not the redacted public text."""
        return self.original_question or self.question

    @property
    def asker_answer(self) -> str:
        return self.original_answer or self.answer
