"""The openness office's report of public searches that found nothing (issue 16): by count over a chosen
period, with an Excel export. Visible to the openness office (区政务公开办) and administrators only."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core.roles import ADMINISTRATOR, OPENNESS_OFFICE, user_has_role

from . import querylog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DAYS = 3660  # a period longer than ten years is cut (one row per query per day is read)


def can_view_report(user) -> bool:
    """The zero-result report: the openness office and administrators."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user_has_role(user, OPENNESS_OFFICE, ADMINISTRATOR))
    )


class PeriodForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contains = forms.CharField(label=gettext_lazy("检索词包含"), required=False, max_length=50)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期"))
        return data


def _period(request) -> tuple[PeriodForm, datetime.date, datetime.date, str]:
    """The period asked for (default: the last 30 days, today included)."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end, contains = today - datetime.timedelta(days=29), today, ""
    if form.is_bound and form.is_valid():
        end = form.cleaned_data["date_to"] or today
        start = form.cleaned_data["date_from"] or end - datetime.timedelta(days=29)
        contains = form.cleaned_data["contains"] or ""
    if (end - start).days > MAX_DAYS:
        start = end - datetime.timedelta(days=MAX_DAYS)
    if not form.is_bound:
        form = PeriodForm(initial={"date_from": start, "date_to": end})
    return form, start, end, contains


def zero_results(request):
    if not can_view_report(request.user):
        raise PermissionDenied
    form, start, end, contains = _period(request)
    rows = querylog.report(start, end, contains=contains)
    export = request.GET.copy()
    context = {
        "page_title": _("无结果检索词"),
        "form": form,
        "rows": rows,
        "date_from": start,
        "date_to": end,
        "searches": sum(r.count for r in rows),
        "export_query": export.urlencode(),
    }
    return render(request, "search/admin/zero_results.html", context)


def zero_results_export(request):
    if not can_view_report(request.user):
        raise PermissionDenied
    _form, start, end, contains = _period(request)
    rows = querylog.report(start, end, contains=contains)
    response = HttpResponse(zero_results_xlsx(rows, start, end), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="zero-result-queries-{start}-{end}.xlsx"'
    return response


def zero_results_xlsx(rows, start, end) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "无结果检索词"
    ws.append([f"公开网站无结果检索词（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）"])
    ws["A1"].font = Font(bold=True)
    header = ["序号", "检索词", "次数", "出现天数", "首次日期", "最近日期"]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for n, row in enumerate(rows, 1):
        ws.append([n, row.query, row.count, row.days, row.first_day, row.last_day])
        query_cell = ws.cell(row=ws.max_row, column=2)
        query_cell.data_type = "s"  # what visitors typed is text, never a formula (=…, +…)
        for column in (5, 6):
            ws.cell(row=ws.max_row, column=column).number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append(
        ["说明：只记录检索词（已按保密审查规则遮盖个人信息），不记录访问者的 IP 地址、Cookie 或其他信息。"]
    )
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["E"].width = 12
    ws.column_dimensions["F"].width = 12
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
