from django.urls import path

from gongkai.core.pagecache import public_page

from . import enquiry_views, views
from .feeds import OpenConsultationsFeed

app_name = "consultation"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", public_page(OpenConsultationsFeed()), name="feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/comment/sent/", views.comment_sent, name="comment_sent"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    # 政务咨询
    path("enquiries/", enquiry_views.index, name="enquiries"),
    path("enquiries/ask/", enquiry_views.ask, name="enquiry_ask"),
    path("enquiries/track/", enquiry_views.track, name="enquiry_track"),
    path("enquiries/<int:pk>/", enquiry_views.detail, name="enquiry"),
]

# events (政策公开讲, 政务开放日, public deliberation)
from .event_urls import urlpatterns as _event_urls  # noqa: E402

urlpatterns += _event_urls
