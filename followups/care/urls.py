"""Check-ins, feedback and unsubscribe links.

Included by followups/urls.py under the shared app namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("checkins/", views.checkin_list, name="checkins"),
    path("checkins/start/", views.checkin_start, name="checkin_start"),
    path("checkins/<int:pk>/", views.checkin_detail, name="checkin_detail"),
    path("checkins/<int:pk>/done/", views.checkin_done, name="checkin_done"),
    path("checkins/<int:pk>/skip/", views.checkin_skip, name="checkin_skip"),
    path("checkins/<int:pk>/owner/", views.checkin_owner, name="checkin_owner"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
