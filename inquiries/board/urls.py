from django.urls import path

from . import views

app_name = "board"
urlpatterns = [
    path("inquiries/board/", views.board, name="board"),
    path("inquiries/board/<int:pk>/move/", views.move, name="move"),
    path("settings/pipeline/", views.pipeline_settings, name="settings"),
]
