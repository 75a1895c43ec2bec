"""Forms: the public application form (with its spam guard) and the staff forms."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.spam import SpamGuardMixin, form_token, token_age  # noqa: F401 - form_token: used by tests and views
from gongkai.core.uploads import UploadValidator, register_upload_kind
from gongkai.portal.i18n import ContentSelect, department_label

from .models import ApplicantType, Channel, DeliveryMethod, IdType, InformationForm, OrganizationKind

# A reply PDF uploaded to check its seal: read and thrown away.
register_upload_kind("disclosure.verify_pdf", label=_("答复PDF"), types=["pdf"], max_bytes=20 * 1024 * 1024,
                     stored=False)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\ufeff]")
ID_CARD = re.compile(r"^\d{17}[\dX]$")
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
POSTAL = re.compile(r"^\d{6}$")


def id_card_checksum_ok(number: str) -> bool:
    """GB 11643-1999 check digit of an 18-digit resident ID number."""
    if not ID_CARD.match(number):
        return False
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(number[:17], weights, strict=True))
    return "10X98765432"[total % 11] == number[17]


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value or "").strip()


class RequestFieldsForm(forms.Form):
    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantType.choices, widget=forms.RadioSelect
    )
    organization_kind = forms.ChoiceField(
        label=_("组织类别（法人或其他组织填写）"),
        choices=[("", "—")] + OrganizationKind.choices,
        required=False,
    )
    applicant_name = forms.CharField(label=_("姓名或名称"), max_length=100)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=IdType.choices)
    id_number = forms.CharField(label=_("证件号码"), max_length=40)
    legal_representative = forms.CharField(label=_("法定代表人或负责人"), max_length=50, required=False)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.EmailField(label=_("电子邮箱"), required=False, max_length=254)
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("邮政编码"), max_length=10, required=False)
    department = forms.ModelChoiceField(
        label=_("向哪个机关申请"), queryset=Department.objects.none(), empty_label="—", widget=ContentSelect
    )
    information_title = forms.CharField(label=_("所需政府信息的名称"), max_length=300)
    information_doc_number = forms.CharField(label=_("文号（如知道）"), max_length=80, required=False)
    description = forms.CharField(
        label=_("所需政府信息的特征描述"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请尽量写明信息的名称、文号、形成时间等便于查询的特征"),
    )
    information_form = forms.ChoiceField(label=_("信息的载体形式"), choices=InformationForm.choices)
    delivery_method = forms.ChoiceField(label=_("获取信息的方式"), choices=DeliveryMethod.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.active()
        self.fields["department"].label_from_instance = department_label

    def clean(self):
        data = super().clean()
        for name in (
            "applicant_name",
            "id_number",
            "legal_representative",
            "contact_person",
            "phone",
            "address",
            "postal_code",
            "information_title",
            "information_doc_number",
            "description",
        ):
            if name in data:
                data[name] = clean_text(data[name])
        for name in ("applicant_name", "information_title", "description"):
            if name in data and not data[name]:
                self.add_error(name, _("此项不能为空"))
        kind = data.get("applicant_type")
        id_type, number = data.get("id_type"), (data.get("id_number") or "").upper().replace(" ", "")
        data["id_number"] = number
        if kind == ApplicantType.ORGANIZATION:
            if not data.get("organization_kind"):
                self.add_error("organization_kind", _("请选择法人或其他组织的类别"))
            if id_type != IdType.CREDIT_CODE and id_type != IdType.OTHER:
                self.add_error("id_type", _("法人或其他组织请填写统一社会信用代码"))
            if id_type == IdType.CREDIT_CODE and not CREDIT_CODE.match(number):
                self.add_error("id_number", _("统一社会信用代码应为18位数字或大写字母"))
            if not data.get("legal_representative"):
                self.add_error("legal_representative", _("请填写法定代表人或负责人"))
        elif kind == ApplicantType.NATURAL_PERSON:
            data["organization_kind"] = ""
            if id_type == IdType.CREDIT_CODE:
                self.add_error("id_type", _("自然人不能使用统一社会信用代码"))
            if id_type == IdType.ID_CARD and not id_card_checksum_ok(number):
                self.add_error("id_number", _("居民身份证号码不正确（应为18位，最后一位校验码可为X）"))
        if id_type in (IdType.PASSPORT, IdType.HK_MACAO_TAIWAN, IdType.OTHER) and not re.fullmatch(
            r"[A-Z0-9()（）-]{5,30}", number
        ):
            self.add_error("id_number", _("证件号码格式不正确"))
        phone = re.sub(r"\s", "", data.get("phone") or "")
        data["phone"] = phone
        if phone and not (MOBILE.match(phone) or LANDLINE.match(phone)):
            self.add_error("phone", _("请填写11位手机号或带区号的固定电话"))
        if data.get("postal_code") and not POSTAL.match(data["postal_code"]):
            self.add_error("postal_code", _("邮政编码应为6位数字"))
        if data.get("delivery_method") == DeliveryMethod.EMAIL and not data.get("email"):
            self.add_error("email", _("选择电子邮件方式获取信息时请填写电子邮箱"))
        if data.get("delivery_method") == DeliveryMethod.POST and not data.get("address"):
            self.add_error("address", _("选择邮寄方式获取信息时请填写通信地址"))
        if data.get("description") and len(data["description"]) < 5:
            self.add_error("description", _("描述过短，请写明所需信息的特征"))
        return data

    def request_data(self) -> dict:
        return {
            name: self.cleaned_data.get(name) or ("" if name != "department" else None)
            for name in self.fields
            if name in _REQUEST_FIELD_NAMES
        }


_REQUEST_FIELD_NAMES = {
    "applicant_type",
    "organization_kind",
    "applicant_name",
    "id_type",
    "id_number",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postal_code",
    "department",
    "information_title",
    "information_doc_number",
    "description",
    "information_form",
    "delivery_method",
}


def _identity_proof_field(required: bool, label) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        validators=[UploadValidator("disclosure.identity_proof")],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class ApplyForm(SpamGuardMixin, RequestFieldsForm):
    """The public application form, with the honeypot and the timing token of `gongkai.core.spam`."""

    identity_proof = _identity_proof_field(
        True, _("身份证明（身份证或营业执照的扫描件/照片，PDF、JPG、PNG，不超过5MB）")
    )
    promise = forms.BooleanField(label=_("本人承诺所填信息真实有效"), required=True)


class StaffRegisterForm(RequestFieldsForm):
    channel = forms.ChoiceField(
        label=_("申请渠道"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    received_date = forms.DateField(
        label=_("收到申请日期"),
        required=False,
        help_text=_("当面提交为提交之日；邮寄需签收的为签收之日（第三十一条）。平常信函、传真在确认后计算。"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    identity_proof = _identity_proof_field(False, _("身份证明扫描件"))


class TrackForm(forms.Form):
    tracking_number = forms.CharField(label=_("申请编号"), max_length=20, help_text=_("例如 2026-0001"))
    query_code = forms.CharField(label=_("查询码"), max_length=40)

    def clean_tracking_number(self):
        value = clean_text(self.cleaned_data["tracking_number"])
        if not re.fullmatch(r"\d{4}-\d{4,6}", value):
            raise ValidationError(_("申请编号格式应为“年份-序号”，例如 2026-0001"))
        return value


class VerifyForm(forms.Form):
    reply_number = forms.CharField(label=_("答复编号或文书编号"), max_length=40, required=False)
    pdf = forms.FileField(
        label=_("或上传答复 PDF 文件"), required=False, validators=[UploadValidator("disclosure.verify_pdf")]
    )

    def clean(self):
        data = super().clean()
        if not data.get("reply_number") and not data.get("pdf") and not self.errors.get("pdf"):
            raise ValidationError(_("请填写答复编号或上传答复 PDF 文件"))
        data["reply_number"] = clean_text(data.get("reply_number") or "")
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CorrectionForm(forms.Form):
    """The corrected application, online with the tracking number and the query code (Art. 30)."""

    tracking_number = forms.CharField(label=_("申请编号"), max_length=20)
    query_code = forms.CharField(label=_("查询码"), max_length=40)
    text = forms.CharField(
        label=_("补正内容"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请按补正告知书的要求写明补正的内容，例如所需信息的名称、文号、形成时间"),
    )
    files = MultipleFileField(
        label=_("补正材料（可选，最多5个文件：PDF、Word、Excel、图片等）"),
        required=False,
        validators=[UploadValidator("disclosure.correction_file")],
    )
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_tracking_number(self):
        value = clean_text(self.cleaned_data["tracking_number"])
        if not re.fullmatch(r"\d{4}-\d{4,6}", value):
            raise ValidationError(_("申请编号格式应为“年份-序号”，例如 2026-0001"))
        return value

    def clean_text(self):
        value = clean_text(self.cleaned_data["text"])
        if len(value) < 5:
            raise ValidationError(_("请写明补正的内容"))
        return value

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("提交未通过检查，请刷新页面后重新填写"))
        try:
            token_age(
                data.get("form_token") or ""
            )  # signed by this site and not stale (no minimum fill time)
        except ValidationError:
            raise ValidationError(_("表单已过期或无效，请重新查询后再提交"))
        return data
