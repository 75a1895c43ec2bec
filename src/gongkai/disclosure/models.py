"""Disclosure on request (依申请公开): requests, notes, consultations, replies, seals, review/litigation cases and
the annual report's entered figures. State changes go through `actions.py` only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.scoping import ScopedQuerySet
from gongkai.core.uploads import UploadValidator, random_upload_to, register_upload_kind

from .outcomes import Outcome


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人")
    ORGANIZATION = "organization", _("法人或其他组织")


class OrganizationKind(models.TextChoices):
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    PUBLIC_WELFARE = "public_welfare", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")


class IdType(models.TextChoices):
    ID_CARD = "id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO_TAIWAN = "hmt", _("港澳台居民证件")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他证件")


class Channel(models.TextChoices):
    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    POST_SIGNED = "post_signed", _("邮寄（需签收）")
    POST_ORDINARY = "post_ordinary", _("平常信函")
    FAX = "fax", _("传真")


class InformationForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子文件")


class DeliveryMethod(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("当面领取")
    ONLINE = "online", _("网上获取")


class RequestStatus(models.TextChoices):
    PENDING_CONFIRMATION = "pending_confirmation", _("待确认收到")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    REPLIED = "replied", _("已答复")


class ProactiveDecision(models.TextChoices):
    ADOPTED = "adopted", _("纳入主动公开")
    DECLINED = "declined", _("不纳入主动公开")


OPEN_STATUSES = [
    RequestStatus.PENDING_CONFIRMATION,
    RequestStatus.IN_PROGRESS,
    RequestStatus.AWAITING_CORRECTION,
    RequestStatus.AWAITING_FEE,
]


class DisclosureRequestQuerySet(ScopedQuerySet):
    # The scoping rule: the receiving department's staff see its requests (identity masked, see privacy.py);
    # the assignee sees the requests assigned to them. Handling needs the handler role (permissions.py).
    owner_paths = ("department",)

    def personal_q(self, user):
        return models.Q(assignee=user)

    def open(self):
        return self.exclude(status=RequestStatus.REPLIED)


class RequestPartQuerySet(ScopedQuerySet):
    """Letters, notices, mails, cases, notes, consultations and online corrections follow their request."""

    owner_paths = ("request__department",)

    def personal_q(self, user):
        return models.Q(request__assignee=user)


class ReleasedDocumentQuerySet(ScopedQuerySet):
    """Documents provided with a reply follow the reply's request."""

    owner_paths = ("reply__request__department",)

    def personal_q(self, user):
        return models.Q(reply__request__assignee=user)


class CorrectionFileQuerySet(ScopedQuerySet):
    owner_paths = ("submission__request__department",)

    def personal_q(self, user):
        return models.Q(submission__request__assignee=user)


class AnnualReportQuerySet(ScopedQuerySet):
    owner_paths = ("department",)


# What the upload fields accept (the one upload validator, gongkai/core/uploads.py).
register_upload_kind("disclosure.identity_proof", label=_("身份证明"), types=["pdf", "jpg", "png"],
                     max_bytes=5 * 1024 * 1024)  # fmt: skip
register_upload_kind("disclosure.case_document", label=_("案件文书"),
                     types=["pdf", "doc", "docx", "ofd", "wps", "jpg", "png"])  # fmt: skip
register_upload_kind(
    "disclosure.correction_file", label=_("补正材料"), types=settings.GONGKAI_ATTACHMENT_EXTENSIONS
)
register_upload_kind("disclosure.released_document", label=_("提供的政府信息"),
                     types=settings.GONGKAI_ATTACHMENT_EXTENSIONS)  # fmt: skip


