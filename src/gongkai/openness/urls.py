from django.urls import path

from . import views

app_name = "openness"

urlpatterns = [
    path("", views.index, name="index"),
    path("guide/", views.guide, name="guide"),
    path("rules/", views.rules, name="rules"),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path("proactive/", views.proactive, name="proactive"),
    path("proactive/<slug:category>/", views.proactive_category, name="proactive_category"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/export.xlsx", views.catalogue_export, name="catalogue_export"),
    path("list/", views.full_list, name="full_list"),
    path("annual-reports/", views.annual_reports, name="annual_reports"),
    path("powers/", views.powers, name="powers"),
    path("powers/<int:pk>/", views.power, name="power"),
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<int:pk>/", views.institution, name="institution"),
    path("gazette/", views.gazette, name="gazette"),
    path("gazette/<int:year>/<int:number>/", views.gazette_issue, name="gazette_issue"),
    path("gazette/<int:year>/<int:number>.pdf", views.gazette_pdf, name="gazette_pdf"),
]
