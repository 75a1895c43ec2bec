from django.urls import path

from . import admin_views

urlpatterns = [
    path("", admin_views.index, name="index"),
    path("policy/<int:pk>/", admin_views.detail, name="detail"),
    path("interpretation-lag/", admin_views.lag_report, name="lag"),
]
