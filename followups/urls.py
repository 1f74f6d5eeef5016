from django.urls import path

from . import views

app_name = "followups"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("checkins/", views.checkins, name="checkins"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
