"""Public pages of 意见征集 and 需求征集 (mounted at /consultation/, namespace "consultation").

The lists, a consultation page (its draft, the published comments under their articles, the feedback report
with the comparison of draft and final text) and the closed surveys' results are cached public pages
(`@public_page`, no cookie). The comment and survey forms are not cached (CSRF token, CSP nonce)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.pagecache import public_page
from gongkai.core.spam import form_status, guard_post

from . import actions
from .drafts import public_file_links
from .forms import CommentForm, SurveyAnswerForm
from .models import Comment, Consultation, ReportStatus, Survey, SurveyStatus
from .results import results_with_charts

RESPONDENT_COOKIE = "gk_respondent"
RESPONDENT_COOKIE_PATH = "/consultation/surveys/"


def _public_consultation(pk) -> Consultation:
    return get_object_or_404(Consultation.objects.public().select_related("department", "policy"), pk=pk)


@public_page
def index(request):
    today = timezone.localdate()
    public = Consultation.objects.public().select_related("department")
    open_items = list(public.open_on(today))
    open_ids = {c.pk for c in open_items}
    closed = [
        c for c in public.filter(start_date__lte=today).select_related("report") if c.pk not in open_ids
    ]
    surveys = Survey.objects.public().select_related("department")
    return render(
        request,
        "consultation/index.html",
        {"open": open_items, "closed": closed[:100], "surveys": surveys[:50], "today": today},
    )


def _report(consultation):
    report = getattr(consultation, "report", None)
    return report if report is not None and report.status == ReportStatus.PUBLISHED else None


@public_page
def detail(request, pk):
    consultation = _public_consultation(pk)
    if consultation.start_date > timezone.localdate():
        raise Http404
    units = consultation.units()
    comments = list(Comment.objects.public().filter(consultation=consultation).order_by("created_at", "id"))
    by_unit: dict[int | None, list] = {}
    for c in comments:
        by_unit.setdefault(c.unit_index, []).append(c)
    rows = [{"index": i, "unit": u, "comments": by_unit.get(i, [])} for i, u in enumerate(units)]
    report = _report(consultation)
    report_points = report.labelled_points() if report else []
    return render(
        request,
        "consultation/detail.html",
        {
            "c": consultation,
            "rows": rows,
            "general": by_unit.get(None, []),
            "comment_count": len(comments),
            "report": report,
            "report_points": report_points,
            "is_open": consultation.is_open(),
            "surveys": consultation.surveys.exclude(status=SurveyStatus.DRAFT),
            "files": public_file_links(consultation),
        },
    )


@public_page
def report_docx(request, pk):
    """The published 意见采纳情况 as a Word file (the same report the page shows)."""
    from .report_docx import DOCX, filename, render_report_docx

    consultation = _public_consultation(pk)
    report = _report(consultation)
    if report is None:
        raise Http404
    response = HttpResponse(render_report_docx(report), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename(report)}"'
    return response


@require_http_methods(["GET", "POST"])
def comment(request, pk):
    consultation = _public_consultation(pk)
    if not consultation.is_open():
        return render(request, "consultation/closed.html", {"c": consultation}, status=410)
    units = consultation.units()
    if request.method == "POST":
        form = CommentForm(request.POST, units=units)
        if guard_post(request, form, "consultation.comment", message=_("提交次数过多，请一小时后再试")):
            data = form.cleaned_data
            try:
                actions.submit_comment(
                    consultation,
                    text=data["text"],
                    unit_index=data["unit"],
                    name=data["name"],
                    contact=data["contact"],
                    show_name=data["show_name"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                form.renew_token()
            else:
                return redirect("consultation:comment_sent", pk=consultation.pk)
        return render(
            request,
            "consultation/comment.html",
            {"c": consultation, "form": form},
            status=form_status(request, form),
        )
    initial = {}
    unit = request.GET.get("unit", "")
    if unit.isdigit() and int(unit) < len(units):
        initial["unit"] = int(unit)
    return render(
        request,
        "consultation/comment.html",
        {"c": consultation, "form": CommentForm(units=units, initial=initial)},
    )


@public_page
def comment_sent(request, pk):
    consultation = _public_consultation(pk)
    return render(request, "consultation/comment_sent.html", {"c": consultation})


def _respondent_token(request) -> str:
    token = request.COOKIES.get(RESPONDENT_COOKIE, "")
    return token if len(token) == 43 and token.replace("-", "").replace("_", "").isalnum() else ""


@require_http_methods(["GET", "POST"])
def survey(request, pk):
    item = get_object_or_404(Survey.objects.public().select_related("department"), pk=pk)
    if not item.is_accepting():
        return redirect("consultation:survey_results", pk=item.pk)
    token = _respondent_token(request)
    left = actions.answers_left(item, token)
    status = 200
    done = False
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, survey=item)
        new_token = token or secrets.token_urlsafe(32)
        if guard_post(request, form, "consultation.survey", message=_("提交次数过多，请一小时后再试")):
            try:
                actions.submit_survey_response(item, token=new_token, answers=form.answers())
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                form.renew_token()
                status = 400
            else:
                done = True
                left = actions.answers_left(item, new_token)
        else:
            status = form_status(request, form)
        response = render(
            request,
            "consultation/survey.html",
            {"s": item, "form": form, "done": done, "left": left},
            status=status,
        )
        if done and not token:
            response.set_cookie(
                RESPONDENT_COOKIE,
                new_token,
                max_age=365 * 24 * 3600,
                path=RESPONDENT_COOKIE_PATH,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
    form = SurveyAnswerForm(survey=item)
    return render(request, "consultation/survey.html", {"s": item, "form": form, "done": False, "left": left})


@public_page
def survey_results(request, pk):
    item = get_object_or_404(Survey.objects.public().select_related("department"), pk=pk)
    if item.status != SurveyStatus.CLOSED:
        raise Http404
    return render(
        request,
        "consultation/survey_results.html",
        {"s": item, "results": results_with_charts(item), "responses": item.responses.count()},
    )
