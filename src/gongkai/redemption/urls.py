from django.urls import path

from . import views

app_name = "redemption"

urlpatterns = [
    path("", views.index, name="index"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("match/", views.match, name="match"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscriptions/<str:token>/", views.subscription, name="subscription"),
    path("subscriptions/<str:token>/confirm/", views.subscription_confirm, name="subscription_confirm"),
    path("no-application/", views.no_application_lists, name="no_application_list"),
    path("no-application/<int:run_id>/", views.no_application_detail, name="no_application_detail"),
    path(
        "no-application/<int:run_id>/export.<str:fmt>",
        views.no_application_export,
        name="no_application_export",
    ),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/report.docx", views.evaluation_docx, name="evaluation_docx"),
    path("tags/", views.tag_library, name="tags"),
    path("usage/", views.usage, name="usage"),
]
