"""Inbox, conversations and their actions.

Included by followups/urls.py under the shared app namespace `followups`."""

from django.urls import path

from . import internal_notes, merging, quick_log, views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/log/", quick_log.quick_log, name="quick_log"),
    path("inbox/log/<int:pk>/new-conversation/", quick_log.log_to_new_conversation, name="log_to_new_conversation"),
    path("inbox/contacts/", views.contact_search, name="contact_search"),
    path("conversations/", views.conversation_list, name="conversations"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
    path("conversations/<int:pk>/reply/", views.conversation_reply, name="reply"),
    path("conversations/<int:pk>/reply/preview/", views.conversation_reply_preview, name="reply_preview"),
    path("conversations/<int:pk>/customer-message/", views.conversation_customer_message, name="customer_message"),
    path("conversations/<int:pk>/subject/", views.conversation_subject, name="subject"),
    path("conversations/<int:pk>/topics/", views.conversation_topics, name="topics"),
    path("conversations/<int:pk>/owner/", views.conversation_owner, name="owner"),
    path("conversations/<int:pk>/note/", views.conversation_note, name="note"),
    path("conversations/<int:pk>/no-reply-needed/", views.conversation_no_reply, name="no_reply"),
    path("conversations/<int:pk>/merge/", merging.conversation_merge, name="merge"),
    path("messages/<int:pk>/move-out/", merging.message_move_out, name="message_move_out"),
    path("messages/<int:pk>/time/", views.message_time, name="message_time"),
    path("notes/<int:pk>/edit/", internal_notes.internal_note_edit, name="internal_note_edit"),
    path("notes/<int:pk>/delete/", internal_notes.internal_note_delete, name="internal_note_delete"),
    path("contacts/<int:pk>/email/", views.contact_email, name="contact_email"),
]
