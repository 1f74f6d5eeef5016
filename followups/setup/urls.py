from django.urls import path

from . import views

urlpatterns = [
    path("settings/agency/", views.agency_settings, name="agency_settings"),
]
