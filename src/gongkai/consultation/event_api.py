"""Public API of events (mounted at /api/v1/events): published events with their seats, the published questions
with their answers and, once published, the closing report with its photos. Never a registrant's name, telephone,
organisation or code; never a pending or hidden question."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from .event_models import Event, EventQuestion

router = Router(tags=["公众参与活动"])


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    department: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    online_url: str
    capacity: int
    seats_left: int
    waiting: int
    registration_open: bool
    status: str  # upcoming | past
    has_report: bool
    url: str


class QuestionOut(Schema):
    id: int
    text: str
    name: str
    created_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None


class PhotoOut(Schema):
    url: str
    caption: str


class ReportOut(Schema):
    summary: str
    attendance: int | None
    published_at: datetime.datetime | None
    photos: list[PhotoOut]


class EventDetailOut(EventOut):
    description: str
    contact: str
    questions: list[QuestionOut]
    report: ReportOut | None


def _out(e: Event, now) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_label": str(e.get_kind_display()),
        "title": e.title,
        "department": e.department.name,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "place": e.place,
        "online_url": e.online_url,
        "capacity": e.capacity,
        "seats_left": e.seats_left(),
        "waiting": e.waiting_count(),
        "registration_open": e.registration_open(now),
        "status": "past" if e.has_ended(now) else "upcoming",
        "has_report": e.report_is_public,
        "url": e.get_absolute_url(),
    }


@router.get("", response=list[EventOut], summary="公众参与活动列表（政策公开讲、政务开放日、公众议事会）")
def list_events(request, status: str | None = None):
    now = timezone.now()
    items = Event.objects.public().select_related("department")
    if status == "upcoming":
        items = items.filter(ends_at__gt=now)
    elif status == "past":
        items = items.filter(ends_at__lte=now)
    return [_out(e, now) for e in items[:500]]


@router.get("/{event_id}", response=EventDetailOut, summary="一次活动：介绍、公开的提问和答复、活动总结")
def get_event(request, event_id: int):
    from .event_views import report_photos

    now = timezone.now()
    e = get_object_or_404(Event.objects.public().select_related("department"), pk=event_id)
    data = _out(e, now)
    data["description"] = e.description
    data["contact"] = e.contact
    data["questions"] = [
        {
            "id": q.pk,
            "text": q.text,
            "name": q.public_name,
            "created_at": q.created_at,
            "answer": q.answer,
            "answered_at": q.answered_at,
        }
        for q in EventQuestion.objects.public().filter(event=e).order_by("created_at", "id")
    ]
    data["report"] = (
        {
            "summary": e.report_summary,
            "attendance": e.report_attendance,
            "published_at": e.report_published_at,
            "photos": report_photos(e),
        }
        if e.report_is_public
        else None
    )
    return data
