from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("apply/done/", views.apply_done, name="apply_done"),
    path("track/", views.track, name="track"),
    path("reply/<str:token>/<str:kind>/", views.reply_download, name="reply_download"),
    path("verify/", views.verify, name="verify"),
]
