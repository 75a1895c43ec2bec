"""Public pages of events (mounted under /consultation/events/): the list (upcoming, past with their reports) and
the event page are cached public pages without cookies; the registration, my-registration (status and
cancellation with the code) and question forms are not cached. No page ever shows a registrant's name, telephone
or organisation."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.core.pagecache import public_page
from gongkai.core.spam import form_status, guard_post

from . import events as actions
from .event_forms import CodeForm, QuestionForm, RegistrationForm
from .event_models import Event, EventQuestion, RegistrationStatus


def _public_event(pk) -> Event:
    return get_object_or_404(Event.objects.public().select_related("department"), pk=pk)


@public_page
def index(request):
    now = timezone.now()
    public = Event.objects.public().select_related("department")
    upcoming = list(public.filter(ends_at__gt=now).order_by("starts_at", "id")[:100])
    past = list(public.filter(ends_at__lte=now).order_by("-starts_at", "-id")[:100])
    return render(request, "consultation/events/index.html", {"upcoming": upcoming, "past": past})


def report_photos(event) -> list[dict]:
    """The report's photos with their public addresses (none while the report is not public)."""
    from gongkai.core.storage import public_urls

    if not event.report_is_public:
        return []
    photos = list(event.photos.all())
    urls = public_urls(p.image.name for p in photos)
    return [{"url": urls[p.image.name], "caption": p.caption} for p in photos if p.image.name in urls]


@public_page
def detail(request, pk):
    event = _public_event(pk)
    questions = list(EventQuestion.objects.public().filter(event=event).order_by("created_at", "id"))
    return render(
        request,
        "consultation/events/detail.html",
        {
            "e": event,
            "questions": questions,
            "answered": [q for q in questions if q.answer],
            "seats_left": event.seats_left(),
            "waiting": event.waiting_count(),
            "registration_open": event.registration_open(),
            "photos": report_photos(event),
        },
    )


@require_http_methods(["GET", "POST"])
def register(request, pk):
    event = _public_event(pk)
    if not event.registration_open():
        return render(request, "consultation/events/closed.html", {"e": event}, status=410)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST":
        if guard_post(
            request, form, "consultation.event_register", message=_("提交次数过多，请一小时后再试")
        ):
            data = form.cleaned_data
            try:
                reg, code = actions.register(
                    event, name=data["name"], phone=data["phone"], organisation=data["organisation"]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                form.renew_token()
            else:
                # The code is shown on this page only (it is stored as a hash): no redirect, never cached.
                return render(
                    request,
                    "consultation/events/registered.html",
                    {
                        "e": event,
                        "code": code,
                        "waiting": reg.status == RegistrationStatus.WAITING,
                        "position": actions.waiting_position(reg),
                    },
                )
    return render(
        request,
        "consultation/events/register.html",
        {"e": event, "form": form, "seats_left": event.seats_left()},
        status=form_status(request, form),
    )


@require_http_methods(["GET", "POST"])
def registration(request, pk):
    """My registration: the registrant enters the code and sees the status; ticking 取消 cancels it."""
    event = _public_event(pk)
    form = CodeForm(request.POST or None)
    found = None
    cancelled = False
    status = 200
    if request.method == "POST":
        if guard_post(request, form, "consultation.event_code", message=_("尝试次数过多，请一小时后再试")):
            code = form.cleaned_data["code"]
            try:
                if form.cleaned_data["cancel"]:
                    found = actions.cancel_registration(event, code=code)
                    cancelled = True
                else:
                    found = actions.find_registration(event, code)
                    if found is None:
                        raise ValidationError(_("确认码不正确"))
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                form.renew_token()
                status = 400
            else:
                form = CodeForm()  # the code is not echoed back into the page
        else:
            status = form_status(request, form)
    return render(
        request,
        "consultation/events/registration.html",
        {
            "e": event,
            "form": form,
            "found": found,
            "cancelled": cancelled,
            "position": actions.waiting_position(found) if found is not None else None,
            "can_cancel": not event.has_started(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def ask(request, pk):
    event = _public_event(pk)
    if not event.registration_open():
        return render(request, "consultation/events/closed.html", {"e": event}, status=410)
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if guard_post(
            request, form, "consultation.event_question", message=_("提交次数过多，请一小时后再试")
        ):
            data = form.cleaned_data
            try:
                actions.ask_question(event, text=data["text"], name=data["name"], show_name=data["show_name"])
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
                form.renew_token()
            else:
                return redirect("consultation:event_asked", pk=event.pk)
    return render(
        request, "consultation/events/ask.html", {"e": event, "form": form}, status=form_status(request, form)
    )


@public_page
def asked(request, pk):
    event = _public_event(pk)
    return render(request, "consultation/events/asked.html", {"e": event})
