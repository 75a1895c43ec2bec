"""Public pages of the review app, mounted at /review/ (namespace "review")."""

from django.urls import path

from . import feedback_views, views

app_name = "review"

urlpatterns = [
    path("interpretations/", views.interpretation_list, name="interpretation_list"),
    path("interpretations/<int:pk>/", views.interpretation_detail, name="interpretation_detail"),
    path("qa/", views.qa_search, name="qa_search"),
    path("responses/", feedback_views.responses, name="responses"),
    path("policies/<int:pk>/ask/", views.ask_question, name="ask_question"),
]
