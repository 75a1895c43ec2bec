"""Forms of the supervision admin screens. Every input has a label; errors are in Chinese."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.uploads import UploadValidator

from .models import PlanKind, Recurrence, Section


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("工作要点文件"),
        help_text=_("支持 .docx、.pdf、.txt、.html"),
        validators=[UploadValidator("supervision.workplan")],
    )
    year = forms.IntegerField(
        label=_("年度"), required=False, min_value=2000, max_value=2100, help_text=_("留空则从文件识别")
    )
    kind = forms.ChoiceField(label=_("类型"), choices=PlanKind.choices, initial=PlanKind.WORK_PLAN)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        ext = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if ext not in {"docx", "pdf", "txt", "html", "htm"}:
            raise forms.ValidationError(_("不支持的文件类型，请上传 .docx、.pdf、.txt 或 .html"))
        if upload.size > settings.GONGKAI_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件过大"))
        if upload.size == 0:
            raise forms.ValidationError(_("文件为空"))
        return upload


class PlanForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类型"), choices=PlanKind.choices)


def _department_field(label):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Department.objects.active(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class TaskForm(forms.Form):
    ref = forms.CharField(label=_("编号"), max_length=40)
    section = forms.ModelChoiceField(label=_("章节"), queryset=Section.objects.none(), required=False)
    text = forms.CharField(label=_("任务内容"), widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(
        label=_("完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    recurrence = forms.ChoiceField(label=_("周期"), choices=Recurrence.choices, required=False)
    weight = forms.DecimalField(label=_("权重"), min_value=0, max_value=100, decimal_places=2, initial=1)
    lead = _department_field(_("牵头部门"))
    responsible = _department_field(_("负责部门"))
    supporting = _department_field(_("配合部门"))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["section"].queryset = plan.sections.all()

    def clean(self):
        data = super().clean()
        if not data.get("lead") and not data.get("responsible"):
            raise forms.ValidationError(_("请至少选择一个牵头或负责部门"))
        if not data.get("deadline") and not data.get("recurrence"):
            raise forms.ValidationError(_("请填写完成时限或选择周期"))
        return data


class ReportForm(forms.Form):
    summary = forms.CharField(label=_("工作进展"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    percent = forms.IntegerField(label=_("完成比例（%）"), min_value=0, max_value=100)
    claims_completion = forms.BooleanField(label=_("申报完成"), required=False)
    internal_note = forms.CharField(
        label=_("内部说明（不公开）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    policy = forms.IntegerField(label=_("佐证：平台政策文件编号"), required=False, min_value=1)
    link_url = forms.CharField(label=_("佐证：网页链接"), required=False, max_length=500)
    link_title = forms.CharField(label=_("链接名称"), required=False, max_length=300)
    file = forms.FileField(
        label=_("佐证：上传文件"),
        required=False,
        validators=[UploadValidator("supervision.evidence")],
        help_text=_("报告被采纳且计划已公开后，佐证文件将在网站公开，请勿上传内部材料"),
    )

    def clean_policy(self):
        pk = self.cleaned_data.get("policy")
        if not pk:
            return None
        from gongkai.policies.models import Policy

        policy = Policy.objects.filter(pk=pk).first()
        if policy is None or not policy.is_public:
            raise forms.ValidationError(_("没有编号为 %(pk)s 的已发布政策文件"), params={"pk": pk})
        return policy

    def evidence(self):
        items = []
        data = self.cleaned_data
        if data.get("policy"):
            items.append({"kind": "policy", "policy": data["policy"]})
        if data.get("link_url"):
            items.append({"kind": "link", "url": data["link_url"], "title": data.get("link_title", "")})
        if data.get("file"):
            items.append({"kind": "file", "file": data["file"]})
        return items


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class QuarterForm(forms.Form):
    quarter = forms.RegexField(
        label=_("季度"),
        regex=r"^\d{4}[Qq][1-4]$",
        max_length=6,
        help_text=_("例如 2024Q3"),
        error_messages={"invalid": _("季度格式应为“2024Q3”")},
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
