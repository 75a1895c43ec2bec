"""The policy library: policy records, their attachments and their relations to other policies."""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from gongkai.core.models import Department
from gongkai.core.scoping import ScopedQuerySet
from gongkai.core.uploads import UploadValidator, random_upload_to, register_upload_kind, validate_upload

# What each file field accepts (the one upload validator, gongkai/core/uploads.py).
register_upload_kind("policies.attachment", label=_("附件"), types=settings.GONGKAI_ATTACHMENT_EXTENSIONS)
register_upload_kind("policies.interpretation_image", label=_("图解图片"), types=["jpg", "png"],
                     max_bytes=20 * 1024 * 1024)  # fmt: skip
register_upload_kind(
    "policies.interpretation_media", label=_("音视频文件"), types=["mp3", "m4a", "mp4", "webm"]
)


class PolicyType(models.TextChoices):
    MACRO_PLAN = "macro_plan", _("宏观规划")
    ACTION_PLAN = "action_plan", _("计划方案")
    SERVICE = "service", _("兑现办事")


class DocumentKind(models.TextChoices):
    """文件类别 (效力级别): decided from who made a document and how — the one rule is
    `gongkai.documents.kinds.document_kind` (《立法法》, 《行政法规制定程序条例》, 《规章制定程序条例》, 国办发〔2018〕37号)."""

    LAW = "law", _("法律")
    ADMINISTRATIVE_REGULATION = "administrative_regulation", _("行政法规")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("规范性文件")
    OTHER = "other", _("其他文件")


