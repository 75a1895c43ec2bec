"""Events of public participation (政策公开讲, 政务开放日, public deliberation): the event, its registrations with a
confirmation code and a waiting list, the questions the public sends before it, and the closing report with its
photos. Imported by `models.py` (one app, its own module to keep the two parts apart)."""

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

register_upload_kind(
    "consultation.event_photo",
    label=_("活动照片"),
    types=["jpg", "png"],
    max_bytes=8 * 1024 * 1024,
)


class EventKind(models.TextChoices):
    LECTURE = "lecture", _("政策公开讲")
    OPEN_DAY = "open_day", _("政务开放日")
    DELIBERATION = "deliberation", _("公众议事会")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")


class EventReportStatus(models.TextChoices):
    NONE = "", _("未撰写")
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公开")


class EventQuerySet(ScopedQuerySet):
    owner_paths = ("department",)

    def everyone_q(self, user):
        return models.Q(status=EventStatus.PUBLISHED)

    def public(self):
        return self.filter(status=EventStatus.PUBLISHED)


class Event(models.Model):
    """An event the public may attend: a 政策公开讲 (a policy explained by the officials who made it), a 政务开放日
    (the public visits an office) or a public deliberation (公众议事会)."""

    department = models.ForeignKey(
        Department, verbose_name=_("主办部门"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(
        _("活动类型"), max_length=20, choices=EventKind.choices, default=EventKind.LECTURE
    )
    title = models.CharField(_("活动名称"), max_length=200)
    description = models.TextField(_("活动介绍"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    online_url = models.URLField(_("线上参与链接"), blank=True)
    capacity = models.PositiveIntegerField(_("名额"))
    waiting_limit = models.PositiveIntegerField(
        _("候补名额"), default=20, help_text=_("名额报满后可排队候补的人数；有人取消时按顺序自动递补")
    )
    contact = models.CharField(_("咨询电话"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    report_summary = models.TextField(_("活动总结"), blank=True, editable=False)
    report_attendance = models.PositiveIntegerField(_("实到人数"), null=True, blank=True, editable=False)
    report_status = models.CharField(
        _("总结状态"),
        max_length=20,
        choices=EventReportStatus.choices,
        default=EventReportStatus.NONE,
        blank=True,
        editable=False,
    )
    report_published_at = models.DateTimeField(_("总结公开时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("公众参与活动")
        verbose_name_plural = _("公众参与活动")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultation:event", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def report_is_public(self) -> bool:
        return self.is_public and self.report_status == EventReportStatus.PUBLISHED

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def registration_open(self, now=None) -> bool:
        return self.is_public and not self.has_started(now)

    def confirmed_count(self) -> int:
        return self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

    def waiting_count(self) -> int:
        return self.registrations.filter(status=RegistrationStatus.WAITING).count()

    def seats_left(self) -> int:
        return max(0, self.capacity - self.confirmed_count())


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("报名成功")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


class RegistrationQuerySet(ScopedQuerySet):
    """Registrations hold personal data: only the organising department and district-wide roles see them."""

    owner_paths = ("event__department",)

    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)


class Registration(models.Model):
    """A person's place at an event (or on its waiting list). Name, telephone and organisation are personal data:
    shown to the organising department only, never on the portal or in the API. The confirmation code is given to
    the registrant once; only its keyed hash is stored."""

    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20)
    organisation = models.CharField(_("单位"), max_length=100, blank=True)
    code_hash = models.CharField(max_length=64, editable=False, db_index=True)
    status = models.CharField(
        _("报名状态"), max_length=20, choices=RegistrationStatus.choices, editable=False
    )
    attended = models.BooleanField(_("已签到"), default=False, editable=False)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now, editable=False)
    promoted_at = models.DateTimeField(_("递补时间"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [
            # One active registration per telephone number and event, also when two requests race.
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=~models.Q(status="cancelled"),
                name="consultation_registration_one_per_phone",
            )
        ]

    def __str__(self):
        return f"{self.event} · #{self.pk}"

    @property
    def department(self):
        return self.event.department


class EventQuestionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    HIDDEN = "hidden", _("不予公开")


class EventQuestionQuerySet(ScopedQuerySet):
    owner_paths = ("event__department",)

    def public(self):
        return self.filter(status=EventQuestionStatus.PUBLISHED, event__status=EventStatus.PUBLISHED)


class EventQuestion(models.Model):
    """A question sent before the event, published after moderation and answered at or after the event."""

    event = models.ForeignKey(
        Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("问题"))
    original_text = models.TextField(_("问题原文（不公开）"), blank=True, editable=False)
    name = models.CharField(_("姓名或单位"), max_length=50, blank=True)
    show_name = models.BooleanField(_("公开署名"), default=False)
    scan_level = models.CharField(_("个人信息检查"), max_length=10, blank=True, editable=False)
    sensitive_words = models.CharField(_("命中的敏感词"), max_length=300, blank=True, editable=False)
    status = models.CharField(
        _("审核状态"),
        max_length=20,
        choices=EventQuestionStatus.choices,
        default=EventQuestionStatus.PENDING,
        editable=False,
    )
    moderation_note = models.CharField(_("审核说明"), max_length=300, blank=True, editable=False)
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    redacted_at = models.DateTimeField(_("脱敏时间"), null=True, blank=True, editable=False)
    answer = models.TextField(_("答复"), blank=True, editable=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)

    objects = EventQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["event", "created_at", "id"]
        verbose_name = _("活动提问")
        verbose_name_plural = _("活动提问")

    def __str__(self):
        return self.text[:60]

    @property
    def department(self):
        return self.event.department

    @property
    def public_name(self) -> str:
        return self.name if (self.show_name and self.name) else str(_("匿名"))


class EventPhotoQuerySet(ScopedQuerySet):
    owner_paths = ("event__department",)


class EventPhoto(models.Model):
    """A photo of the closing report: private until the report is published (then a public copy)."""

    event = models.ForeignKey(Event, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("照片"),
        upload_to=random_upload_to("consultation/events"),
        storage=private_storage,  # private; public copies only while the record is public
        validators=[UploadValidator("consultation.event_photo")],
    )
    caption = models.CharField(_("照片说明"), max_length=200, help_text=_("供读屏软件和无法看图的读者使用"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EventPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self):
        return self.caption
