from django.urls import path

from . import admin_views as v

urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("tasks/", v.my_tasks, name="my_tasks"),
    path("tasks/ledger.xlsx", v.ledger, name="ledger"),
    path("tasks/<int:task_id>/", v.task, name="task"),
    path("tasks/<int:task_id>/edit/", v.task_edit, name="task_edit"),
    path("tasks/<int:task_id>/urge/", v.urge, name="urge"),
    path("tasks/<int:task_id>/extension/", v.extension_request, name="extension_request"),
    path("tasks/<int:task_id>/comment/", v.comment, name="comment"),
    path("extensions/<int:request_id>/", v.extension_decide, name="extension_decide"),
    path("review/", v.review, name="review"),
    path("review/accept/", v.bulk_accept, name="bulk_accept"),
    path("reports/<int:report_id>/", v.report_action, name="report_action"),
    path("plans/", v.plan_list, name="plans"),
    path("plans/import/", v.import_plan, name="import"),
    path("plans/<int:plan_id>/preview/", v.preview, name="preview"),
    path("plans/<int:plan_id>/confirm/", v.confirm, name="confirm"),
    path("plans/<int:plan_id>/publish/", v.publish, name="publish"),
    path("plans/<int:plan_id>/life/", v.plan_life, name="plan_life"),
    path("plans/<int:plan_id>/freeze/", v.freeze, name="freeze"),
    path("plans/<int:plan_id>/bulletin/", v.bulletin, name="bulletin"),
    path("assessment/", v.assessment, name="assessment"),
]
