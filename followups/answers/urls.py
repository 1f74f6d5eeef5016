"""Saved replies; included by followups/urls.py under the namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("replies/", views.reply_list, name="replies"),
    path("replies/new/", views.reply_edit, name="reply_new"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/delete/", views.reply_delete, name="reply_delete"),
    path("conversations/<int:pk>/saved-reply/", views.reply_fill, name="reply_fill"),
    path("conversations/<int:pk>/suggestions/", views.reply_suggestions, name="reply_suggestions"),
]
