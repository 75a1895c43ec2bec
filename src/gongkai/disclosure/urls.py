from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("track/", views.track, name="track"),
    path("correct/", views.correct, name="correct"),
    path("file/<str:token>/", views.download, name="download"),
    path("reply/<str:token>/<str:kind>/", views.reply_download, name="reply_download"),
    path("verify/", views.verify, name="verify"),
    # 政府信息公开工作年度报告 (an ordinary portal page; the 政府信息公开 column links `disclosure:annual_reports`)
    path("annual-reports/", views.annual_reports, name="annual_reports"),
    path("annual-reports/<int:year>/", views.annual_report, name="annual_report"),
    path("annual-reports/<int:year>/report.<str:fmt>", views.annual_report_file, name="annual_report_file"),
    path("annual-reports/<int:year>/<str:code>/", views.annual_report, name="annual_report_department"),
    path(
        "annual-reports/<int:year>/<str:code>/report.<str:fmt>",
        views.annual_report_file,
        name="annual_report_department_file",
    ),
]
