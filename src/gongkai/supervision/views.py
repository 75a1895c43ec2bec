"""The public column (工作要点落实情况): published plans only, public data only (see `public.py`)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.portal.i18n import ContentSelect

from .deadlines import BadQuarter, parse_quarter
from .forms import DateInput
from .models import Evidence, EvidenceKind, Plan, PlanKind, ReportStatus, Snapshot, TaskStatus
from .public import public_plan_data


def index(request):
    plans = Plan.objects.published().prefetch_related("snapshots")
    groups = []
    for kind in PlanKind:
        items = [p for p in plans if p.kind == kind]
        if items:
            groups.append({"label": kind.label, "plans": items})
    return render(request, "supervision/index.html", {"groups": groups})


ROWS_PER_PAGE = 60
LIGHT_NAMES = {"red": gettext_lazy("红灯"), "yellow": gettext_lazy("黄灯"), "green": gettext_lazy("绿灯")}


class PublicFilterForm(forms.Form):
    """Finding tasks in the public column: words, department, status, light (all optional)."""

    q = forms.CharField(label=gettext_lazy("关键词"), required=False, max_length=50)
    department = forms.ChoiceField(label=gettext_lazy("部门"), required=False, widget=ContentSelect)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *TaskStatus.choices],
    )
    light = forms.ChoiceField(
        label=gettext_lazy("警示灯"),
        required=False,
        choices=[("", gettext_lazy("全部")), *[(k, v) for k, v in LIGHT_NAMES.items()]],
    )

    due_from = forms.DateField(label=gettext_lazy("截止日期从"), required=False, widget=DateInput())
    due_to = forms.DateField(label=gettext_lazy("截止日期至"), required=False, widget=DateInput())

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", gettext_lazy("全部部门"))] + [(d, d) for d in departments]


def _matches(task: dict, f: dict) -> bool:
    if f.get("status") and task["status"] != f["status"]:
        return False
    if f.get("light") and task.get("light") != f["light"]:
        return False
    if f.get("department") and f["department"] not in task["lead"] + task["responsible"] + task["supporting"]:
        return False
    due = task.get("due") or task.get("deadline")
    if f.get("due_from") and (not due or due < f["due_from"].isoformat()):
        return False
    if f.get("due_to") and (not due or due > f["due_to"].isoformat()):
        return False
    for word in (f.get("q") or "").split()[:5]:
        if (
            word not in task["text"]
            and word not in task.get("ref_label", task["ref"])
            and word != task["ref"]
        ):
            return False
    return True


def _rows(data: dict, by: str, f: dict) -> list[tuple[str, dict, dict]]:
    """(group title, group summary, task) for every row, in the order the page shows them."""
    tasks = {t["id"]: t for t in data["tasks"]}
    rows = []
    if by == "department":
        for row in data["departments"]:
            if f.get("department") and row["department"] != f["department"]:
                continue
            for i in row["task_ids"]:
                if i in tasks and _matches(tasks[i], f):
                    rows.append((row["department"], row, tasks[i]))
    else:
        for s in data["sections"]:
            for i in s["task_ids"]:
                if i in tasks and _matches(tasks[i], f):
                    rows.append((s["title"], None, tasks[i]))
    return rows


def _grouped(page_rows) -> list[dict]:
    groups: list[dict] = []
    for title, summary, task in page_rows:
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "summary": summary, "tasks": []})
        groups[-1]["tasks"].append(task)
    return groups


def _render_plan(request, plan, data, snapshot=None):
    by = "department" if request.GET.get("by") == "department" else "section"
    names = sorted({row["department"] for row in data["departments"]})
    form = PublicFilterForm(request.GET or None, departments=names)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = _rows(data, by, filters)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    groups = _grouped(page.object_list)
    if (
        page.number > 1
        and groups
        and page.paginator.page(page.number - 1).object_list[-1][0] == groups[0]["title"]
    ):
        groups[0]["continued"] = True
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "data": data,
            "groups": groups,
            "by": by,
            "page": page,
            "page_query": query.urlencode(),
            "filter_form": form,
            "filtered": any(filters.values()) if filters else False,
            "shown": len(rows),
            "snapshot": snapshot,
            "snapshots": plan.snapshots.order_by("-quarter"),
            "quarterly": plan.kind != PlanKind.WORK_PLAN,
            "light_names": LIGHT_NAMES,
        },
    )


def plan_detail(request, plan_id: int):
    plan = get_object_or_404(Plan.objects.published(), pk=plan_id)
    return _render_plan(request, plan, public_plan_data(plan))


def snapshot(request, plan_id: int, quarter: str):
    plan = get_object_or_404(Plan.objects.published(), pk=plan_id)
    try:
        year, q = parse_quarter(quarter)
    except BadQuarter:
        raise Http404(_("季度格式不正确"))
    snap = get_object_or_404(Snapshot, plan=plan, quarter=f"{year}Q{q}")
    return _render_plan(request, plan, snap.data, snapshot=snap)


def task_detail(request, plan_id: int, task_id: int):
    plan = get_object_or_404(Plan.objects.published(), pk=plan_id)
    data = public_plan_data(plan)
    task = next((t for t in data["tasks"] if t["id"] == task_id), None)
    if task is None:
        raise Http404(_("没有这项任务"))
    return render(request, "supervision/task_detail.html", {"plan": plan, "task": task, "data": data})


def evidence_file(request, pk: int):
    """An uploaded evidence file, public only once its report is accepted in a published plan."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__occurrence__task__plan"),
        pk=pk,
        kind=EvidenceKind.FILE,
        report__status=ReportStatus.ACCEPTED,
        report__occurrence__task__plan__in=Plan.objects.published(),
    )
    if not evidence.file:
        raise Http404
    from gongkai.core.storage import serve_private_file

    return serve_private_file(request, evidence.file, download_name=evidence.title)
