"""Forms of the supervision admin screens. Every input has a label; errors are in Chinese."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Department
from gongkai.core.uploads import UploadValidator

from .models import (
    Light,
    Occurrence,
    Plan,
    PlanKind,
    PlanStatus,
    Recurrence,
    Section,
    Task,
    TaskAssignment,
    TaskStatus,
)


class DateInput(forms.DateInput):
    """<input type="date"> needs its value as YYYY-MM-DD whatever the active locale's date format is (zh-hans
    writes 2024/10/31, which the browser shows as an empty field and then saves as no date)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
    update = forms.BooleanField(
        label=_("更新已有计划"),
        required=False,
        help_text=_("同一计划已导入时，用这份文件更新它（按任务编号对应，已有进展报告的任务保留）"),
    )

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
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=DateInput())
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
    policy = forms.ModelChoiceField(
        label=_("佐证：平台政策文件"),
        queryset=None,
        required=False,
        help_text=_("从已发布的政策文件中选择（按标题或文号搜索）"),
    )
    link_url = forms.CharField(label=_("佐证：网页链接"), required=False, max_length=500)
    link_title = forms.CharField(label=_("链接名称"), required=False, max_length=300)
    file = forms.FileField(
        label=_("佐证：上传文件"),
        required=False,
        validators=[UploadValidator("supervision.evidence")],
        help_text=_("报告被采纳且计划已公开后，佐证文件将在网站公开，请勿上传内部材料"),
    )

    def __init__(self, *args, **kwargs):
        from wagtail.snippets.widgets import AdminSnippetChooser

        from gongkai.policies.models import Policy

        super().__init__(*args, **kwargs)
        field = self.fields["policy"]
        field.queryset = Policy.objects.all()
        field.widget = AdminSnippetChooser(Policy)
        field.error_messages["invalid_choice"] = _("所选政策文件不存在")

    def clean_policy(self):
        policy = self.cleaned_data.get("policy")
        if policy is not None and not policy.is_public:
            raise forms.ValidationError(
                _("“%(title)s”尚未公开发布，不能作为佐证"), params={"title": policy.title[:60]}
            )
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


class UrgeForm(forms.Form):
    message = forms.CharField(
        label=_("催办意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        initial=_("请抓紧推进，并于3个工作日内报送进展。"),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("催办部门"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选则催办所有尚未完成的牵头和负责部门"),
    )

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        if task is not None:
            self.fields["departments"].queryset = Department.objects.filter(
                pk__in=[a.department_id for a in task.assignments.all() if a.role != "supporting"]
            )


class ExtensionForm(forms.Form):
    occurrence = forms.ModelChoiceField(label=_("周期"), queryset=Occurrence.objects.none(), required=False)
    requested_due = forms.DateField(label=_("申请延至"), widget=DateInput())
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["occurrence"]
        field.empty_label = _("最早未完成的周期")
        field.label_from_instance = lambda o: f"{o.period_label}（截止 {o.due_date}）"
        if task is not None:
            field.queryset = task.occurrences.exclude(due_date=None).order_by("period_start")


class DecideExtensionForm(forms.Form):
    note = forms.CharField(
        label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("留言"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class BulletinForm(forms.Form):
    quarter = forms.RegexField(
        label=_("季度"),
        regex=r"^\d{4}[Qq][1-4]$",
        max_length=6,
        help_text=_("例如 2024Q3"),
        error_messages={"invalid": _("季度格式应为“2024Q3”")},
    )
    doc_number = forms.CharField(
        label=_("文号"), required=False, max_length=80, help_text=_("留空按默认格式")
    )
    issued_on = forms.DateField(label=_("成文日期"), required=False, widget=DateInput())


class TaskFilter(django_filters.FilterSet):
    """Finding tasks in the admin and the ledger: by words, plan, department, status, light and deadline."""

    q = django_filters.CharFilter(label=_("关键词"), method="filter_words")
    plan = django_filters.ModelChoiceFilter(
        label=_("计划"), queryset=Plan.objects.exclude(status=PlanStatus.DRAFT), empty_label=_("全部计划")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("部门"),
        queryset=Department.objects.active(),
        method="filter_department",
        empty_label=_("全部部门"),
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=TaskStatus.choices, empty_label=_("全部状态")
    )
    light = django_filters.ChoiceFilter(label=_("警示灯"), choices=Light.choices, empty_label=_("全部"))
    due_from = django_filters.DateFilter(label=_("截止日期从"), method="filter_due_from", widget=DateInput())
    due_to = django_filters.DateFilter(label=_("截止日期至"), method="filter_due_to", widget=DateInput())
    archived = django_filters.BooleanFilter(
        label=_("含已归档计划"), method="filter_archived", widget=forms.CheckboxInput
    )

    class Meta:
        model = Task
        fields = ["q", "plan", "department", "status", "light", "due_from", "due_to"]

    def filter_words(self, queryset, name, value):
        words = value.split()[:5]
        for word in words:
            queryset = queryset.filter(Q(text__icontains=word) | Q(ref__icontains=word) | Q(ref_label=word))
        return queryset

    def filter_department(self, queryset, name, value):
        return queryset.filter(pk__in=TaskAssignment.objects.filter(department=value).values("task_id"))

    def filter_due_from(self, queryset, name, value):
        return queryset.filter(pk__in=Occurrence.objects.filter(due_date__gte=value).values("task_id"))

    def filter_due_to(self, queryset, name, value):
        return queryset.filter(pk__in=Occurrence.objects.filter(due_date__lte=value).values("task_id"))

    def filter_archived(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        plan_chosen = self.form.is_valid() and self.form.cleaned_data.get("plan")
        if not plan_chosen and not (self.form.is_valid() and self.form.cleaned_data.get("archived")):
            queryset = queryset.exclude(plan__status=PlanStatus.ARCHIVED)
        return queryset


class PlanLifeForm(forms.Form):
    op = forms.ChoiceField(
        choices=[
            ("close", _("结束")),
            ("archive", _("归档")),
            ("reopen", _("重新启用")),
            ("delete", _("删除")),
        ]
    )
