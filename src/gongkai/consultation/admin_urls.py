from django.urls import path

from . import admin_views as v

urlpatterns = [
    path("", v.index, name="index"),
    path("new/", v.create, name="create"),
    path("<int:pk>/", v.consultation, name="consultation"),
    path("<int:pk>/report/", v.report, name="report"),
    path("<int:pk>/report.docx", v.report_docx, name="report_docx"),
    path("comments/<int:pk>/", v.comment, name="comment"),
    path("groups/<int:pk>/", v.group, name="group"),
    path("surveys/", v.surveys, name="surveys"),
    path("surveys/<int:pk>/", v.survey, name="survey"),
    path("surveys/<int:pk>/export.xlsx", v.survey_export, name="survey_export"),
]

# events (政策公开讲, 政务开放日, public deliberation)
from .event_admin_urls import urlpatterns as _event_urls  # noqa: E402

urlpatterns += _event_urls
