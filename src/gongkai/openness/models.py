"""The 政府信息公开 column (issue 16 item 4): entries of the statutory proactive categories and the 制度, each
department's 全清单, the 权责清单 with its change history, public institutions, the 政府公报, and the site settings
(指南 office data and the standard footer identifiers). Legal rules: `basis.py`, `completeness.py`, `gazette.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from gongkai.core.models import Department
from gongkai.core.scoping import ScopedQuerySet
from gongkai.core.storage import private_storage

from .basis import Category


class DepartmentScoped(ScopedQuerySet):
    owner_paths = ("department",)


# --- site settings ----------------------------------------------------------------------------------------------


@register_setting(icon="site")
class OpennessSettings(BaseGenericSetting):
    """政府信息公开指南 office data (条例 Art. 12) and the standard footer identifiers of a government website
    (《政府网站发展指引》国办发〔2017〕47号: 主办单位, 网站标识码, ICP备案号, 公安机关备案号, 找错)."""

    office_name = models.CharField(_("政府信息公开工作机构"), max_length=100, blank=True)
    office_address = models.CharField(_("办公地址"), max_length=200, blank=True)
    office_postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    office_phone = models.CharField(_("联系电话"), max_length=100, blank=True)
    office_fax = models.CharField(_("传真号码"), max_length=100, blank=True)
    office_email = models.EmailField(_("电子邮箱"), blank=True)
    reading_room = models.CharField(
        _("政府信息查阅场所"), max_length=300, blank=True, help_text=_("条例第二十五条")
    )
    sponsor = models.CharField(_("主办单位"), max_length=100, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=50, blank=True)
    police_number = models.CharField(_("公安机关备案号"), max_length=50, blank=True)
    police_url = models.URLField(_("公安机关备案查询链接"), blank=True)
    error_report_url = models.URLField(
        _("“我为政府网站找错”链接"), blank=True, help_text=_("全国政府网站统一的找错平台地址，含本网站标识码")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政务公开专栏和网站标识")

    @classmethod
    def current(cls) -> OpennessSettings:
        """The settings for reading on a public page. Unlike `load()` this never creates the row: a write on a
        page view would mark the public content as changed (core/pagecache.py) and empty the page cache."""
        return cls.objects.first() or cls()


# --- entries: 制度 and the statutory proactive categories ----------------------------------------------------


class EntrySection(models.TextChoices):
    RULES = "rules", _("政府信息公开制度")
    PROACTIVE = "proactive", _("法定主动公开内容")


class Entry(models.Model):
    """One published item of the column: a 制度 or an item of a statutory category (条例 Art. 20)."""

    department = models.ForeignKey(
        Department, verbose_name=_("公开部门"), on_delete=models.PROTECT, related_name="+"
    )
    section = models.CharField(_("栏目"), max_length=20, choices=EntrySection.choices, default="proactive")
    category = models.CharField(
        _("主动公开类别"), max_length=20, choices=Category.choices, blank=True,
        help_text=_("法定主动公开内容须选择类别；制度可不选"),
    )  # fmt: skip
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.URLField(_("链接（内容在其他页面时）"), blank=True, max_length=500)
    published_on = models.DateField(_("公开日期"), default=timezone.localdate)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DepartmentScoped.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("专栏公开内容")
        verbose_name_plural = _("专栏公开内容")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("openness:entry", args=[self.pk])


# --- 全清单 ------------------------------------------------------------------------------------------------------


class Frequency(models.TextChoices):
    ON_CHANGE = "on_change", _("形成或变更后公开")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    ANNUAL = "annual", _("每年")


class ListItem(models.Model):
    """An item of a department's 政务公开全清单: what it must publish, on what basis, when and where."""

    department = models.ForeignKey(
        Department, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("公开类别"), max_length=20, choices=Category.choices)
    name = models.CharField(_("公开事项"), max_length=200)
    content = models.TextField(_("公开内容（要素）"), blank=True)
    basis = models.TextField(_("公开依据"))
    timing = models.CharField(
        _("公开时限"), max_length=200, help_text=_("如：信息形成或变更之日起20个工作日内")
    )
    frequency = models.CharField(
        _("更新方式"), max_length=20, choices=Frequency.choices, default=Frequency.ON_CHANGE,
        help_text=_("完整性检查据此计算应公开日期"),
    )  # fmt: skip
    channel = models.CharField(_("公开渠道"), max_length=200, default="区政府网站")
    changed_on = models.DateField(
        _("信息最近形成或变更日期"), null=True, blank=True, help_text=_("“形成或变更后公开”的事项填写")
    )
    last_published_on = models.DateField(_("最近公开日期"), null=True, blank=True)
    last_published_url = models.URLField(_("最近公开的链接"), blank=True, max_length=500)
    active = models.BooleanField(_("在清单中"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DepartmentScoped.as_manager()

    class Meta:
        ordering = ["department__sort_order", "department__name", "category", "name"]
        verbose_name = _("全清单事项")
        verbose_name_plural = _("政务公开全清单")

    def __str__(self):
        return self.name


# --- 权责清单 ----------------------------------------------------------------------------------------------------


class PowerKind(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")
    LEVY = "levy", _("行政征收")
    PAYMENT = "payment", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    REWARD = "reward", _("行政奖励")
    RULING = "ruling", _("行政裁决")
    OTHER = "other", _("其他行政权力")


class PowerStatus(models.TextChoices):
    IN_FORCE = "in_force", _("实施中")
    ABOLISHED = "abolished", _("已取消")


class PowerItem(models.Model):
    """An item of the 权责清单: a power, its legal basis and the department responsible for it."""

    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField(_("事项编码"), max_length=50, blank=True)
    kind = models.CharField(_("职权类别"), max_length=20, choices=PowerKind.choices)
    name = models.CharField(_("事项名称"), max_length=200)
    basis = models.TextField(_("设定依据"))
    responsibilities = models.TextField(_("责任事项"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=PowerStatus.choices, default=PowerStatus.IN_FORCE
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DepartmentScoped.as_manager()

    class Meta:
        ordering = ["department__sort_order", "department__name", "kind", "name"]
        verbose_name = _("权责清单事项")
        verbose_name_plural = _("权责清单")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("openness:power", args=[self.pk])


class PowerChangeQuerySet(ScopedQuerySet):
    owner_paths = ("item__department",)


class PowerChange(models.Model):
    """One change of a 权责清单 item, shown on the public page (who changed it is kept in the audit log only)."""

    item = models.ForeignKey(PowerItem, on_delete=models.CASCADE, related_name="changes")
    version = models.PositiveIntegerField(_("版本"))
    changed_on = models.DateField(_("调整日期"))
    summary = models.CharField(_("调整内容"), max_length=300)
    reason = models.TextField(_("调整理由"))
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PowerChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]
        verbose_name = _("权责清单调整记录")
        verbose_name_plural = _("权责清单调整记录")
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="openness_power_change_version")
        ]

    def __str__(self):
        return f"{self.item} v{self.version}"


# --- public institutions (条例 Art. 55) ---------------------------------------------------------------------------


class Sector(models.TextChoices):
    EDUCATION = "education", _("教育")
    HEALTH = "health", _("卫生健康")
    WATER = "water", _("供水")
    POWER = "power", _("供电")
    GAS = "gas", _("供气")
    HEATING = "heating", _("供热")
    ENVIRONMENT = "environment", _("环境保护")
    TRANSPORT = "transport", _("公共交通")
    OTHER = "other", _("其他")


class Institution(models.Model):
    """A public institution (公共企事业单位) and what it publishes: basic information, services, guides."""

    department = models.ForeignKey(
        Department, verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("单位名称"), max_length=200)
    sector = models.CharField(_("行业领域"), max_length=20, choices=Sector.choices)
    basic_info = models.TextField(_("基本信息"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("服务电话"), max_length=100, blank=True)
    hours = models.CharField(_("服务时间"), max_length=200, blank=True)
    website = models.URLField(_("网站"), blank=True)
    services = models.TextField(_("服务目录"), blank=True, help_text=_("每行一项服务"))
    guide = models.TextField(_("办事指南"), blank=True, help_text=_("办理条件、材料、流程、时限、收费等"))
    complaint = models.CharField(
        _("申诉渠道"),
        max_length=200,
        blank=True,
        help_text=_("未依规定公开信息时向主管部门申诉（条例第五十五条）"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DepartmentScoped.as_manager()

    class Meta:
        ordering = ["sector", "name"]
        verbose_name = _("公共企事业单位")
        verbose_name_plural = _("公共企事业单位")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("openness:institution", args=[self.pk])

    @property
    def service_lines(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]


# --- 政府公报 -----------------------------------------------------------------------------------------------------


class GazetteQuerySet(ScopedQuerySet):
    """The gazette is compiled by the district (openness office); departments do not edit it."""

    owner_paths = ()

    def owns_new(self, user, obj) -> bool:
        return user is None or self.sees_everything(user, "change")


class GazetteStatus(models.TextChoices):
    DRAFT = "draft", _("编辑中")
    PUBLISHED = "published", _("已发布")


class GazetteIssue(models.Model):
    """An issue of the 政府公报; its number in the year is given when it is published and never changes."""

    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("期号"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=GazetteStatus.choices, default=GazetteStatus.DRAFT, editable=False
    )
    published_on = models.DateField(_("出版日期"), null=True, blank=True, editable=False)
    pages = models.PositiveIntegerField(_("页数"), default=0, editable=False)
    # Laid out once when the issue is published (a long issue takes seconds to set), served by `views.gazette_pdf`
    # while the issue is published; private storage like every file field (house rule 11).
    # Never uploaded (so no upload validator): laid out by the system at publication, like the disclosure replies.
    pdf = models.FileField(
        _("PDF"), upload_to="gazette/", storage=private_storage, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = GazetteQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number", "-id"]
        verbose_name = _("政府公报")
        verbose_name_plural = _("政府公报")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="openness_gazette_year_number")
        ]

    def __str__(self):
        return self.citation

    def get_absolute_url(self):
        return reverse("openness:gazette_issue", args=[self.year, self.number])

    @property
    def citation(self) -> str:
        from .gazette import citation

        return citation(self)


class GazetteItem(models.Model):
    """A document in an issue, with its item number and first page. The text is copied when the issue is
    published, so the issue stays as printed when the policy is later edited."""

    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("条目号"))
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=300, blank=True)
    doc_number = models.CharField(_("发文字号"), max_length=80, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=200, blank=True)
    publish_date = models.DateField(_("发布日期"), null=True, blank=True)
    body = models.TextField(_("正文"), blank=True)
    page = models.PositiveIntegerField(_("起始页码"), null=True, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("公报条目")
        constraints = [
            models.UniqueConstraint(fields=["issue", "position"], name="openness_gazette_item_position")
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"
