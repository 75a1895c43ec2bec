from django.urls import path

from . import admin_views as v

urlpatterns = [
    path("", v.index, name="index"),
    path("items/new/", v.item_create, name="item_create"),
    path("items/<int:pk>/", v.item, name="item"),
    path("items/<int:pk>/edit/", v.item_edit, name="item_edit"),
    path("items/<int:pk>/conditions/<int:cid>/", v.condition_edit, name="condition_edit"),
    path("items/<int:pk>/sandbox/", v.sandbox, name="sandbox"),
    path("items/<int:pk>/sandbox/<int:run_id>/", v.sandbox_run, name="sandbox_run"),
    path("items/<int:pk>/screen/", v.screen, name="screen"),
    path("runs/<int:run_id>/", v.run, name="run"),
    path("runs/<int:run_id>/export.xlsx", v.run_export, name="run_export"),
    path("tags/", v.tags, name="tags"),
    path("tags/new/", v.tag_create, name="tag_create"),
    path("tags/<int:pk>/", v.tag, name="tag"),
    path("datasets/", v.datasets, name="datasets"),
    path("datasets/template.xlsx", v.dataset_template, name="dataset_template"),
    path("datasets/<int:pk>/", v.dataset, name="dataset"),
    path("datasets/<int:pk>/download/", v.dataset_download, name="dataset_download"),
    path("evaluations/", v.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", v.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/report.docx", v.evaluation_docx, name="evaluation_docx"),
]
