"""Staff URLs of events, included in `admin_urls.py` (namespace "consultation_admin")."""

from django.urls import path

from . import event_admin_views as v

urlpatterns = [
    path("events/", v.index, name="events"),
    path("events/new/", v.create, name="event_create"),
    path("events/<int:pk>/", v.event, name="event"),
    path("events/<int:pk>/edit/", v.edit, name="event_edit"),
    path("events/<int:pk>/registrations/", v.registrations, name="event_registrations"),
    path("events/<int:pk>/registrations.xlsx", v.registrations_export, name="event_registrations_export"),
    path("events/questions/<int:pk>/", v.question, name="event_question"),
]