class Validity(models.TextChoices):
    NOT_YET_EFFECTIVE = "not_yet_effective", _("尚未生效")
    VALID = "valid", _("有效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("失效")


class DisclosureAttribute(models.TextChoices):
    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class RelationKind(models.TextChoices):
    AMENDS = "amends", _("修改")
    REPEALS = "repeals", _("废止")
    IMPLEMENTS = "implements", _("贯彻落实")
    INTERPRETS = "interprets", _("解读")
    REPLACES = "replaces", _("替代（新版本）")


class Theme(models.Model):
    """主题分类: a managed taxonomy (two levels), edited by administrators."""

    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["sort_order", "id"]
        unique_together = [("parent", "name")]
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")

    def __str__(self):
        return f"{self.parent.name}/{self.name}" if self.parent_id else self.name


class PolicyQuerySet(ScopedQuerySet):
    # The scoping rule (core/scoping.py): the drafting department (起草部门) owns a policy — its staff see and
    # change it; joint issuers read it; everyone on staff reads what is public. External documents without a
    # drafting department (国务院, ministries …) are changed by district-wide roles only.
    owner_paths = ("drafting_department",)
    reader_paths = ("joint_issuers",)
    needs_distinct = True

    def everyone_q(self, user):
        return models.Q(live=True, disclosure=DisclosureAttribute.PROACTIVE)

    def public(self):
        """What anonymous visitors may see: published (live) and proactively disclosed."""
        return self.filter(live=True, disclosure=DisclosureAttribute.PROACTIVE)

    def currently_valid_normative(self):
        """现行有效行政规范性文件."""
        return self.public().filter(is_normative=True, validity__in=[Validity.VALID, Validity.AMENDED])

    def for_department(self, department):
        """Policies a department drafted, issued or co-issued (reports and lists by department)."""
        return self.filter(
            models.Q(drafting_department=department)
            | models.Q(issuer=department)
            | models.Q(joint_issuers=department)
        ).distinct()


_CHOICE_LABELS: dict = {}  # choice field -> {value: lazy label}, see Policy._get_FIELD_display


class Policy(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """A policy document (政策文件) with the metadata district sites publish."""

    index_number = models.CharField(
        _("索引号"),
        max_length=40,
        unique=True,
        blank=True,
        editable=False,
        help_text=_("系统生成：部门代码-年份-序号"),
    )
    title = models.CharField(_("标题"), max_length=300)
    doc_number = models.CharField(_("发文字号"), max_length=80, blank=True)
    issuer = models.ForeignKey(
        Department,
        verbose_name=_("发文机构"),
        on_delete=models.PROTECT,
        related_name="issued_policies",
        help_text=_("以谁的名义印发，例如以区政府名义印发的文件填“区政府”"),
    )
    drafting_department = models.ForeignKey(
        Department,
        verbose_name=_("起草部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="drafted_policies",
        help_text=_("负责起草、解读和清理的部门，权限随起草部门；外部机关的文件留空"),
    )
    joint_issuers = ParentalManyToManyField(
        Department, verbose_name=_("联合发文单位"), blank=True, related_name="joint_policies"
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policies",
    )
    policy_type = models.CharField(
        _("政策类型"),
        max_length=20,
        choices=PolicyType.choices,
        default=PolicyType.ACTION_PLAN,
        blank=True,
        help_text=_("本区政策的分类；法律、法规、规章等外部文件留空"),
    )
    document_kind = models.CharField(
        _("文件类别"),
        max_length=30,
        choices=DocumentKind.choices,
        default=DocumentKind.OTHER,
        db_index=True,
        help_text=_("法律、行政法规、地方性法规、规章、规范性文件或其他文件"),
    )
    is_normative = models.BooleanField(_("行政规范性文件"), default=False)
    written_date = models.DateField(_("成文日期"), null=True, blank=True)
    publish_date = models.DateField(_("发布日期"), null=True, blank=True)
    effective_date = models.DateField(_("实施日期"), null=True, blank=True)
    repeal_date = models.DateField(_("废止日期"), null=True, blank=True)
    validity_years = models.PositiveSmallIntegerField(
        _("有效期（年）"), null=True, blank=True, help_text=_("规范性文件有效期，一般不超过5年")
    )
    validity = models.CharField(
        _("有效性"),
        max_length=20,
        choices=Validity.choices,
        default=Validity.VALID,
        editable=False,
        db_index=True,
    )
    validity_declared = models.CharField(
        _("清理结论"),
        max_length=20,
        choices=[(Validity.EXPIRED, _("失效")), (Validity.REPEALED, _("已废止"))],
        blank=True,
        help_text=_("文件清理中宣布的失效或废止；留空则按日期和关联文件确定"),
    )
    validity_note = models.CharField(_("有效性说明"), max_length=300, blank=True)
    disclosure = models.CharField(
        _("公开属性"),
        max_length=20,
        choices=DisclosureAttribute.choices,
        default=DisclosureAttribute.PROACTIVE,
    )
    disclosure_reason = models.TextField(_("不公开理由及依据"), blank=True)
    needs_legality_review = models.BooleanField(
        _("需合法性审核"), default=False, help_text=_("勾选后，前置审核同步报送区司法局进行合法性审核")
    )
    # 兑现办事 policies: the redemption elements an applicant needs (24:二(四)1), checked before release.
    service_conditions = models.TextField(_("申报条件"), blank=True)
    support_standard = models.TextField(_("支持标准"), blank=True)
    application_period = models.CharField(_("申报期限"), max_length=200, blank=True)
    application_materials = models.TextField(_("申报材料"), blank=True)
    handling_office = models.CharField(_("受理部门"), max_length=200, blank=True)
    contact = models.CharField(_("咨询电话"), max_length=200, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    # The English site (docs/portal.md): optional English title and summary; the Chinese text stays authoritative.
    title_en = models.CharField(
        _("英文标题"),
        max_length=300,
        blank=True,
        help_text=_("可选；填写后英文版网站显示英文标题，并列入英文政策列表"),
    )
    summary_en = models.TextField(_("英文摘要"), blank=True, help_text=_("可选；英文版网站在正文前显示"))
    body = models.TextField(
        _("正文"), blank=True, help_text=_("每段一行；标题“一、”“（一）”和条文“第X条”会被识别为结构")
    )
    outline = models.JSONField(_("结构"), default=list, blank=True, editable=False)
    content_hash = models.CharField(_("内容摘要"), max_length=64, blank=True, db_index=True, editable=False)
    source_path = models.CharField(_("来源"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="policy")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="policy",
        for_concrete_model=False,
    )

    objects = PolicyQuerySet.as_manager()

    # The policy index is kept by gongkai.search in the record's own transaction (SQLite triggers, a
    # PostgreSQL post_save handler); modelsearch's default handler would enqueue a background task instead.
    search_auto_update = False
    search_fields = [
        index.SearchField("title", boost=5),
        index.SearchField("doc_number", boost=3),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("issuer"),
        index.FilterField("theme"),
        index.FilterField("policy_type"),
        index.FilterField("document_kind"),
        index.FilterField("validity"),
        index.FilterField("disclosure"),
        index.FilterField("is_normative"),
        index.FilterField("live"),
        index.FilterField("publish_date"),
    ]

    class Meta:
        ordering = ["-publish_date", "-id"]
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        indexes = [
            models.Index(fields=["live", "disclosure", "-publish_date"]),
            models.Index(fields=["issuer", "validity"]),
            models.Index(fields=["drafting_department", "live"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from gongkai.documents.doc_number import normalise_doc_number

        from .validity import compute_validity

        self.doc_number = normalise_doc_number(self.doc_number)
        self._sync_normative()
        self.content_hash = self.compute_content_hash()
        if self.pk:
            self.validity = compute_validity(self)
        super().save(*args, **kwargs)
        if not self.index_number:
            from .numbering import assign_index_number

            assign_index_number(self)
        if not kwargs.get("update_fields"):
            new_validity = compute_validity(self)
            if new_validity != self.validity:
                self.validity = new_validity
                type(self).objects.filter(pk=self.pk).update(validity=new_validity)

    def _sync_normative(self):
        """文件类别 and the 行政规范性文件 tick say the same thing: one follows the other."""
        if self.document_kind == DocumentKind.NORMATIVE:
            self.is_normative = True
        elif self.is_normative and self.document_kind in ("", DocumentKind.OTHER):
            self.document_kind = DocumentKind.NORMATIVE
        elif self.document_kind != DocumentKind.OTHER:
            self.is_normative = False

    def clean(self):
        from gongkai.documents.doc_number import check_doc_number

        errors = {}
        if self.doc_number:
            check = check_doc_number(self.doc_number)
            if not check.repairable:  # the rest is repaired when the record is saved
                errors["doc_number"] = "；".join(p.message for p in check.problems)
        if self.drafting_department_id and self.drafting_department.is_external:
            errors["drafting_department"] = _("起草部门应为本区部门；外部机关的文件留空")
        if self.disclosure != DisclosureAttribute.PROACTIVE and not self.disclosure_reason.strip():
            errors["disclosure_reason"] = _("依申请公开或不予公开的文件必须填写理由及依据")
        if self.effective_date and self.repeal_date and self.repeal_date < self.effective_date:
            errors["repeal_date"] = _("废止日期不能早于实施日期")
        if self.written_date and self.publish_date and self.publish_date < self.written_date:
            errors["publish_date"] = _("发布日期不能早于成文日期")
        if self.validity_years is not None and not 1 <= self.validity_years <= 10:
            errors["validity_years"] = _("有效期应在1至10年之间")
        if errors:
            raise ValidationError(errors)

    def _get_FIELD_display(self, field):
        """`get_validity_display()` & co. by one dictionary lookup. Django's own builds a hashable copy of all the
        field's choices on every call, translating each lazy label: with the search and list pages showing two
        such labels for each of 20 records, that was a fifth of a search page's time. The labels stay lazy, so
        the request's language still decides."""
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            labels = _CHOICE_LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value: as Django does, shown as it is
            label = value
        return force_str(label, strings_only=True)

    def get_absolute_url(self):
        return reverse("portal:policy_detail", args=[self.pk])

    def get_preview_template(self, request, mode_name):
        return "portal/policy_detail.html"

    def get_preview_context(self, request, mode_name):
        from .files import attachment_links

        context = super().get_preview_context(request, mode_name)
        context["policy"] = self
        context["preview"] = True
        context["attachments"] = attachment_links(self, public=False)
        return context

    @property
    def revisions(self):
        return self._revisions

    # The redemption elements of a 兑现办事 policy, in the order the "how to apply" panel shows them.
    REDEMPTION_FIELDS = (
        "service_conditions",
        "support_standard",
        "application_period",
        "application_materials",
        "handling_office",
        "contact",
    )

    def get_workflow(self):
        """The review workflow for this policy: the route chosen by the registered resolver (the pre-release
        review picks the full or the departmental route), or the model's default workflow."""
        from .workflow_routing import resolve_workflow

        return resolve_workflow(self)

    def redemption_rows(self) -> list[tuple[str, str]]:
        return [(str(self._meta.get_field(n).verbose_name), getattr(self, n)) for n in self.REDEMPTION_FIELDS]

    # Fields owned by the record itself, not by the text being edited: a revision never overwrites them.
    # The drafting department is ownership (it decides who may see and change the record), so it lives on the
    # record: changing it takes effect at once, and publishing an older revision never moves the record.
    RECORD_FIELDS = (
        "drafting_department_id",
        "index_number",
        "validity",
        "validity_declared",
        "validity_note",
        "created_by_id",
        "created_at",
    )

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in self.RECORD_FIELDS:
            setattr(obj, name, getattr(self, name))
        return obj

    def compute_content_hash(self) -> str:
        data = "\x1f".join([self.title or "", self.doc_number or "", self.body or ""])
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    @property
    def year(self) -> int | None:
        day = self.publish_date or self.written_date
        return day.year if day else None

    @property
    def valid_until(self):
        """The last day of validity from the validity period, if one is set."""
        from .validity import expiry_date

        return expiry_date(self)

    @property
    def is_public(self) -> bool:
        return self.live and self.disclosure == DisclosureAttribute.PROACTIVE

    @property
    def audit_department(self):
        """Whose records this is, for audit entries and notices: the drafting department (the issuer for an
        external document without one)."""
        return self.drafting_department or self.issuer


def attachment_upload_to(instance, filename):
    """Kept for the first migration; files are stored under random names now (`random_upload_to`)."""
    return f"policies/{timezone.now():%Y/%m}/{filename}"


def validate_attachment(file):
    """Kept for the first migration: the upload validator for policy attachments."""
    validate_upload(file, "policies.attachment")


class PolicyAttachment(Orderable):
    """A file published with a policy. Stored privately; public (a copy under a random name) only while the policy
    is published and 主动公开 (`policies/files.py`)."""

    policy = ParentalKey(
        Policy, verbose_name=_("政策文件"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(
        _("文件"),
        upload_to=random_upload_to("policies/attachments"),
        validators=[UploadValidator("policies.attachment")],
        help_text=_("支持 PDF、Word、Excel、OFD、WPS、TXT、ZIP、JPG、PNG"),
    )
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file:
            try:
                self.size = self.file.size
            except (OSError, ValueError):
                pass
        super().save(*args, **kwargs)

    @property
    def extension(self) -> str:
        return os.path.splitext(self.file.name)[1].lower().lstrip(".")

    @property
    def download_name(self) -> str:
        return f"{self.title}.{self.extension}" if self.extension else self.title


class PolicyRelation(Orderable):
    """This policy amends / repeals / implements / interprets / replaces another one."""

    policy = ParentalKey(
        Policy, verbose_name=_("政策文件"), on_delete=models.CASCADE, related_name="relations"
    )
    kind = models.CharField(_("关系"), max_length=20, choices=RelationKind.choices)
    target = models.ForeignKey(
        Policy, verbose_name=_("相关文件"), on_delete=models.CASCADE, related_name="incoming_relations"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("相关文件")
        verbose_name_plural = _("相关文件")

    def __str__(self):
        return f"{self.policy} {self.get_kind_display()} {self.target}"

    def clean(self):
        if self.policy_id and self.target_id == self.policy_id:
            raise ValidationError(_("文件不能与自身关联"))


class CleanupConclusion(models.TextChoices):
    """清理结论 of a validity clean-up (24:二(二)3)."""

    KEEP = "keep", _("继续有效")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    EXPIRE = "expire", _("失效")


class CleanupStatus(models.TextChoices):
    OPEN = "open", _("清理中")
    PUBLISHED = "published", _("已公布结果")


class CleanupCampaignQuerySet(ScopedQuerySet):
    owner_paths = ("department",)


class CleanupCampaign(models.Model):
    """A validity clean-up (文件清理) of one department's policies: each gets a conclusion with a reason; the
    result list is published on the portal and the conclusions take effect then."""

    title = models.CharField(_("名称"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="cleanup_campaigns"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CleanupStatus.choices, default=CleanupStatus.OPEN
    )
    deadline = models.DateField(_("完成期限"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    objects = CleanupCampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("文件清理")
        verbose_name_plural = _("文件清理")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:cleanup_campaign", args=[self.pk])

    @property
    def undecided_count(self) -> int:
        return self.items.filter(conclusion="").count()


class CleanupItem(models.Model):
    campaign = models.ForeignKey(
        CleanupCampaign, verbose_name=_("文件清理"), on_delete=models.CASCADE, related_name="items"
    )
    policy = models.ForeignKey(
        Policy, verbose_name=_("文件"), on_delete=models.PROTECT, related_name="cleanup_items"
    )
    validity_before = models.CharField(_("清理前有效性"), max_length=20, choices=Validity.choices)
    conclusion = models.CharField(_("清理结论"), max_length=20, choices=CleanupConclusion.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "id"]
        unique_together = [("campaign", "policy")]
        verbose_name = _("清理文件")
        verbose_name_plural = _("清理文件")

    def __str__(self):
        return f"{self.policy} · {self.get_conclusion_display() or _('待确认')}"


# --- Interpretations (政策解读) and the Q&A base (政策问答), issue 5 -------------------------------------------


def policy_replaces_another(policy) -> bool:
    """A policy that replaces, repeals or amends an earlier one must explain the differences (新旧政策差异,
    24:二(三)2). The one place that decides when that interpretation element is required."""
    if not policy.pk:
        return False
    return policy.relations.filter(
        kind__in=[RelationKind.REPLACES, RelationKind.REPEALS, RelationKind.AMENDS]
    ).exists()


class InterpretationForm(models.TextChoices):
    TEXT = "text", _("文字解读")
    QA = "qa", _("简明问答")
    GRAPHIC = "graphic", _("一图读懂")
    VIDEO = "video", _("视频解读")
    AUDIO = "audio", _("音频解读")


class InterpretationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class InterpretationQuerySet(ScopedQuerySet):
    # 谁起草谁解读: the interpreting department owns an interpretation; published ones are readable by all staff.
    owner_paths = ("department",)
    needs_distinct = True

    def everyone_q(self, user):
        return models.Q(
            status=InterpretationStatus.PUBLISHED,
            policies__live=True,
            policies__disclosure=DisclosureAttribute.PROACTIVE,
        )

    def public(self):
        """Published interpretations of at least one published, proactively disclosed policy."""
        return self.filter(
            status=InterpretationStatus.PUBLISHED,
            policies__live=True,
            policies__disclosure=DisclosureAttribute.PROACTIVE,
        ).distinct()


def interpretation_upload_to(instance, filename):
    """Kept for an earlier migration; files are stored under random names now (`random_upload_to`)."""
    return f"interpretations/{timezone.now():%Y/%m}/{filename}"


class Interpretation(index.Indexed, models.Model):
    """A policy interpretation (政策解读). 谁起草谁解读: the drafting department interprets, its head is the
    第一解读人. The required elements are fields; `missing_elements()` lists what is still empty."""

    # The elements every interpretation covers (23:二(三)1, 24:二(三)2), in the order they are shown.
    ELEMENTS = (
        "background",
        "objectives",
        "main_content",
        "innovations",
        "key_terms",
        "scope",
        "standards",
        "precautions",
        "differences",
    )

    policies = models.ManyToManyField(Policy, verbose_name=_("所解读的政策"), related_name="interpretations")
    title = models.CharField(_("标题"), max_length=300)
    form = models.CharField(
        _("解读形式"), max_length=20, choices=InterpretationForm.choices, default=InterpretationForm.TEXT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("解读部门"), on_delete=models.PROTECT, related_name="interpretations"
    )
    first_interpreter = models.CharField(
        _("第一解读人"), max_length=50, blank=True, help_text=_("留空则为解读部门主要负责人")
    )
    background = models.TextField(_("背景依据"), blank=True)
    objectives = models.TextField(_("目标任务"), blank=True)
    main_content = models.TextField(_("主要内容"), blank=True)
    innovations = models.TextField(_("创新特点"), blank=True)
    key_terms = models.TextField(_("关键词、专有名词诠释"), blank=True)
    scope = models.TextField(_("涉及范围"), blank=True)
    standards = models.TextField(_("执行标准"), blank=True)
    precautions = models.TextField(_("注意事项"), blank=True)
    differences = models.TextField(
        _("新旧政策差异"), blank=True, help_text=_("替代、废止或修改原有政策时必填")
    )
    image = models.FileField(
        _("图解图片"),
        upload_to=random_upload_to("interpretations"),
        blank=True,
        validators=[UploadValidator("policies.interpretation_image")],
        help_text=_("一图读懂：jpg 或 png"),
    )
    image_alt = models.TextField(_("图片文字说明"), blank=True, help_text=_("供读屏软件和无法看图的读者使用"))
    media_url = models.URLField(_("音视频地址"), blank=True)
    media_file = models.FileField(
        _("音视频文件"),
        upload_to=random_upload_to("interpretations"),
        blank=True,
        validators=[UploadValidator("policies.interpretation_media")],
        help_text=_("MP3、M4A、MP4 或 WebM"),
    )
    transcript = models.TextField(_("文字稿"), blank=True, help_text=_("音视频解读的完整文字稿"))
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=InterpretationStatus.choices,
        default=InterpretationStatus.DRAFT,
        editable=False,
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = InterpretationQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=5),
        index.SearchField("main_content", boost=2),
        index.SearchField("background"),
        index.SearchField("key_terms"),
        index.SearchField("transcript"),
        index.FilterField("status"),
        index.FilterField("department"),
    ]

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("review:interpretation_detail", args=[self.pk])

    @property
    def interpreter_name(self) -> str:
        return self.first_interpreter or self.department.head_name

    def required_elements(self) -> list[str]:
        names = [n for n in self.ELEMENTS if n != "differences"]
        if self.pk and any(policy_replaces_another(p) for p in self.policies.all()):
            names.append("differences")
        return names

    def missing_elements(self) -> list[str]:
        """Labels of the required elements that are still empty, plus what the chosen form needs."""
        missing = [
            str(self._meta.get_field(n).verbose_name)
            for n in self.required_elements()
            if not getattr(self, n).strip()
        ]
        if not self.interpreter_name.strip():
            # 第一解读人 defaults to the interpreting department's head: say where to set it
            missing.append(
                str(
                    _(
                        "第一解读人（%(department)s未设置主要负责人：请填写第一解读人，或由管理员在“基础数据 → 部门”中设置）"
                    )
                    % {"department": self.department.display_name if self.department_id else _("解读部门")}
                )
            )
        if self.form == InterpretationForm.GRAPHIC:
            if not self.image:
                missing.append(str(_("图解图片")))
            if not self.image_alt.strip():
                missing.append(str(_("图片文字说明")))
        if self.form in (InterpretationForm.VIDEO, InterpretationForm.AUDIO):
            if not (self.media_url or self.media_file):
                missing.append(str(_("音视频地址或文件")))
            if not self.transcript.strip():
                missing.append(str(_("文字稿")))
        return missing

    @property
    def is_complete(self) -> bool:
        return not self.missing_elements()

    @property
    def is_public(self) -> bool:
        return type(self).objects.public().filter(pk=self.pk).exists()

    def element_rows(self) -> list[tuple[str, str]]:
        """(label, text) of the filled elements, for display."""
        return [
            (str(self._meta.get_field(n).verbose_name), getattr(self, n))
            for n in self.ELEMENTS
            if getattr(self, n).strip()
        ]


class QuestionOrigin(models.TextChoices):
    OFFICIAL = "official", _("部门发布")
    PUBLIC_QUESTION = "public_question", _("公众提问")
    PUBLIC_COMMENT = "public_comment", _("公众意见")


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    ANSWERED = "answered", _("已答复（不公开）")
    PUBLISHED = "published", _("已公开")
    REJECTED = "rejected", _("不予处理")


class FeedbackClass(models.TextChoices):
    """How the drafting department classifies public feedback on a released policy (24:二(三)3 政策舆情收集、
    研判、处置和回应; the classes of 《北京市接诉即办工作条例》第二条 that apply to a policy)."""

    INQUIRY = "inquiry", _("咨询")
    SUGGESTION = "suggestion", _("建议")
    COMPLAINT = "complaint", _("投诉")
    OPINION = "opinion", _("舆情")


class PolicyQuestionQuerySet(ScopedQuerySet):
    # Questions wait for the policy's drafting department (they may carry the asker's contact details).
    owner_paths = ("policy__drafting_department",)

    def public(self):
        return self.filter(
            status=QuestionStatus.PUBLISHED,
            policy__live=True,
            policy__disclosure=DisclosureAttribute.PROACTIVE,
        )

    def for_department(self, department):
        return self.filter(policy__drafting_department=department)

    def responses(self):
        """The published 回应关切: public answers the department chose to publish as its response."""
        return self.public().filter(response_published_at__isnull=False)


class PolicyQuestion(index.Indexed, models.Model):
    """One entry of the Q&A base (政策问答): a question and its answer, tied to a policy and optionally to one
    of its articles. Public questions and comments arrive here after release (24:二(三)3) and wait for the
    drafting department; only answered and published ones are shown."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策文件"), on_delete=models.CASCADE, related_name="questions"
    )
    article = models.CharField(_("涉及条款"), max_length=50, blank=True, help_text=_("例如 第三条、（二）"))
    origin = models.CharField(
        _("来源"), max_length=20, choices=QuestionOrigin.choices, default=QuestionOrigin.OFFICIAL
    )
    question = models.TextField(_("问题"), help_text=_("公开的文字；脱敏后为脱敏后的文字"))
    original_question = models.TextField(
        _("提问原文（不公开）"),
        blank=True,
        editable=False,
        help_text=_("脱敏前公众提交的原文，仅工作人员可见"),
    )
    scan_level = models.CharField(
        _("个人信息检查"),
        max_length=10,
        blank=True,
        editable=False,
        choices=[
            ("high", _("高：含身份证号、银行卡号等")),
            ("medium", _("中：含手机号、住址等")),
            ("low", _("低：含电子邮箱、办公电话等")),
        ],
        help_text=_("提交时保密审查发现的最高级别；空为未发现"),
    )
    redacted_at = models.DateTimeField(_("脱敏时间"), null=True, blank=True, editable=False)
    answer = models.TextField(_("答复"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=QuestionStatus.choices,
        default=QuestionStatus.PENDING,
        editable=False,
    )
    asker_name = models.CharField(_("提问人"), max_length=50, blank=True)
    asker_contact = models.CharField(_("联系方式"), max_length=100, blank=True, help_text=_("不公开"))
    moderation_note = models.CharField(_("处理说明"), max_length=300, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, editable=False)
    # Opinion after release (24:二(三)3): classification, the answer limit, the published 回应关切 (policies/feedback.py).
    feedback_class = models.CharField(
        _("反馈类别"), max_length=20, choices=FeedbackClass.choices, blank=True, editable=False
    )
    classified_at = models.DateTimeField(_("分类时间"), null=True, blank=True, editable=False)
    answer_due = models.DateField(
        _("答复期限"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("公众提问和留言：收到后按工作日计算"),
    )
    response_title = models.CharField(_("回应关切标题"), max_length=200, blank=True, editable=False)
    response_published_at = models.DateTimeField(_("回应关切发布时间"), null=True, blank=True, editable=False)

    objects = PolicyQuestionQuerySet.as_manager()

    search_fields = [
        index.SearchField("question", boost=3),
        index.SearchField("answer"),
        index.SearchField("article"),
        index.FilterField("status"),
        index.FilterField("policy"),
    ]

    class Meta:
        ordering = ["policy", "article", "id"]
        verbose_name = _("政策问答")
        verbose_name_plural = _("政策问答")
        indexes = [models.Index(fields=["status", "policy"])]

    def __str__(self):
        return self.question[:60]

    @property
    def department(self):
        return self.policy.drafting_department
