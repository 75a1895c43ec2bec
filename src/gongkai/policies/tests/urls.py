"""URLs for the tests: the project's, plus the clean-up pages where the lead will mount them."""

from django.urls import include, path

from gongkai.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("policies/cleanup/", include("gongkai.policies.urls", namespace="policies")),
    *project_urlpatterns,
]
