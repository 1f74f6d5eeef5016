"""The manager dashboard and the weekly review.

Included by followups/urls.py under the shared app namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/conversations/", views.dashboard_conversations, name="dashboard_conversations"),
    path("dashboard/pipeline/", views.dashboard_pipeline, name="dashboard_pipeline"),
    path("review/weekly/", views.weekly_review, name="weekly_review"),
    path("review/weekly/<str:week>/", views.weekly_review, name="weekly_review_week"),
]
