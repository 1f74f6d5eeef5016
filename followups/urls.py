from django.urls import path

from . import views, views_care, views_dashboard, views_mailin, views_reminders

app_name = "followups"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/log/", views.quick_log, name="quick_log"),
    path("inbox/contacts/", views.contact_search, name="contact_search"),
    path("conversations/", views.conversation_list, name="conversations"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
    path("conversations/<int:pk>/reply/", views.conversation_reply, name="reply"),
    path("conversations/<int:pk>/customer-message/", views.conversation_customer_message, name="customer_message"),
    path("conversations/<int:pk>/topics/", views.conversation_topics, name="topics"),
    path("conversations/<int:pk>/owner/", views.conversation_owner, name="owner"),
    path("conversations/<int:pk>/note/", views.conversation_note, name="note"),
    path("conversations/<int:pk>/no-reply-needed/", views.conversation_no_reply, name="no_reply"),
    path("messages/<int:pk>/time/", views.message_time, name="message_time"),
    path("checkins/", views_care.checkin_list, name="checkins"),
    path("checkins/start/", views_care.checkin_start, name="checkin_start"),
    path("checkins/<int:pk>/done/", views_care.checkin_done, name="checkin_done"),
    path("checkins/<int:pk>/skip/", views_care.checkin_skip, name="checkin_skip"),
    path("feedback/<str:token>/", views_care.feedback, name="feedback"),
    path("unsubscribe/<str:token>/", views_care.unsubscribe, name="unsubscribe"),
    path("review/weekly/", views_care.weekly_review, name="weekly_review"),
    path("review/weekly/<str:week>/", views_care.weekly_review, name="weekly_review_week"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard/conversations/", views_dashboard.dashboard_conversations, name="dashboard_conversations"),
    path("notifications/", views_reminders.notifications, name="notifications"),
    path("notifications/count/", views_reminders.notification_count, name="notification_count"),
    path("notifications/<int:pk>/open/", views_reminders.notification_open, name="notification_open"),
    path("notifications/read-all/", views_reminders.notifications_read_all, name="notifications_read_all"),
    path("conversations/<int:pk>/snooze/", views_reminders.conversation_snooze, name="snooze"),
    # Inbound email (mailin): received mail, attachments, "could not import", unknown-sender triage.
    path("mail/", views_mailin.mail_list, name="mail_list"),
    path("mail/<int:pk>/", views_mailin.mail_detail, name="mail_detail"),
    path("mail/attachments/<int:pk>/", views_mailin.attachment_download, name="mail_attachment"),
    path("mail/failures/", views_mailin.failure_list, name="mail_failures"),
    path("mail/failures/<int:pk>/original/", views_mailin.failure_download, name="mail_failure_download"),
    path("mail/failures/<int:pk>/retry/", views_mailin.failure_retry, name="mail_failure_retry"),
    path("conversations/<int:pk>/attach-sender/", views_mailin.attach_sender, name="attach_sender"),
]
