from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<int:plan_id>/tasks/<int:task_id>/", views.task_detail, name="task_detail"),
    path("<int:plan_id>/<str:quarter>/", views.snapshot, name="snapshot"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
]
