from django.urls import path

from gongkai.core.pagecache import public_page

from . import views
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
]
