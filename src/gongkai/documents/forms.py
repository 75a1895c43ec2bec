from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.external import looks_external
from gongkai.core.models import Department
from gongkai.core.uploads import UploadValidator, register_upload_kind
from gongkai.policies.models import DisclosureAttribute, DocumentKind, PolicyType

from .doc_number import check_doc_number
from .extract import SUPPORTED_EXTENSIONS

# An official document read into a structured record; the file itself is not kept (documents/views.py).
register_upload_kind(
    "documents.source", label=_("公文文件"), types=["txt", "md", "docx", "pdf", "html"], stored=False
)


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        help_text=_("支持 .txt .md .docx .pdf .html；扫描件请先进行文字识别"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in SUPPORTED_EXTENSIONS)}),
        validators=[UploadValidator("documents.source")],
    )
    default_issuer = forms.ModelChoiceField(
        label=_("默认发文机构"),
        queryset=Department.objects.active(),
        required=False,
        help_text=_("文中的发文机关无法识别时使用"),
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ImportCorrectionForm(forms.Form):
    """The import preview: every field the import will write, pre-filled from the document, each correctable."""

    title = forms.CharField(label=_("标题"), max_length=300)
    doc_number = forms.CharField(label=_("发文字号"), max_length=80, required=False)
    issuer = forms.ModelChoiceField(
        label=_("发文机构"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        help_text=_("本区部门或已登记的外部机关"),
    )
    new_external_issuer = forms.CharField(
        label=_("或登记新的外部机关"),
        max_length=100,
        required=False,
        help_text=_("区外的发文机关（如国务院、市政府部门）尚未登记时填写全称"),
    )
    joint_issuers = forms.ModelMultipleChoiceField(
        label=_("联合发文单位"), queryset=Department.objects.filter(is_active=True), required=False
    )
    document_kind = forms.ChoiceField(label=_("文件类别"), choices=DocumentKind.choices)
    policy_type = forms.ChoiceField(
        label=_("政策类型"),
        choices=[("", _("—（外部文件不分类）"))] + list(PolicyType.choices),
        required=False,
    )
    written_date = forms.DateField(label=_("成文日期"), required=False, widget=DateInput())
    publish_date = forms.DateField(label=_("发布日期"), required=False, widget=DateInput())
    effective_date = forms.DateField(label=_("实施日期"), required=False, widget=DateInput())
    repeal_date = forms.DateField(label=_("废止日期"), required=False, widget=DateInput())
    disclosure = forms.ChoiceField(label=_("公开属性"), choices=DisclosureAttribute.choices)
    disclosure_reason = forms.CharField(
        label=_("不公开理由及依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_doc_number(self):
        value = self.cleaned_data["doc_number"].strip()
        if not value:
            return ""
        check = check_doc_number(value)
        if not check.repairable:
            raise forms.ValidationError("；".join(p.message for p in check.problems))
        return check.normalised

    def clean_new_external_issuer(self):
        value = self.cleaned_data["new_external_issuer"].strip()
        if value and not looks_external(value):
            raise forms.ValidationError(
                _("“%(name)s”不是区外机关的名称（本区部门请在上方选择）"), params={"name": value}
            )
        return value

    def clean(self):
        data = super().clean()
        if (
            not data.get("issuer")
            and not data.get("new_external_issuer")
            and "new_external_issuer" not in self.errors
        ):
            self.add_error("issuer", _("请选择发文机构，或填写新的外部机关"))
        written, published = data.get("written_date"), data.get("publish_date")
        if written and published and published < written:
            self.add_error("publish_date", _("发布日期不能早于成文日期"))
        effective, repealed = data.get("effective_date"), data.get("repeal_date")
        if effective and repealed and repealed < effective:
            self.add_error("repeal_date", _("废止日期不能早于实施日期"))
        if data.get("disclosure") and data["disclosure"] != DisclosureAttribute.PROACTIVE:
            if not (data.get("disclosure_reason") or "").strip():
                self.add_error("disclosure_reason", _("依申请公开或不予公开的文件必须填写理由及依据"))
        return data

    @classmethod
    def initial_from(cls, plan) -> dict:
        fields = plan.fields
        return {
            "title": fields["title"],
            "doc_number": fields["doc_number"],
            "issuer": plan.issuer.pk if plan.issuer else None,
            "new_external_issuer": plan.new_external_issuer,
            "joint_issuers": [d.pk for d in plan.joint],
            "document_kind": fields["document_kind"],
            "policy_type": fields["policy_type"],
            "written_date": fields["written_date"],
            "publish_date": fields["publish_date"],
            "effective_date": fields["effective_date"],
            "repeal_date": fields["repeal_date"],
            "disclosure": fields.get("disclosure", DisclosureAttribute.PROACTIVE),
            "disclosure_reason": fields.get("disclosure_reason", ""),
        }
