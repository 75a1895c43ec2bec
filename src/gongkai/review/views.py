"""Public pages: interpretations, the Q&A base and its search, the "ask a question" form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.pagecache import public_page
from gongkai.policies import actions as policy_actions
from gongkai.policies.models import Interpretation, Policy, PolicyQuestion

from .forms import AskQuestionForm

MAX_QUERY_CHARS = 100


def _page(request, qs, per_page=20):
    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        number = 1
    paginator = Paginator(qs, per_page)
    return paginator.get_page(max(1, min(number, 100000)))


@public_page
def interpretation_list(request):
    qs = Interpretation.objects.public().select_related("department").order_by("-published_at", "-id")
    return render(request, "review/interpretation_list.html", {"page": _page(request, qs)})


@public_page
def interpretation_detail(request, pk):
    from gongkai.core.storage import public_urls

    item = get_object_or_404(Interpretation.objects.public(), pk=pk)
    policies = item.policies.public()
    urls = public_urls([item.image.name, item.media_file.name])
    context = {
        "item": item,
        "policies": policies,
        "image_url": urls.get(item.image.name),
        "media_file_url": urls.get(item.media_file.name),
    }
    return render(request, "review/interpretation_detail.html", context)


def search_questions(query: str, queryset=None):
    """Searches the public Q&A base. Every word (split on spaces) must occur in the question, the answer or
    the article; substring matching finds words inside runs of Han characters."""
    qs = queryset if queryset is not None else PolicyQuestion.objects.public()
    terms = [t for t in query.split() if t][:10]
    for term in terms:
        qs = qs.filter(Q(question__icontains=term) | Q(answer__icontains=term) | Q(article__icontains=term))
    return qs


@public_page
def qa_search(request):
    raw = request.GET.get("q", "")
    query = "".join(ch for ch in raw if ch.isprintable()).strip()[:MAX_QUERY_CHARS]
    qs = PolicyQuestion.objects.public().select_related("policy").order_by("-published_at", "-id")
    policy_id = request.GET.get("policy", "")
    if policy_id:
        if not policy_id.isdigit():
            qs = qs.none()
        else:
            qs = qs.filter(policy_id=int(policy_id))
    if query:
        qs = search_questions(query, qs)
    return render(request, "review/qa_search.html", {"page": _page(request, qs), "query": query})


@require_http_methods(["GET", "POST"])
def ask_question(request, pk):
    from django.forms.forms import NON_FIELD_ERRORS

    from gongkai.core.spam import form_status, guard_post

    policy = get_object_or_404(Policy.objects.public(), pk=pk)
    form = AskQuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not guard_post(
        request, form, "policies.ask", message=_("提交次数过多，请稍后再试")
    ):
        if form.has_error(NON_FIELD_ERRORS, "honeypot"):
            # A robot filled the hidden field: pretend success, store nothing.
            messages.success(request, _("已收到，起草部门答复后将在本页公开。"))
            return redirect("review:ask_question", pk=policy.pk)
    elif request.method == "POST":
        try:
            policy_actions.ask_question(
                policy,
                question=form.cleaned_data["question"],
                article=form.cleaned_data.get("article", ""),
                asker_name=form.cleaned_data.get("asker_name", ""),
                asker_contact=form.cleaned_data.get("asker_contact", ""),
                comment=form.cleaned_data.get("kind") == "comment",
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            form.renew_token()
        else:
            messages.success(request, _("已收到，起草部门答复后将在本页公开。"))
            return redirect("review:ask_question", pk=policy.pk)
    questions = PolicyQuestion.objects.public().filter(policy=policy)
    return render(
        request,
        "review/ask.html",
        {"policy": policy, "form": form, "questions": questions},
        status=form_status(request, form),
    )
