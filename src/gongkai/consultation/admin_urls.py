from django.urls import path

from . import admin_views as v
from . import enquiry_admin

urlpatterns = [
    path("", v.index, name="index"),
    path("new/", v.create, name="create"),
    path("<int:pk>/", v.consultation, name="consultation"),
    path("<int:pk>/edit/", v.edit, name="edit"),
    path("<int:pk>/report/", v.report, name="report"),
    path("<int:pk>/report.docx", v.report_docx, name="report_docx"),
    path("comments/<int:pk>/", v.comment, name="comment"),
    path("groups/<int:pk>/", v.group, name="group"),
    path("surveys/", v.surveys, name="surveys"),
    path("surveys/<int:pk>/", v.survey, name="survey"),
    path("surveys/<int:pk>/export.xlsx", v.survey_export, name="survey_export"),
    path("enquiries/", enquiry_admin.index, name="enquiries"),
    path("enquiries/export.xlsx", enquiry_admin.export, name="enquiries_export"),
    path("enquiries/<int:pk>/", enquiry_admin.enquiry, name="enquiry"),
]

# events (政策公开讲, 政务开放日, public deliberation)
from .event_admin_urls import urlpatterns as _event_urls  # noqa: E402

urlpatterns += _event_urls
