"""The contact form and its managers' pages; included by followups/urls.py (namespace `followups`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.contact_thanks, name="contact_thanks"),
    path("contact/embed/", views.contact_embed, name="contact_embed"),
    path("contact/embed/thanks/", views.contact_embed_thanks, name="contact_embed_thanks"),
    path("contact/filtered/", views.filtered_list, name="contact_filtered"),
    path("contact/filtered/<int:pk>/release/", views.filtered_release, name="contact_filtered_release"),
    path("contact/settings/", views.form_settings, name="contact_settings"),
    path("contact/attachments/<int:pk>/", views.attachment_download, name="contact_attachment"),
]
