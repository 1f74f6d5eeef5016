"""Growth items. Included by followups/urls.py under the shared app namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("growth/<int:pk>/start/", views.growth_item_start, name="growth_item_start"),
    path("growth/<int:pk>/not-now/", views.growth_item_snooze, name="growth_item_snooze"),
    path("growth/<int:pk>/drop/", views.growth_item_drop, name="growth_item_drop"),
]
