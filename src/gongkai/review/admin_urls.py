from django.urls import path

from . import admin_views, feedback_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("policy/<int:pk>/", admin_views.detail, name="detail"),
    path("interpretation-lag/", admin_views.lag_report, name="lag"),
    path("feedback/", feedback_views.feedback_list, name="feedback"),
    path("feedback/summary/", feedback_views.feedback_summary, name="feedback_summary"),
    path("feedback/summary.xlsx", feedback_views.feedback_summary_xlsx, name="feedback_summary_xlsx"),
]
