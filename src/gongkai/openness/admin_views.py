"""The completeness check of the 政务公开全清单 as an admin report (报告 → 全清单完整性检查): every item the user may
see (a department: its own; district-wide roles: all), with what is overdue or missing, and an Excel export."""

from __future__ import annotations

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import completeness
from .models import ListItem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_view_completeness(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("openness.view_listitem"))


class FilterForm(forms.Form):
    department = forms.ModelChoiceField(label=gettext_lazy("部门"), queryset=None, required=False)
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["department"].empty_label = _("全部部门")
        self.fields["status"].choices = [("", _("全部")), ("problem", _("逾期或从未公开")), *[
            (k, str(v)) for k, v in completeness.STATUS_LABELS.items()
        ]]  # fmt: skip


def _checks(request):
    from gongkai.core.models import Department

    items = ListItem.objects.for_user(request.user).filter(active=True).select_related("department")
    departments = Department.objects.filter(pk__in=items.values("department_id")).order_by(
        "sort_order", "name"
    )
    form = FilterForm(request.GET or None, departments=departments)
    status = ""
    if form.is_bound and form.is_valid():
        if form.cleaned_data["department"]:
            items = items.filter(department=form.cleaned_data["department"])
        status = form.cleaned_data["status"]
    checks = completeness.check_items(items)
    if status == "problem":
        checks = [c for c in checks if c.problem]
    elif status:
        checks = [c for c in checks if c.status == status]
    order = {completeness.MISSING: 0, completeness.OVERDUE: 1, completeness.PENDING: 2, completeness.OK: 3}
    checks.sort(
        key=lambda c: (order[c.status], c.item.department.sort_order, c.item.department.name, c.item.name)
    )
    return form, checks


@login_required
def completeness_report(request):
    if not can_view_completeness(request.user):
        raise PermissionDenied
    form, checks = _checks(request)
    context = {
        "page_title": _("全清单完整性检查"),
        "form": form,
        "checks": checks,
        "summary": [(completeness.STATUS_LABELS[k], n, k) for k, n in completeness.summary(checks).items()],
        "today": timezone.localdate(),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "openness/admin/completeness.html", context)


@login_required
def completeness_export(request):
    if not can_view_completeness(request.user):
        raise PermissionDenied
    _form, checks = _checks(request)
    response = HttpResponse(completeness_xlsx(checks, timezone.localdate()), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="openness-list-check-{timezone.localdate()}.xlsx"'
    )
    return response


def completeness_xlsx(checks, today) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "完整性检查"
    ws.append([f"政务公开全清单完整性检查（{today:%Y-%m-%d}）"])
    ws["A1"].font = Font(bold=True)
    header = ["序号", "部门", "公开类别", "公开事项", "公开依据", "公开时限", "公开渠道", "最近公开日期", "应公开日期",
              "状态", "说明"]  # fmt: skip
    ws.append(header)
    for c in ws[2]:
        c.font = Font(bold=True)
    red = PatternFill("solid", fgColor="FFD7D7")
    for n, check in enumerate(checks, 1):
        item = check.item
        ws.append([
            n, item.department.name, item.get_category_display(), item.name, item.basis, item.timing, item.channel,
            item.last_published_on, check.due_on, str(check.label), check.explanation,
        ])  # fmt: skip
        row = ws.max_row
        for column in (2, 4, 5, 6, 7, 11):
            ws.cell(row=row, column=column).data_type = "s"  # text typed by staff is never a formula
        for column in (8, 9):
            ws.cell(row=row, column=column).number_format = "yyyy-mm-dd"
        if check.problem:
            ws.cell(row=row, column=10).fill = red
    for letter, width in zip("ABCDEFGHIJK", (6, 18, 14, 30, 40, 24, 16, 12, 12, 14, 50), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


urlpatterns = [
    path("completeness/", completeness_report, name="completeness"),
    path("completeness/export.xlsx", completeness_export, name="completeness_export"),
]
