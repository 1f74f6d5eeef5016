"""The knowledge base; included by followups/urls.py under the namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("knowledge/", views.knowledge_list, name="knowledge"),
    path("knowledge/new/", views.article_edit, name="article_new"),
    path("knowledge/<int:pk>/", views.article_detail, name="article"),
    path("knowledge/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("knowledge/<int:pk>/history/", views.article_history, name="article_history"),
    path("knowledge/<int:pk>/diff/", views.article_diff, name="article_diff"),
    path("knowledge/<int:pk>/archive/", views.article_archive, name="article_archive"),
    path("knowledge/<int:pk>/clients/", views.article_clients, name="article_clients"),
]
