"""Public API for interpretations and the Q&A base, mounted at /api/v1/interpretations. Only published
interpretations of public policies, and only published questions, are ever returned."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from gongkai.policies.models import Interpretation, PolicyQuestion

router = Router(tags=["政策解读"])

MAX_PAGE_SIZE = 100


class ElementOut(Schema):
    label: str
    text: str


class InterpretationOut(Schema):
    id: int
    title: str
    form: str
    form_label: str
    department: str
    first_interpreter: str
    published_at: datetime.datetime | None
    policy_ids: list[int]
    url: str


class InterpretationDetailOut(InterpretationOut):
    elements: list[ElementOut]
    image_alt: str
    media_url: str
    transcript: str


class InterpretationPage(Schema):
    count: int
    page: int
    results: list[InterpretationOut]


class QuestionOut(Schema):
    id: int
    policy_id: int
    article: str
    question: str
    answer: str
    published_at: datetime.datetime | None


def _out(item, detail=False) -> dict:
    data = {
        "id": item.pk,
        "title": item.title,
        "form": item.form,
        "form_label": str(item.get_form_display()),
        "department": item.department.display_name,
        "first_interpreter": item.interpreter_name,
        "published_at": item.published_at,
        "policy_ids": list(item.policies.public().values_list("pk", flat=True)),
        "url": item.get_absolute_url(),
    }
    if detail:
        data["elements"] = [{"label": label, "text": text} for label, text in item.element_rows()]
        data["image_alt"] = item.image_alt
        data["media_url"] = item.media_url
        data["transcript"] = item.transcript
    return data


@router.get("/", response=InterpretationPage, summary="已发布的政策解读")
def list_interpretations(request, policy: int | None = None, page: int = 1, page_size: int = 20):
    page = max(1, min(page, 100000))
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    qs = Interpretation.objects.public().select_related("department").order_by("-published_at", "-id")
    if policy is not None:
        qs = qs.filter(policies=policy)
    total = qs.count()
    rows = qs[(page - 1) * page_size : page * page_size]
    return {"count": total, "page": page, "results": [_out(i) for i in rows]}


@router.get("/questions", response=list[QuestionOut], summary="政策问答（已公开）")
def list_questions(request, policy: int | None = None, q: str = "", limit: int = 50):
    from .views import search_questions

    qs = PolicyQuestion.objects.public().order_by("-published_at", "-id")
    if policy is not None:
        qs = qs.filter(policy_id=policy)
    query = "".join(ch for ch in q if ch.isprintable()).strip()[:100]
    if query:
        qs = search_questions(query, qs)
    return list(qs[: max(1, min(limit, MAX_PAGE_SIZE))])


@router.get("/{int:interpretation_id}", response=InterpretationDetailOut, summary="政策解读详情")
def get_interpretation(request, interpretation_id: int):
    item = get_object_or_404(
        Interpretation.objects.public().select_related("department"), pk=interpretation_id
    )
    return _out(item, detail=True)
