"""What the confidentiality check records: each redaction, with what was masked and why."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.scoping import VIEW, ScopedQuerySet


class Severity(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class FindingType(models.TextChoices):
    CLASSIFICATION = "classification", _("密级标志")
    INTERNAL = "internal", _("内部资料标志")
    NOT_DISCLOSED = "not_disclosed", _("不予公开标志")
    RESIDENT_ID = "resident_id", _("公民身份号码")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    MOBILE = "mobile", _("手机号码")
    LANDLINE = "landline", _("固定电话")
    BANK_CARD = "bank_card", _("银行卡号")
    EMAIL = "email", _("电子邮箱")
    ADDRESS = "address", _("详细住址")
    LICENCE_PLATE = "licence_plate", _("机动车号牌")
    PERSON_NAME = "person_name", _("姓名")


class RedactionQuerySet(ScopedQuerySet):
    """A redaction is seen by whoever may see the record it was made on (its scoping rule, e.g. the policy's
    drafting department): the record is named by `object_type` ("app_label.model") and `object_id`."""

    def scope_q(self, user, action=VIEW):
        from gongkai.core.scoping import visible_generic_q

        q = super().scope_q(user, action)
        if q is None:
            return None
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return q
        generic = visible_generic_q(
            user,
            type_field="object_type",
            id_field="object_id",
            type_value=lambda m: m._meta.label_lower,
            exclude=(self.model,),
        )
        return q | (generic if generic is not None else models.Q())

    owner_paths = ()


class Redaction(models.Model):
    """One redaction of one text field of a record. The original values are not kept: only their SHA-256, so
    that a later dispute can be settled against the source without the redacted data living on here."""

    object_type = models.CharField(_("对象类型"), max_length=100, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300)
    field = models.CharField(_("字段"), max_length=50)
    reason = models.TextField(_("脱敏理由"))
    items = models.JSONField(
        _("脱敏项"),
        default=list,
        help_text=_("每项：类型、规则、级别、位置、脱敏后文字、原文摘要（SHA-256）"),
    )
    text_sha256_before = models.CharField(_("原文摘要"), max_length=64)
    text_sha256_after = models.CharField(_("脱敏后摘要"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    objects = RedactionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("脱敏记录")
        verbose_name_plural = _("脱敏记录")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.object_repr} · {self.field} · {len(self.items)}"

    @property
    def item_count(self) -> int:
        return len(self.items)
