"""Public URLs of events, included in `urls.py` (namespace "consultation")."""

from django.urls import path

from . import event_views as views

urlpatterns = [
    path("events/", views.index, name="events"),
    path("events/<int:pk>/", views.detail, name="event"),
    path("events/<int:pk>/register/", views.register, name="event_register"),
    path("events/<int:pk>/registration/", views.registration, name="event_registration"),
    path("events/<int:pk>/ask/", views.ask, name="event_ask"),
    path("events/<int:pk>/ask/sent/", views.asked, name="event_asked"),
]
