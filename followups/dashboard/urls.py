"""The manager dashboard.

Included by followups/urls.py under the shared app namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/conversations/", views.dashboard_conversations, name="dashboard_conversations"),
]
