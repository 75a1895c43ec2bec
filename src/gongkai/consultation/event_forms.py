"""Forms of events: the public registration, cancellation and question forms (with the spam guards) and the staff
forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.spam import SpamGuardMixin
from gongkai.core.uploads import UploadValidator

from .event_models import EventKind
from .events import ANSWER_MAX_CHARS, DESCRIPTION_MAX_CHARS, QUESTION_MAX_CHARS, SUMMARY_MAX_CHARS

# --- public -------------------------------------------------------------------------------------------------------


class RegistrationForm(SpamGuardMixin, forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        help_text=_("仅供主办部门通知活动安排，不会公开"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    organisation = forms.CharField(label=_("单位（选填）"), max_length=100, required=False)
    consent = forms.BooleanField(
        label=_("我同意主办部门为组织本次活动使用上述信息（活动结束后按规定保存和销毁）"), required=True
    )


class CodeForm(SpamGuardMixin, forms.Form):
    code = forms.CharField(
        label=_("确认码"),
        max_length=32,
        help_text=_("报名成功时页面上显示的 8 位确认码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    cancel = forms.BooleanField(label=_("取消我的报名"), required=False)


class QuestionForm(SpamGuardMixin, forms.Form):
    text = forms.CharField(
        label=_("您的问题"),
        max_length=QUESTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请勿填写身份证号、手机号等个人信息；问题经审核后公开，在活动中或活动后答复"),
    )
    name = forms.CharField(label=_("姓名或单位（选填）"), max_length=50, required=False)
    show_name = forms.BooleanField(
        label=_("公开时显示我的姓名或单位（不勾选则显示为“匿名”）"), required=False
    )


# --- staff --------------------------------------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EventForm(forms.Form):
    department = forms.ModelChoiceField(label=_("主办部门"), queryset=None)
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=200)
    description = forms.CharField(
        label=_("活动介绍"), max_length=DESCRIPTION_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 6})
    )
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("线上参与链接"), max_length=200, required=False, assume_scheme="https"
    )
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000)
    waiting_limit = forms.IntegerField(
        label=_("候补名额"), min_value=0, max_value=100000, initial=20, help_text=_("名额报满后可候补的人数")
    )
    contact = forms.CharField(label=_("咨询电话"), max_length=100, required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        if departments.count() == 1:
            self.fields["department"].initial = departments.first()


class StaffCancelForm(forms.Form):
    reason = forms.CharField(label=_("取消理由"), max_length=300)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("按确认码签到"), max_length=32)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"), max_length=ANSWER_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )


class EventReportForm(forms.Form):
    summary = forms.CharField(
        label=_("活动总结"), max_length=SUMMARY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 8})
    )
    attendance = forms.IntegerField(
        label=_("实到人数"), min_value=0, max_value=100000, required=False, help_text=_("留空则按签到人数")
    )


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("照片"),
        validators=[UploadValidator("consultation.event_photo")],
        help_text=_("JPG 或 PNG，不超过 8 MB；活动总结公开后才对外显示"),
    )
    caption = forms.CharField(label=_("照片说明"), max_length=200)
