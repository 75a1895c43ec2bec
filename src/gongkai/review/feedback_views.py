"""Opinion after release (24:二(三)3) on the staff side and the public 回应关切 page.

Staff: the department's public feedback grouped by policy, each policy with the public-opinion risk recorded in its
pre-release review beside the feedback it collected (class, answer due, overdue, 回应关切); the monthly summary per
department with an .xlsx export. Both scope with `for_user` (a district-wide role sees every department, a
department only its own). Answering, classifying and publishing happen on the Q&A edit screen
(`wagtail_hooks.QuestionEditView`) through the actions of `gongkai.policies.feedback`.

Public: `/review/responses/` lists the published 回应关切 (question as published — redacted where it had to be —,
the answer, the class, the policy); never the asker's name or contact.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.pagecache import public_page
from gongkai.core.scoping import VIEW
from gongkai.policies import feedback
from gongkai.policies.models import FeedbackClass, PolicyQuestion, QuestionStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FEEDBACK_PERM = "policies.view_policyquestion"
MAX_ROWS = 300


def _require_perm(request):
    if not request.user.has_perm(FEEDBACK_PERM):
        raise PermissionDenied


def feedback_list(request):
    _require_perm(request)
    today = timezone.localdate()
    qs = (
        feedback.public_feedback()
        .for_user(request.user, VIEW)
        .select_related("policy", "policy__drafting_department")
        .order_by("-created_at", "-id")
    )
    state = request.GET.get("state", "pending")
    if state == "pending":
        qs = qs.filter(status=QuestionStatus.PENDING)
    elif state == "overdue":
        qs = qs.filter(pk__in=feedback.overdue(today).values("pk"))
    elif state == "answered":
        qs = qs.exclude(status=QuestionStatus.PENDING)
    else:
        state = "all"
    cls = request.GET.get("cls", "")
    if cls == "none":
        qs = qs.filter(feedback_class="")
    elif cls in FeedbackClass.values:
        qs = qs.filter(feedback_class=cls)
    else:
        cls = ""
    groups: dict[int, dict] = {}
    for item in qs[:MAX_ROWS]:
        group = groups.get(item.policy_id)
        if group is None:
            group = groups[item.policy_id] = {
                "policy": item.policy,
                "risk": feedback.review_risk(item.policy),
                "items": [],
            }
        group["items"].append({"item": item, "overdue": feedback.is_overdue(item, today)})
    overdue_count = feedback.overdue(today).for_user(request.user, VIEW).count()
    return render(
        request,
        "review/admin/feedback.html",
        {
            "page_title": _("政策发布后公众反馈"),
            "header_icon": "comment",
            "groups": list(groups.values()),
            "state": state,
            "cls": cls,
            "classes": FeedbackClass.choices,
            "overdue_count": overdue_count,
            "limit_days": feedback.answer_working_days(),
            "today": today,
        },
    )


def _month(request) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return int(match[1]), int(match[2])
    today = timezone.localdate()
    return today.year, today.month


def _neighbours(year: int, month: int) -> tuple[str, str]:
    first = datetime.date(year, month, 1)
    prev = first - datetime.timedelta(days=1)
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    return f"{prev.year}-{prev.month:02d}", f"{nxt.year}-{nxt.month:02d}"


def feedback_summary(request):
    _require_perm(request)
    year, month = _month(request)
    rows = feedback.monthly_summary(request.user, year, month)
    prev, nxt = _neighbours(year, month)
    return render(
        request,
        "review/admin/feedback_summary.html",
        {
            "page_title": _("公众反馈月度汇总"),
            "header_icon": "table",
            "rows": rows,
            "year": year,
            "month": month,
            "month_value": f"{year}-{month:02d}",
            "prev": prev,
            "next": nxt,
            "classes": FeedbackClass.choices,
            "limit_days": feedback.answer_working_days(),
        },
    )


def feedback_summary_xlsx(request):
    _require_perm(request)
    year, month = _month(request)
    rows = feedback.monthly_summary(request.user, year, month)
    response = HttpResponse(feedback.summary_xlsx(rows, year, month), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="feedback-{year}-{month:02d}.xlsx"'
    return response


def _page(request, qs, per_page=20):
    from django.core.paginator import Paginator

    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        number = 1
    return Paginator(qs, per_page).get_page(max(1, min(number, 100000)))


@public_page
def responses(request):
    qs = (
        PolicyQuestion.objects.responses()
        .select_related("policy", "policy__drafting_department")
        .order_by("-response_published_at", "-id")
    )
    policy_id = request.GET.get("policy", "")
    policy = None
    if policy_id:
        if policy_id.isdigit():
            qs = qs.filter(policy_id=int(policy_id))
            policy = qs.first().policy if qs.exists() else None
        else:
            qs = qs.none()
    cls = request.GET.get("cls", "")
    if cls in FeedbackClass.values:
        qs = qs.filter(feedback_class=cls)
    else:
        cls = ""
    return render(
        request,
        "review/responses.html",
        {"page": _page(request, qs), "policy": policy, "cls": cls, "classes": FeedbackClass.choices},
    )
