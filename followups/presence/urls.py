"""Presence; included by followups/urls.py under the namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("conversations/<int:pk>/presence/", views.presence_poll, name="presence"),
]
