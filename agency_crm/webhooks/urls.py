from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("settings/webhooks/", views.endpoint_list, name="list"),
    path("settings/webhooks/new/", views.endpoint_create, name="create"),
    path("settings/webhooks/<int:pk>/", views.endpoint_detail, name="detail"),
    path("settings/webhooks/<int:pk>/edit/", views.endpoint_edit, name="edit"),
    path("settings/webhooks/<int:pk>/rotate/", views.endpoint_rotate, name="rotate"),
    path("settings/webhooks/<int:pk>/ping/", views.endpoint_ping, name="ping"),
    path("settings/webhooks/<int:pk>/enable/", views.endpoint_enable, name="enable"),
    path("settings/webhooks/<int:pk>/delete/", views.endpoint_delete, name="delete"),
    path("settings/webhooks/<int:pk>/deliveries/<int:delivery_pk>/", views.delivery_detail, name="delivery"),
    path(
        "settings/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
]
