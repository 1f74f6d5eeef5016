from django.urls import path

from . import views

app_name = "preferences"

urlpatterns = [
    path("settings/", views.settings_edit, name="edit"),
]
