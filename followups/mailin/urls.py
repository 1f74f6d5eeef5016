"""Received mail, attachments, "could not import", unknown-sender triage.

Included by followups/urls.py under the shared app namespace `followups`."""

from django.urls import path

from . import settings_views, views

urlpatterns = [
    path("settings/mailbox/", settings_views.mailbox_settings, name="mailbox_settings"),
    path("settings/mailbox/test/", settings_views.mailbox_test, name="mailbox_test"),
    path("settings/mailbox/disconnect/", settings_views.mailbox_disconnect, name="mailbox_disconnect"),
    path("mail/", views.mail_list, name="mail_list"),
    path("mail/<int:pk>/", views.mail_detail, name="mail_detail"),
    path("mail/<int:pk>/html/", views.mail_html, name="mail_html"),
    path("mail/attachments/<int:pk>/", views.attachment_download, name="mail_attachment"),
    path("mail/unknown-senders/", views.unknown_sender_list, name="mail_unknown_senders"),
    path("mail/failures/", views.failure_list, name="mail_failures"),
    path("mail/failures/<int:pk>/original/", views.failure_download, name="mail_failure_download"),
    path("mail/failures/<int:pk>/retry/", views.failure_retry, name="mail_failure_retry"),
    path("conversations/<int:pk>/attach-sender/", views.attach_sender, name="attach_sender"),
]
