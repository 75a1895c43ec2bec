"""Public pages of the policy library's validity clean-up (mounted by the lead at /policies/cleanup/,
namespace "policies")."""

from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.cleanup_results, name="cleanup_results"),
    path("<int:pk>/", views.cleanup_campaign, name="cleanup_campaign"),
]
