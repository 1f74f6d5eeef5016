from django.urls import path

from . import views

urlpatterns = [
    path("outbox/", views.outbox_list, name="outbox_list"),
    path("outbox/<int:email_id>/", views.outbox_detail, name="outbox_detail"),
    path("outbox/<int:email_id>/html/", views.outbox_html, name="outbox_html"),
    path("outbox/<int:email_id>/retry/", views.outbox_retry, name="outbox_retry"),
]
