"""Departments, people, the audit log and the in-admin inbox."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedQuerySet


class DepartmentKind(models.TextChoices):
    DISTRICT_GOVERNMENT = "government", _("区政府")
    BUREAU = "bureau", _("委办局")
    SUBDISTRICT = "subdistrict", _("街道")
    DISTRICT_BODY = "district_body", _("区属机构")
    OTHER = "other", _("其他单位")
    # An organ outside the district (国务院, a ministry, 北京市人民政府 …) whose documents the library holds; outside
    # the district tree, never a district picker's choice, never the result of resolving a district name.
    EXTERNAL = "external", _("外部机关")


class DepartmentQuerySet(models.QuerySet):
    def district(self):
        """The district's own departments (everything but external organs)."""
        return self.exclude(kind=DepartmentKind.EXTERNAL)

    def external(self):
        return self.filter(kind=DepartmentKind.EXTERNAL)

    def active(self):
        """Active district departments: what every district picker offers (external organs are not among them)."""
        return self.filter(is_active=True).district()


class Department(models.Model):
    """A department of the district (委办局, 街道, 区属机构 …) in a tree under the district government."""

    name = models.CharField(_("全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    name_en = models.CharField(
        _("英文名称"),
        max_length=200,
        blank=True,
        help_text=_("英文版网站上显示；留空则显示中文名称"),
    )
    code = models.CharField(
        _("机构代码"),
        max_length=20,
        unique=True,
        help_text=_("用于生成索引号的部门代码，只含大写字母和数字"),
    )
    kind = models.CharField(
        _("类型"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.BUREAU
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("其他写法，例如 区发改委"))
    makes_policy = models.BooleanField(_("政策制定部门"), default=True)
    head_name = models.CharField(_("主要负责人"), max_length=50, blank=True, help_text=_("第一解读人"))
    email = models.EmailField(_("通知邮箱"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .departments import clear_department_cache

        clear_department_cache()

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_external(self) -> bool:
        return self.kind == DepartmentKind.EXTERNAL

    def public_name(self, language: str | None = None) -> str:
        """The name the public site shows: the English name on English pages when there is one."""
        from django.utils import translation

        if (language or translation.get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def all_names(self) -> list[str]:
        return [n for n in [self.name, self.short_name, *self.aliases] if n]


class User(AbstractUser):
    """A member of staff. Public visitors have no account."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self):
        full = f"{self.last_name}{self.first_name}".strip()
        return full or self.username

    def has_role(self, *roles: str) -> bool:
        from .roles import user_has_role

        return user_has_role(self, *roles)


class AuditEntryQuerySet(ScopedQuerySet):
    # A department sees the entries about its own records, and everyone sees what they did themselves.
    owner_paths = ("department",)

    def personal_q(self, user):
        return models.Q(actor=user)


class AuditEntry(models.Model):
    """One state change: who, when, what, before and after. Written by the action functions only."""

    # Not content other records link to: keep it out of Wagtail's reference index (a task per save otherwise).
    wagtail_reference_index_ignore = True

    timestamp = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class NotificationQuerySet(ScopedQuerySet):
    # An inbox: a user's own messages and their department's. Administrators see every inbox (support).
    owner_paths = ("department",)

    def sees_everything(self, user, action):
        from .roles import ADMINISTRATOR, user_has_role

        return user_has_role(user, ADMINISTRATOR)

    def personal_q(self, user):
        return models.Q(recipient=user)

    def unread(self):
        return self.filter(read_at=None)


class Notification(models.Model):
    """A message in a user's or a department's in-admin inbox (站内信)."""

    wagtail_reference_index_ignore = True

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收件人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("收件部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    # A stable key makes sending idempotent: the same key is never sent twice.
    dedup_key = models.CharField(_("去重键"), max_length=200, unique=True, null=True, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return self.link or reverse("wagtailadmin_home")


class Counter(models.Model):
    """A named sequence (索引号 per department and year, request tracking numbers per year …)."""

    key = models.CharField(max_length=100, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")

    def __str__(self):
        return f"{self.key}={self.value}"


class CalendarSource(models.TextChoices):
    CHINESE_CALENDAR = "chinese_calendar", _("chinese-calendar 软件包")
    MANUAL = "manual", _("管理员录入")


class CalendarYear(models.Model):
    """A year the working-day calendar covers. Without its row, asking about a day of that year raises
    `CalendarNotCovered`: the system never assumes Monday-to-Friday (see docs/calendar.md)."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("来源"), max_length=20, choices=CalendarSource.choices, default=CalendarSource.MANUAL
    )
    notice = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("例如 国务院办公厅关于2027年部分节假日安排的通知")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")

    def __str__(self):
        return f"{self.year}年"


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班日")


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday rule inside a covered year: a holiday on a weekday (or a weekend
    day that belongs to a holiday), or a weekend day that is worked (调休)."""

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("例如 春节、国庆节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def save(self, *args, **kwargs):
        if self.date and not self.calendar_year_id:
            self.calendar_year, _created = CalendarYear.objects.get_or_create(year=self.date.year)
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.date and self.calendar_year_id and self.date.year != self.calendar_year.year:
            raise ValidationError({"date": _("日期不在所选年度内")})


class ContentGeneration(models.Model):
    """One row: a random token that changes, in the same transaction, with every change of the public content
    (see `gongkai.core.pagecache`). Cached public pages are keyed by it, so every server process sees a
    publication at once."""

    token = models.BigIntegerField()
    changed_at = models.FloatField(help_text="Unix time of the last change")

    class Meta:
        verbose_name = _("公开内容版本")
        verbose_name_plural = _("公开内容版本")

    def __str__(self):
        return str(self.token)


class PublicFile(models.Model):
    """A public copy of a stored file, kept while the record it belongs to is public (see `core/storage.py`).

    Every uploaded file lives in the private storage; when its record becomes public (a published 主动公开 policy,
    a published interpretation) `sync_public_files` copies it to the public storage under an unguessable name and
    writes this row; when the record stops being public the row and the copy are removed. The public media view
    serves only names that have a row here."""

    wagtail_reference_index_ignore = True

    source_name = models.CharField(_("私有存储中的文件"), max_length=500, unique=True)
    public_name = models.CharField(_("公开存储中的文件"), max_length=200, unique=True)
    owner_type = models.CharField(_("所属记录类型"), max_length=100)
    owner_id = models.CharField(_("所属记录编号"), max_length=64)
    download_name = models.CharField(_("下载文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    published_at = models.DateTimeField(_("公开时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公开文件")
        verbose_name_plural = _("公开文件")
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self):
        return self.download_name
