"""The self-service page; included by followups/urls.py under the namespace `followups`."""

from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.portal_ask, name="portal_ask"),
    path("my/<str:token>/", views.portal_home, name="portal_home"),
    path("my/<str:token>/write/", views.portal_write_view, name="portal_write"),
    path("my/<str:token>/conversations/<int:pk>/reply/", views.portal_reply_view, name="portal_reply"),
    # Staff: a new link for the contact, sent to the contact alone.
    path("contacts/<int:pk>/self-service-link/", views.portal_link_send_view, name="portal_link_send"),
]
