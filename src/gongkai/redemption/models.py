"""Policy redemption (政策兑现): the tag library, redemption items as rule units with their condition trees,
enterprise datasets, 免申即享 runs and their beneficiary lists, sandbox runs, the city-platform feed,
subscriptions, usage counts and policy evaluations."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.scoping import ScopedQuerySet
from gongkai.core.uploads import UploadValidator, register_upload_kind
from gongkai.policies.models import Policy

from .uploads import dataset_storage, dataset_upload_to, validate_dataset_upload

register_upload_kind(
    "redemption.dataset",
    label=_("企业数据集"),
    types=["xlsx", "csv"],
    max_bytes=settings.GONGKAI_MAX_DATASET_BYTES,
)


class RulesVersion(models.Model):
    """One row: changes whenever anything matching depends on changes (items, conditions, tags). Processes key
    their caches on `token`, a random value written by every change, so a cache never outlives the data it was
    built from, in any process (house rule 13)."""

    wagtail_reference_index_ignore = True

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("匹配规则版本")

    def __str__(self):
        return self.token


# --- the tag library (标签库) -----------------------------------------------------------------------------------


class Dimension(models.TextChoices):
    """The dimensions of the one tag library (24:二(四)2 全市统一权威的政策标签库)."""

    INDUSTRY = "industry", _("行业")
    SIZE = "size", _("企业规模")
    QUALIFICATION = "qualification", _("资质")
    AREA = "area", _("区域")
    AUTHORITY = "authority", _("主管部门")
    SUPPORT = "support", _("支持方式")
    TARGET = "target", _("对象")
    DELIVERY = "delivery", _("兑现方式")


class TagStatus(models.TextChoices):
    ACTIVE = "active", _("使用中")
    RETIRED = "retired", _("已停用")


class TagValueQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=TagStatus.ACTIVE)

    def of(self, dimension):
        return self.filter(dimension=dimension)


class TagValue(models.Model):
    """One value of a dimension: a code, a name, synonyms and (through the audit log) a history. A retired value
    points to the value that replaced it; retiring moves every use to the replacement
    (`actions.retire_tag_value`)."""

    dimension = models.CharField(_("维度"), max_length=20, choices=Dimension.choices, db_index=True)
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    synonyms = models.JSONField(_("同义词"), default=list, blank=True, help_text=_("其他写法，每行一个"))
    description = models.TextField(_("说明"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("对应部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tag_values",
        help_text=_("区域（街道）和主管部门的值对应的部门"),
    )
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("例如 GB/T 4754-2017"))
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    locked = models.BooleanField(
        _("系统值"), default=False, help_text=_("程序依赖的值（如免申即享），不能停用或改代码")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=TagStatus.choices, default=TagStatus.ACTIVE, db_index=True
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代值"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = TagValueQuerySet.as_manager()

    class Meta:
        ordering = ["dimension", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="redemption_tag_code_unique")
        ]
        verbose_name = _("标签")
        verbose_name_plural = _("标签库")

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == TagStatus.ACTIVE

    @property
    def label(self) -> str:
        if self.dimension == Dimension.INDUSTRY:
            from .industry import label_of

            return label_of(self.code) or self.name
        return self.name

    def all_names(self) -> list[str]:
        return [n for n in [self.name, self.code, *self.synonyms] if n]


# --- redemption items (兑现事项) ---------------------------------------------------------------------------------


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤下")
    LAPSED = "lapsed", _("已失效")


class AmountKind(models.TextChoices):
    NONE = "none", _("不涉及资金或无法测算")
    FIXED = "fixed", _("定额（万元/户）")
    RATIO = "ratio", _("按比例（%）")


class ItemQuerySet(ScopedQuerySet):
    # The scoping rule (core/scoping.py): the responsible department (主管部门) and the department that drafted
    # the policy (起草部门, the owner of the policy) see and change an item; district-wide roles see all.
    owner_paths = ("department", "policy__drafting_department")

    def public(self):
        """Published items of published, proactively disclosed policies (in force or not)."""
        return self.filter(status=ItemStatus.PUBLISHED, policy__live=True, policy__disclosure="proactive")

    def current(self, on=None):
        """What enterprises are matched against: public items of policies in force whose application period
        has not ended."""
        on = on or timezone.localdate()
        return (
            self.public()
            .filter(policy__validity__in=CURRENT_VALIDITY)
            .filter(models.Q(apply_end__isnull=True) | models.Q(apply_end__gte=on))
        )


# The validity states in which a policy's items are offered (尚未生效 ones are shown with their start date).
CURRENT_VALIDITY = ("valid", "amended", "not_yet_effective")


class RedemptionItem(models.Model):
    """A redemption item (兑现事项) of a 兑现办事 policy: its core elements and its conditions as a rule unit
    (可理解、可执行、可核验的规则单元)."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("所属政策"), on_delete=models.PROTECT, related_name="redemption_items"
    )
    code = models.CharField(_("事项编码"), max_length=60, unique=True, blank=True, editable=False)
    title = models.CharField(_("事项名称"), max_length=200)
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="redemption_items",
    )
    summary = models.TextField(_("事项简介"), blank=True)
    # The core elements (24:二(四)1 明确政策核心要素), per item.
    conditions_text = models.TextField(_("申报条件"), blank=True)
    support_standard = models.TextField(_("支持标准"), blank=True)
    application_period = models.CharField(
        _("申报时间"), max_length=200, blank=True, help_text=_("例如 每年3月1日至4月30日；常年受理")
    )
    apply_start = models.DateField(_("申报开始日期"), null=True, blank=True)
    apply_end = models.DateField(_("申报截止日期"), null=True, blank=True)
    materials = models.TextField(_("申报材料"), blank=True)
    handling_office = models.CharField(_("受理部门"), max_length=200, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    # What one qualifying enterprise receives, for 免申即享 amounts and the sandbox's cost estimate.
    amount_kind = models.CharField(
        _("兑现金额计算方式"), max_length=10, choices=AmountKind.choices, default=AmountKind.NONE
    )
    amount_value = models.DecimalField(
        _("金额或比例"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("定额：万元/户；按比例：百分数，例如 10 表示 10%"),
    )
    amount_base = models.CharField(
        _("比例的计算基数"),
        max_length=30,
        blank=True,
        help_text=_("按比例计算时所依据的企业数据，例如 上年度研发费用"),
    )
    amount_cap = models.DecimalField(
        _("单户上限（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    budget = models.DecimalField(
        _("资金预算（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    tags = models.ManyToManyField(TagValue, verbose_name=_("标签"), blank=True, related_name="items")
    status = models.CharField(
        _("状态"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT, db_index=True
    )
    status_note = models.CharField(_("状态说明"), max_length=300, blank=True)
    # Bumped by every change of the item or its conditions: matching recompiles only the items that changed.
    revision = models.PositiveIntegerField(default=0, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("撤下/失效时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("兑现事项")
        verbose_name_plural = _("兑现事项")
        indexes = [models.Index(fields=["status", "apply_end"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("redemption:item_detail", args=[self.code])

    @property
    def is_public(self) -> bool:
        return self.status == ItemStatus.PUBLISHED and self.policy.is_public

    def tags_of(self, dimension) -> list[TagValue]:
        return [t for t in self.tags.all() if t.dimension == dimension]

    @property
    def is_no_application(self) -> bool:
        """免申即享: the department finds the beneficiaries from its data; nobody applies."""
        from .tags import NO_APPLICATION

        return any(t.code == NO_APPLICATION and t.dimension == Dimension.DELIVERY for t in self.tags.all())

    def element_rows(self) -> list[tuple[str, str]]:
        names = [
            "conditions_text",
            "support_standard",
            "application_period",
            "materials",
            "handling_office",
            "contact",
        ]
        return [(str(self._meta.get_field(n).verbose_name), getattr(self, n)) for n in names]

    def root_condition(self):
        return self.conditions.filter(parent__isnull=True).first()


class NodeKind(models.TextChoices):
    ALL = "all", _("同时满足（并且）")
    ANY = "any", _("满足其一（或者）")
    FACT = "fact", _("条件")


class Condition(models.Model):
    """A node of an item's condition tree: a group (AND / OR) or one machine-checkable condition on a fact,
    linked to the clause it comes from (article and sentence of the policy). The root of every item's tree is a
    group without a parent."""

    item = models.ForeignKey(RedemptionItem, on_delete=models.CASCADE, related_name="conditions")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属条件组"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField(_("类型"), max_length=5, choices=NodeKind.choices, default=NodeKind.FACT)
    fact = models.CharField(_("企业信息"), max_length=30, blank=True)
    op = models.CharField(_("比较方式"), max_length=20, blank=True)
    value = models.JSONField(_("要求"), null=True, blank=True)
    text = models.CharField(_("条件表述"), max_length=300, blank=True, help_text=_("留空则自动生成"))
    clause_article = models.CharField(_("条款"), max_length=50, blank=True, help_text=_("例如 第三条（二）"))
    clause_text = models.TextField(_("条款原文"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "sort_order", "id"]
        verbose_name = _("兑现条件")
        verbose_name_plural = _("兑现条件")

    def __str__(self):
        if self.kind != NodeKind.FACT:
            return self.get_kind_display()
        return self.text or self.fact

    @property
    def is_group(self) -> bool:
        return self.kind in (NodeKind.ALL, NodeKind.ANY)

    @property
    def clause(self) -> str:
        if not (self.clause_article or self.clause_text):
            return ""
        if self.clause_article and self.clause_text:
            return f"{self.clause_article}：{self.clause_text}"
        return self.clause_article or self.clause_text


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    ACCEPTED = "accepted", _("已采纳")
    DISMISSED = "dismissed", _("已忽略")


class ConditionSuggestion(models.Model):
    """A condition the system read from the clause text; it becomes a condition only when staff confirm it."""

    item = models.ForeignKey(RedemptionItem, on_delete=models.CASCADE, related_name="suggestions")
    fact = models.CharField(_("企业信息"), max_length=30)
    op = models.CharField(_("比较方式"), max_length=20)
    value = models.JSONField(_("要求"), null=True, blank=True)
    text = models.CharField(_("条件表述"), max_length=300)
    matched_text = models.CharField(_("识别依据"), max_length=300)
    clause_article = models.CharField(_("条款"), max_length=50, blank=True)
    clause_text = models.TextField(_("条款原文"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    condition = models.ForeignKey(
        Condition, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("条件建议")
        verbose_name_plural = _("条件建议")

    def __str__(self):
        return self.text


# --- enterprise data, 免申即享 and the sandbox ---------------------------------------------------------------------


class DatasetQuerySet(ScopedQuerySet):
    # Enterprise data stays in the department that loaded it; the openness office and administrators see every
    # department's (the pre-release reviewers see only the sandbox figures, never the rows).
    owner_paths = ("department",)

    def sees_everything(self, user, action):
        from gongkai.core.roles import ADMINISTRATOR, OPENNESS_OFFICE, user_has_role

        return bool(user.is_superuser or user_has_role(user, OPENNESS_OFFICE, ADMINISTRATOR))


class EnterpriseDataset(models.Model):
    """An uploaded table of enterprises and their facts (.xlsx or .csv), held in private storage."""

    title = models.CharField(_("名称"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="enterprise_datasets"
    )
    source = models.CharField(
        _("数据来源"), max_length=200, blank=True, help_text=_("例如 区市场监管局登记数据、区税务局共享数据")
    )
    as_of = models.DateField(_("数据截至日期"), null=True, blank=True)
    file = models.FileField(
        _("文件"),
        upload_to=dataset_upload_to,
        storage=dataset_storage,
        validators=[UploadValidator("redemption.dataset"), validate_dataset_upload],
        blank=True,
    )
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("企业数"), default=0)
    error_count = models.PositiveIntegerField(_("有误行数"), default=0)
    errors = models.JSONField(_("有误的行"), default=list, blank=True)
    columns = models.JSONField(_("识别的列"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("企业数据集")
        verbose_name_plural = _("企业数据集")

    def __str__(self):
        return self.title


class EnterpriseRecord(models.Model):
    """One enterprise of a dataset with its facts (normalised: tag codes, numbers, ISO dates)."""

    dataset = models.ForeignKey(EnterpriseDataset, on_delete=models.CASCADE, related_name="records")
    row_number = models.PositiveIntegerField(_("行号"))
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    name = models.CharField(_("名称"), max_length=200)
    is_individual = models.BooleanField(
        _("个体工商户/自然人"), default=False, help_text=_("名称属于个人信息，公布时隐去")
    )
    facts = models.JSONField(_("企业信息"), default=dict)

    class Meta:
        ordering = ["dataset", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "credit_code"], name="redemption_record_code_unique")
        ]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self):
        return self.name


class RunStatus(models.TextChoices):
    SCREENED = "screened", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    PUBLISHED = "published", _("已公布")
    CANCELLED = "cancelled", _("已作废")


class NoApplicationRun(models.Model):
    """A 免申即享 batch: one item screened against one dataset; the office confirms the beneficiaries, then the
    list (without personal data) is published and can be exported."""

    item = models.ForeignKey(
        RedemptionItem,
        verbose_name=_("兑现事项"),
        on_delete=models.PROTECT,
        related_name="no_application_runs",
    )
    dataset = models.ForeignKey(
        EnterpriseDataset, verbose_name=_("企业数据集"), on_delete=models.PROTECT, related_name="runs"
    )
    title = models.CharField(_("批次名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=RunStatus.choices, default=RunStatus.SCREENED)
    as_of = models.DateField(_("判断日期"))
    eligible_count = models.PositiveIntegerField(_("符合条件"), default=0)
    unknown_count = models.PositiveIntegerField(_("信息不全待核实"), default=0)
    not_eligible_count = models.PositiveIntegerField(_("不符合条件"), default=0)
    total_amount = models.DecimalField(_("兑现总金额（万元）"), max_digits=16, decimal_places=2, default=0)
    rule_snapshot = models.JSONField(_("判断所用条件"), default=list)
    note = models.TextField(_("说明"), blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    screened_at = models.DateTimeField(_("筛选时间"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    class Meta:
        ordering = ["-screened_at", "-id"]
        verbose_name = _("免申即享批次")
        verbose_name_plural = _("免申即享批次")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("redemption:no_application_detail", args=[self.pk])

    @property
    def department(self):
        return self.item.department


class BeneficiaryResult(models.TextChoices):
    ELIGIBLE = "eligible", _("符合条件")
    UNKNOWN = "unknown", _("信息不全待核实")


class Beneficiary(models.Model):
    """An enterprise found by a 免申即享 run. Eligible ones are included by default; unknown ones only when the
    office has verified them; either can be excluded with a reason."""

    run = models.ForeignKey(NoApplicationRun, on_delete=models.CASCADE, related_name="beneficiaries")
    record = models.ForeignKey(
        EnterpriseRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    name = models.CharField(_("名称"), max_length=200)
    public_name = models.CharField(_("公布名称"), max_length=200)
    is_individual = models.BooleanField(_("个体工商户/自然人"), default=False)
    result = models.CharField(_("判断结果"), max_length=10, choices=BeneficiaryResult.choices)
    amount = models.DecimalField(
        _("兑现金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    explanation = models.JSONField(_("逐条说明"), default=list)
    included = models.BooleanField(_("列入名单"), default=True)
    decision_note = models.CharField(_("核实说明"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["run", "result", "-amount", "id"]
        verbose_name = _("受益企业")
        verbose_name_plural = _("受益企业")

    def __str__(self):
        return self.name


class SandboxRun(models.Model):
    """政策沙盘: a draft item's conditions run against a dataset before release — how many enterprises would
    qualify, the estimated cost, and how a threshold changes both. Shown to the 区财政局 reviewer."""

    item = models.ForeignKey(
        RedemptionItem, verbose_name=_("兑现事项"), on_delete=models.CASCADE, related_name="sandbox_runs"
    )
    dataset = models.ForeignKey(
        EnterpriseDataset,
        verbose_name=_("企业数据集"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dataset_title = models.CharField(_("数据集"), max_length=200)
    result = models.JSONField(_("测算结果"), default=dict)
    note = models.TextField(_("测算说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("测算时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("政策沙盘测算")
        verbose_name_plural = _("政策沙盘测算")

    def __str__(self):
        return f"{self.item} · {self.created_at:%Y-%m-%d %H:%M}"


# --- the city-platform feed (报送“京策”/政策兑现专区) -----------------------------------------------------------------


class FeedOp(models.TextChoices):
    UPSERT = "upsert", _("新增或更新")
    DELETE = "delete", _("删除")


class FeedEntry(models.Model):
    """One change of a published item, in order: the feed a platform like 京策 pulls (`GET
    /api/v1/redemption/feed?since=`). Deletions (withdrawn, lapsed) are entries too."""

    wagtail_reference_index_ignore = True

    item = models.ForeignKey(
        RedemptionItem, null=True, on_delete=models.SET_NULL, related_name="feed_entries"
    )
    item_code = models.CharField(max_length=60, db_index=True)
    op = models.CharField(max_length=10, choices=FeedOp.choices)
    reason = models.CharField(max_length=30)
    at = models.DateTimeField(default=timezone.now)
    document = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("报送记录")
        verbose_name_plural = _("报送记录")

    def __str__(self):
        return f"{self.pk} {self.op} {self.item_code}"


# --- enterprises: subscriptions and match counts ------------------------------------------------------------


class Subscription(models.Model):
    """An enterprise's saved profile and e-mail: it is told of new items it qualifies for. Confirmed by a link
    sent to the address; managed and cancelled through a private link (no account needed)."""

    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    email = models.EmailField(_("电子邮箱"))
    facts = models.JSONField(_("企业信息"), default=dict)
    token = models.CharField(max_length=64, unique=True, editable=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("订阅时间"), default=timezone.now)
    last_notified_at = models.DateTimeField(_("最近通知"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("政策订阅")
        verbose_name_plural = _("政策订阅")

    def __str__(self):
        return self.enterprise_name

    def save(self, *args, **kwargs):
        if not self.token:
            self.token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("redemption:subscription", args=[self.token])

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.cancelled_at is None


class SubscriptionNotice(models.Model):
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    item = models.ForeignKey(RedemptionItem, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "item"], name="redemption_notice_once")
        ]

    def __str__(self):
        return f"{self.subscription_id}:{self.item_id}"


class MatchSource(models.TextChoices):
    PORTAL = "portal", _("网站")
    API = "api", _("接口")
    CLI = "cli", _("命令行")
    SUBSCRIPTION = "subscription", _("订阅")


class MatchLog(models.Model):
    """One matching request, for the usage figures of the evaluation: which items it found. No profile is kept."""

    wagtail_reference_index_ignore = True

    at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=20, choices=MatchSource.choices)
    eligible_items = models.JSONField(default=list)
    unknown_items = models.JSONField(default=list)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.source}"


class UsageKind(models.TextChoices):
    PAGE_VIEW = "page_view", _("页面浏览")
    SEARCH_VISIT = "search_visit", _("检索后访问")
    ITEM_VIEW = "item_view", _("兑现事项浏览")


class UsageCount(models.Model):
    """Daily counts per policy (page views, visits from a search result, item views)."""

    wagtail_reference_index_ignore = True

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=UsageKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["policy", "day", "kind"], name="redemption_usage_unique")
        ]

    def __str__(self):
        return f"{self.policy_id} {self.day} {self.kind}={self.count}"


class ItemStatistic(models.Model):
    """Applications and amounts of one item in one year (entered by the department or taken from 京策)."""

    item = models.ForeignKey(
        RedemptionItem, verbose_name=_("兑现事项"), on_delete=models.CASCADE, related_name="statistics"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    applications = models.PositiveIntegerField(_("申报（受理）数"), default=0)
    approved = models.PositiveIntegerField(_("兑现企业数"), default=0)
    amount = models.DecimalField(_("兑现金额（万元）"), max_digits=16, decimal_places=2, default=0)
    source = models.CharField(_("数据来源"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "-year"]
        constraints = [models.UniqueConstraint(fields=["item", "year"], name="redemption_statistic_unique")]
        verbose_name = _("兑现情况统计")
        verbose_name_plural = _("兑现情况统计")

    def __str__(self):
        return f"{self.item} {self.year}"


# --- policy evaluation (政策评价) ----------------------------------------------------------------------------------


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SUBMITTED = "submitted", _("待审定")
    APPROVED = "approved", _("已审定")
    PUBLISHED = "published", _("已公开")


class EvaluationQuerySet(ScopedQuerySet):
    # The department that evaluates its policy sees and changes the evaluation; district-wide roles see all.
    owner_paths = ("department",)

    def public(self):
        return self.filter(status=EvaluationStatus.PUBLISHED)


class Evaluation(models.Model):
    """A yearly evaluation of a key policy (23:二(五)1-2, 24:二(四)3): usage figures and survey results
    collected by the system, the department's findings in the sections of the report template, approved and
    published; findings can open a revision or a clean-up."""

    # The report's sections (23:二(五)1 围绕执行标准、适用范围、使用情况、取得成效、存在问题), in order.
    SECTIONS = ("standards", "scope", "usage_text", "effects", "problems", "conclusions")

    policy = models.ForeignKey(
        Policy, verbose_name=_("评价的政策"), on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("评价年度"))
    department = models.ForeignKey(
        Department, verbose_name=_("评价部门"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("报告标题"), max_length=300)
    methods = models.JSONField(_("评价方式"), default=list, blank=True)
    standards = models.TextField(_("执行标准"), blank=True)
    scope = models.TextField(_("适用范围"), blank=True)
    usage_text = models.TextField(_("使用情况"), blank=True)
    effects = models.TextField(_("取得成效"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    conclusions = models.TextField(_("评价结论和改进建议"), blank=True)
    usage = models.JSONField(_("使用数据"), default=dict, blank=True)
    surveys = models.JSONField(_("问卷调查结果"), default=list, blank=True)
    collected_at = models.DateTimeField(_("数据采集时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    review_note = models.TextField(_("审定意见"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "year"], name="redemption_evaluation_once_a_year")
        ]
        verbose_name = _("政策评价")
        verbose_name_plural = _("政策评价")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("redemption:evaluation_detail", args=[self.pk])

    def section_rows(self) -> list[tuple[str, str]]:
        return [(str(self._meta.get_field(n).verbose_name), getattr(self, n)) for n in self.SECTIONS]

    def missing_sections(self) -> list[str]:
        return [
            str(self._meta.get_field(n).verbose_name) for n in self.SECTIONS if not getattr(self, n).strip()
        ]


class FindingAction(models.TextChoices):
    NONE = "none", _("继续执行")
    REVISE = "revise", _("启动修订")
    CLEANUP = "cleanup", _("纳入文件清理")


class EvaluationFinding(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("评价发现"))
    action = models.CharField(
        _("结果运用"), max_length=10, choices=FindingAction.choices, default=FindingAction.NONE
    )
    revision = models.ForeignKey(
        Policy, verbose_name=_("修订稿"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cleanup_campaign = models.ForeignKey(
        "policies.CleanupCampaign",
        verbose_name=_("文件清理"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("运用时间"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["evaluation", "id"]
        verbose_name = _("评价发现")
        verbose_name_plural = _("评价发现")

    def __str__(self):
        return self.text[:60]
