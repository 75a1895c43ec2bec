"""Forms of 政务咨询: the public question form (with the spam guards), the tracking form and the staff forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.spam import SpamGuardMixin
from gongkai.portal.i18n import ContentSelect, department_label

from .enquiries import ANSWER_MAX_CHARS, QUESTION_MAX_CHARS, REASON_MAX_CHARS, SUBJECT_MAX_CHARS

UNSURE = "unsure"


def department_choices():
    return [(d.pk, department_label(d)) for d in Department.objects.active().order_by("sort_order", "name")]


class EnquiryForm(SpamGuardMixin, forms.Form):
    department = forms.ChoiceField(
        label=_("咨询部门"),
        widget=ContentSelect,
        help_text=_("不清楚由哪个部门答复时，请选择“不确定”，由区政务公开办转交有关部门"),
    )
    subject = forms.CharField(label=_("标题"), max_length=SUBJECT_MAX_CHARS)
    question = forms.CharField(
        label=_("咨询内容"),
        max_length=QUESTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请勿在咨询内容中填写身份证号、手机号等个人信息"),
    )
    name = forms.CharField(label=_("姓名或单位（选填，不公开）"), max_length=50, required=False)
    contact = forms.CharField(
        label=_("联系方式（选填，不公开）"),
        max_length=100,
        required=False,
        help_text=_("仅供办理部门就您的咨询与您联系"),
    )
    consent_publish = forms.BooleanField(
        label=_("同意在去除个人信息后公开本咨询及答复，供其他公众参考"),
        required=False,
        help_text=_("不勾选则答复只有您凭查询码可以查看；您的姓名和联系方式在任何情况下都不会公开"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            ("", _("请选择")),
            (UNSURE, _("不确定（由区政务公开办分办）")),
            *department_choices(),
        ]

    def clean_department(self):
        value = self.cleaned_data["department"]
        if value == UNSURE:
            return None
        return Department.objects.active().get(pk=int(value))


class TrackForm(forms.Form):
    number = forms.CharField(label=_("咨询编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=40)


# --- staff ------------------------------------------------------------------------------------------------------


class RouteForm(forms.Form):
    department = forms.ModelChoiceField(label=_("办理部门"), queryset=Department.objects.none())
    reason = forms.CharField(
        label=_("转办理由"),
        max_length=REASON_MAX_CHARS,
        required=False,
        help_text=_("已分办给某部门的咨询再转办时必填，记入操作记录"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.active().order_by("sort_order", "name")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=REASON_MAX_CHARS)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"), max_length=ANSWER_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 10})
    )


class RedactForm(forms.Form):
    field = forms.ChoiceField(
        label=_("脱敏的内容"),
        choices=[("subject", _("标题")), ("question", _("咨询内容")), ("answer", _("答复"))],
    )
    reason = forms.CharField(label=_("脱敏理由"), max_length=REASON_MAX_CHARS)
