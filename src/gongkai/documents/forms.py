from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.uploads import UploadValidator, register_upload_kind

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