def identity_upload_to(instance, filename):
    import os
    import uuid

    ext = os.path.splitext(filename)[1].lower()
    return f"disclosure/identity/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class DisclosureRequest(models.Model):
    """政府信息公开申请 (Art. 29). Identity fields are shown only to the assigned officer (see `privacy.py`)."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    tracking_number = models.CharField(_("申请编号"), max_length=20, unique=True, editable=False)
    query_code_hash = models.CharField(max_length=200, editable=False)
    channel = models.CharField(_("申请渠道"), max_length=20, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    received_date = models.DateField(_("收到申请日期"), null=True, blank=True, help_text=_("第三十一条"))
    receipt_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Applicant (Art. 29(1))
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    organization_kind = models.CharField(
        _("组织类别"), max_length=20, choices=OrganizationKind.choices, blank=True
    )
    applicant_name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices)
    id_number = models.CharField(_("证件号码"), max_length=40)
    legal_representative = models.CharField(_("法定代表人或负责人"), max_length=50, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postal_code = models.CharField(_("邮政编码"), max_length=10, blank=True)
    identity_proof = models.FileField(
        _("身份证明"),
        upload_to=random_upload_to("disclosure/identity"),
        blank=True,
        validators=[UploadValidator("disclosure.identity_proof")],
    )
    applicant_key = models.CharField(max_length=64, db_index=True, editable=False)
    # What is asked for (Art. 29(2)) and how (Art. 29(3))
    department = models.ForeignKey(
        Department, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="disclosure_requests"
    )
    information_title = models.CharField(_("所需信息名称"), max_length=300)
    information_doc_number = models.CharField(_("文号"), max_length=80, blank=True)
    description = models.TextField(_("所需信息的特征描述"))
    information_form = models.CharField(_("信息的载体形式"), max_length=20, choices=InformationForm.choices)
    delivery_method = models.CharField(_("获取信息的方式"), max_length=20, choices=DeliveryMethod.choices)
    # Handling
    status = models.CharField(
        _("状态"), max_length=30, choices=RequestStatus.choices, default=RequestStatus.PENDING_CONFIRMATION
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_disclosure_requests",
    )
    correction_notice_on = models.DateField(_("补正告知日期"), null=True, blank=True)
    correction_items = models.TextField(_("需补正事项"), blank=True)
    correction_due = models.DateField(_("补正期限"), null=True, blank=True)
    corrected_received_on = models.DateField(_("收到补正日期"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    extension_approver = models.CharField(_("延期批准人"), max_length=50, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    extension_decided_on = models.DateField(
        _("延期决定日期"), null=True, blank=True, help_text=_("须在原答复期限届满前作出（第三十三条第二款）")
    )
    fee_amount = models.DecimalField(_("信息处理费（元）"), max_digits=10, decimal_places=2, default=0)
    fee_explanation = models.CharField(_("收费说明"), max_length=300, blank=True)
    fee_notice_on = models.DateField(_("收费通知日期"), null=True, blank=True)
    fee_paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self", verbose_name=_("疑似重复"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    excessive_warning = models.CharField(_("数量频次提示"), max_length=200, blank=True)
    proactive_suggestion = models.CharField(_("主动公开建议（第四十四条）"), max_length=300, blank=True)
    proactive_decision = models.CharField(
        _("主动公开建议处理"), max_length=20, choices=ProactiveDecision.choices, blank=True
    )
    proactive_decision_note = models.CharField(_("处理说明"), max_length=300, blank=True)
    deadline = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    deadline_ledger = models.JSONField(_("期限计算"), default=list, blank=True)
    deadline_problem = models.CharField(_("期限计算问题"), max_length=300, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    objects = DisclosureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("依申请公开")
        verbose_name_plural = _("依申请公开")
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["applicant_key", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.tracking_number} {self.information_title}"[:300]

    def get_absolute_url(self):
        return reverse("disclosure_admin:detail", args=[self.pk])

    @property
    def report_column(self) -> str:
        """The column of annual-report table 三."""
        if self.applicant_type == ApplicantType.NATURAL_PERSON:
            return ApplicantType.NATURAL_PERSON
        return self.organization_kind or OrganizationKind.OTHER

    @property
    def is_open(self) -> bool:
        return self.status != RequestStatus.REPLIED

    @property
    def period_start(self):
        """The day the reply period runs from: receipt, or receipt of the corrected application (Art. 30)."""
        return self.corrected_received_on or self.received_date

    def is_overdue(self, today=None) -> bool:
        """Open past its deadline, or replied after it."""
        if self.deadline is None:
            return False
        if self.is_open:
            return self.deadline < (today or timezone.localdate())
        return bool(self.replied_on and self.replied_on > self.deadline)


class RequestNote(models.Model):
    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True
    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return self.body[:50]


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("征求第三方意见（第三十二条）")
    AGENCY = "agency", _("征求其他机关意见（第三十四条）")


class ConsultationAnswer(models.TextChoices):
    PENDING = "pending", _("等待答复")
    CONSENT = "consent", _("同意公开")
    OBJECTION = "objection", _("不同意公开")
    SILENT = "silent", _("逾期未答复")


class Consultation(models.Model):
    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True
    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField(_("类型"), max_length=20, choices=ConsultationKind.choices)
    party = models.CharField(_("被征求意见方"), max_length=200)
    party_address = models.CharField(_("被征求意见方通信地址"), max_length=200, blank=True)
    party_email = models.EmailField(_("被征求意见方电子邮箱"), blank=True)
    sent_on = models.DateField(_("发出日期"))
    due_on = models.DateField(_("答复期限"))
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answer = models.CharField(
        _("意见"), max_length=20, choices=ConsultationAnswer.choices, default=ConsultationAnswer.PENDING
    )
    summary = models.TextField(_("意见摘要"), blank=True)
    answer_document = models.FileField(
        _("书面意见（扫描件）"),
        upload_to=random_upload_to("disclosure/consultations"),
        blank=True,
        validators=[UploadValidator("disclosure.case_document")],
    )

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        ordering = ["sent_on", "id"]
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")

    def __str__(self):
        return f"{self.get_kind_display()} {self.party}"


class ReplyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已答复")


class ReplyLetter(models.Model):
    """答复告知书: a draft editable by the officer, then rendered (.docx, PDF), sealed and signed."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    request = models.OneToOneField(DisclosureRequest, on_delete=models.CASCADE, related_name="reply")
    reply_number = models.CharField(_("答复编号"), max_length=30, unique=True, null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices)
    reason = models.TextField(_("理由/说明"), blank=True)
    links = models.JSONField(_("获取途径链接"), default=list, blank=True)
    body = models.TextField(_("答复正文"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReplyStatus.choices, default=ReplyStatus.DRAFT
    )
    # Written by `send_reply` only (not uploads), stored privately under random names.
    docx_file = models.FileField(
        _("Word 版"), upload_to=random_upload_to("disclosure/replies"), blank=True, editable=False
    )
    pdf_file = models.FileField(
        _("PDF 版（电子签章）"), upload_to=random_upload_to("disclosure/replies"), blank=True, editable=False
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    seal = models.ForeignKey(
        "DepartmentSeal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("答复日期"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_confirmation = models.TextField(
        _("发送前确认理由"),
        blank=True,
        help_text=_("中风险发现（第三方电话、地址、疑似身份证号等）经确认后发送的理由"),
    )
    redaction_record_file = models.FileField(
        _("区分处理及脱敏说明（PDF）"), upload_to="disclosure/replies/", blank=True, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("答复告知书")
        verbose_name_plural = _("答复告知书")

    def __str__(self):
        return self.reply_number or f"{self.request.tracking_number} 答复（草稿）"


def seal_upload_to(instance, filename):
    return f"disclosure/seals/{filename}"


class DepartmentSeal(models.Model):
    """A department's electronic seal: a signing key (encrypted at rest with SECRET_KEY), its self-signed
    certificate and the seal image. Managed by the administrator; only the newest active one signs."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="seals"
    )
    certificate_pem = models.TextField(_("证书"), editable=False)
    encrypted_key_pem = models.TextField(editable=False)
    fingerprint = models.CharField(_("证书指纹（SHA-256）"), max_length=64, unique=True, editable=False)
    image = models.FileField(_("印章图片"), upload_to=seal_upload_to, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    valid_until = models.DateField(_("有效期至"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("部门电子印章")
        verbose_name_plural = _("部门电子印章")

    def __str__(self):
        return f"{self.department.name}电子印章 {self.fingerprint[:12]}"


class CaseKind(models.TextChoices):
    REVIEW = "review", _("行政复议")
    LAWSUIT_DIRECT = "lawsuit_direct", _("行政诉讼（未经复议直接起诉）")
    LAWSUIT_AFTER_REVIEW = "lawsuit_after_review", _("行政诉讼（复议后起诉）")


class CaseResult(models.TextChoices):
    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class ReviewCase(models.Model):
    """An administrative review or lawsuit about a disclosure request (Art. 51; table 四 of the annual report)."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    request = models.ForeignKey(
        DisclosureRequest, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("类型"), max_length=30, choices=CaseKind.choices)
    case_number = models.CharField(_("案号"), max_length=80, blank=True)
    authority = models.CharField(_("复议机关/法院"), max_length=100)
    filed_on = models.DateField(_("收到申请/起诉日期"))
    response_due = models.DateField(_("答复/答辩期限"), null=True, blank=True)
    result = models.CharField(
        _("结果"), max_length=20, choices=CaseResult.choices, default=CaseResult.PENDING
    )
    closed_on = models.DateField(_("审结日期"), null=True, blank=True)
    document = models.FileField(
        _("文书"),
        upload_to=random_upload_to("disclosure/cases"),
        blank=True,
        validators=[UploadValidator("disclosure.case_document")],
    )
    note = models.TextField(_("说明"), blank=True)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = _("复议诉讼案件")
        verbose_name_plural = _("复议诉讼案件")

    def __str__(self):
        return f"{self.get_kind_display()} {self.case_number or self.request.tracking_number}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    APPROVED = "approved", _("已批准")
    PUBLISHED = "published", _("已公布")


class AnnualReport(models.Model):
    """政府信息公开工作年度报告 (Art. 49-50): the text sections and the figures entered by staff. The tables
    are computed from the data by `annual_report.py`; `department=None` means the whole district."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    year = models.PositiveSmallIntegerField(_("年度"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("部门（空为全区）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    overview = models.TextField(_("一、总体情况"), blank=True)
    proactive_text = models.TextField(_("二、主动公开政府信息情况（表前说明）"), blank=True)
    requests_text = models.TextField(_("三、收到和处理政府信息公开申请情况（表前说明）"), blank=True)
    cases_text = models.TextField(_("四、政府信息公开行政复议、行政诉讼情况（表前说明）"), blank=True)
    problems = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("六、其他需要报告的事项"), blank=True)
    rules_issued = models.PositiveIntegerField(_("规章 本年制发件数"), default=0)
    rules_repealed = models.PositiveIntegerField(_("规章 本年废止件数"), default=0)
    rules_valid = models.PositiveIntegerField(_("规章 现行有效件数"), default=0)
    licensing_decisions = models.PositiveIntegerField(_("行政许可 本年处理决定数量"), default=0)
    penalty_decisions = models.PositiveIntegerField(_("行政处罚 本年处理决定数量"), default=0)
    enforcement_decisions = models.PositiveIntegerField(_("行政强制 本年处理决定数量"), default=0)
    fee_amount_10k = models.DecimalField(
        _("行政事业性收费 本年收费金额（万元）"), max_digits=14, decimal_places=4, default=0
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    snapshot = models.JSONField(
        _("定稿数据"), default=dict, blank=True, help_text=_("批准时冻结的表格和文字，公布后不随数据变化")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    external_url = models.URLField(_("原文链接（系统上线前的往年报告）"), blank=True, max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "department_id"]
        verbose_name = _("政府信息公开年度报告")
        verbose_name_plural = _("政府信息公开年度报告")
        constraints = [
            models.UniqueConstraint(fields=["year", "department"], name="disclosure_report_year_department"),
        ]

    def __str__(self):
        return f"{self.issuer_name}{self.year}年政府信息公开工作年度报告"

    @property
    def issuer_name(self) -> str:
        from gongkai.core.seed_departments import DISTRICT_GOVERNMENT

        return self.department.name if self.department_id else DISTRICT_GOVERNMENT

    def get_public_url(self):
        if self.department_id:
            return reverse("disclosure:annual_report_department", args=[self.year, self.department.code])
        return reverse("disclosure:annual_report", args=[self.year])


class NoticeKind(models.TextChoices):
    """Letters of the procedure other than the reply (答复告知书 is `ReplyLetter`)."""

    CORRECTION = "correction", _("补正告知书")
    EXTENSION = "extension", _("延期答复告知书")
    CONSULT_THIRD_PARTY = "consult_third_party", _("征求第三方意见函")
    CONSULT_AGENCY = "consult_agency", _("征求意见函（其他机关）")
    THIRD_PARTY_DECISION = "third_party_decision", _("公开决定告知书（第三方）")


class Notice(models.Model):
    """A numbered, sealed letter of the procedure: to the applicant (补正、延期) or to a consulted party."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("文书类型"), max_length=30, choices=NoticeKind.choices)
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    number = models.CharField(_("文书编号"), max_length=40, unique=True)
    recipient = models.CharField(_("收件人"), max_length=200)
    to_applicant = models.BooleanField(_("致申请人"), default=True)
    body = models.TextField(_("正文"))
    docx_file = models.FileField(_("Word 版"), upload_to="disclosure/notices/", blank=True, editable=False)
    pdf_file = models.FileField(
        _("PDF 版（电子签章）"), upload_to="disclosure/notices/", blank=True, editable=False
    )
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    seal = models.ForeignKey(
        "DepartmentSeal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("发出日期"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        ordering = ["sent_on", "id"]
        verbose_name = _("办理文书")
        verbose_name_plural = _("办理文书")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class NoticeTemplate(models.Model):
    """The text of a letter as the openness office edited it (Django template syntax, a fixed set of
    variables; see `notices.TEMPLATES`). A key without a row uses the default text in the code."""

    key = models.CharField(_("模板"), max_length=60, unique=True)
    body = models.TextField(_("模板正文"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self):
        return self.key


class ReleasedDocumentKind(models.TextChoices):
    FILE = "file", _("上传文件")
    POLICY = "policy", _("已公开文件链接")


class ScanStatus(models.TextChoices):
    CLEAN = "clean", _("未发现敏感信息")
    FINDINGS = "findings", _("发现敏感信息")
    UNREADABLE = "unreadable", _("无法读取文字，须人工核对")
    REDACTED = "redacted", _("已脱敏")


def released_upload_to(instance, filename):
    import os
    import uuid

    ext = os.path.splitext(filename)[1].lower()
    return f"disclosure/released/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class ReleasedDocument(models.Model):
    """A document provided with a reply (见附件): an uploaded file or a link to a published policy. Each passes the
    confidentiality scan; the applicant receives the redacted copy when there is one (部分公开, personal data)."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    reply = models.ForeignKey(ReplyLetter, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("类型"), max_length=20, choices=ReleasedDocumentKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    file = models.FileField(
        _("原件"),
        upload_to=released_upload_to,
        blank=True,
        validators=[UploadValidator("disclosure.released_document")],
    )
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    original_sha256 = models.CharField(_("原件摘要"), max_length=64, blank=True)
    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name=_("已公开文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scan_status = models.CharField(
        _("保密审查"), max_length=20, choices=ScanStatus.choices, default=ScanStatus.CLEAN
    )
    findings = models.JSONField(
        _("发现"), default=list, blank=True, help_text=_("类型、级别、规则、位置和脱敏后的文字；不存原文")
    )
    redacted_file = models.FileField(
        _("脱敏件"),
        upload_to=released_upload_to,
        blank=True,
        validators=[UploadValidator("disclosure.released_document")],
    )
    redaction_items = models.JSONField(_("脱敏项"), default=list, blank=True)
    redaction_reason = models.TextField(_("脱敏理由"), blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    redacted_at = models.DateTimeField(_("脱敏时间"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("添加时间"), default=timezone.now)

    objects = ReleasedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("提供的政府信息")
        verbose_name_plural = _("提供的政府信息")

    def __str__(self):
        return self.title

    @property
    def delivered_file(self):
        """What the applicant receives: the redacted copy when there is one, else the original."""
        if self.redacted_file:
            return self.redacted_file
        return self.file if self.file else None

    def finding_counts(self) -> dict[str, int]:
        counts = {"high": 0, "medium": 0, "low": 0}
        for f in self.findings or []:
            counts[f.get("severity", "low")] = counts.get(f.get("severity", "low"), 0) + 1
        return counts


class ApplicantMailKind(models.TextChoices):
    RECEIPT = "receipt", _("收到申请")
    CORRECTION = "correction", _("补正告知")
    CORRECTION_RECEIVED = "correction_received", _("收到补正")
    EXTENSION = "extension", _("延期答复")
    CONSULTATION = "consultation", _("征求意见，期限暂停")
    CONSULTATION_DONE = "consultation_done", _("征求意见结束，恢复计算")
    FEE = "fee", _("收费通知")
    REPLY = "reply", _("答复")


class ApplicantMail(models.Model):
    """A mail to the applicant (sent only when they gave an e-mail address), kept for the timeline."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(_("类型"), max_length=30, choices=ApplicantMailKind.choices)
    to_address = models.EmailField(_("收件地址"))
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.CharField(_("发送失败原因"), max_length=300, blank=True)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("申请人邮件")
        verbose_name_plural = _("申请人邮件")

    def __str__(self):
        return self.subject


def correction_upload_to(instance, filename):
    import os
    import uuid

    ext = os.path.splitext(filename)[1].lower()
    return f"disclosure/corrections/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class CorrectionSubmission(models.Model):
    """A corrected application handed in online with the query code (Art. 30); receipt is confirmed by staff
    (Art. 31: online submissions are received on the day both sides confirm)."""

    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    request = models.ForeignKey(
        DisclosureRequest, on_delete=models.CASCADE, related_name="correction_submissions"
    )
    text = models.TextField(_("补正内容"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    objects = RequestPartQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("在线补正")
        verbose_name_plural = _("在线补正")

    def __str__(self):
        return f"{self.request.tracking_number} 补正 {self.submitted_at:%Y-%m-%d}"


class CorrectionFile(models.Model):
    # Not content that pages link to; keeps applicants' data out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    submission = models.ForeignKey(CorrectionSubmission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(
        _("补正材料"),
        upload_to=correction_upload_to,
        validators=[UploadValidator("disclosure.correction_file")],
    )
    original_name = models.CharField(_("原文件名"), max_length=200)

    objects = CorrectionFileQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("补正材料")
        verbose_name_plural = _("补正材料")

    def __str__(self):
        return self.original_name
