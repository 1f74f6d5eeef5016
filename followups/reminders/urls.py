"""Notifications (the bell) and snooze.

Included by followups/urls.py under the shared app namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/count/", views.notification_count, name="notification_count"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("conversations/<int:pk>/snooze/", views.conversation_snooze, name="snooze"),
]
