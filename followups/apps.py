from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        # The registries of lower floors, filled here by the rooms above them (every registration
        # is idempotent). This module is the only place that knows every room.
        from agency_crm.outbox import redaction, signature
        from clients import offboarding, search

        from .care.feedback import feedback_signature_url
        from .conversations import hooks
        from .conversations.offboarding import OpenConversationsProvider
        from .conversations.search import MessageSearchProvider
        from .mailin.threading import latest_customer_email
        from .reminders.services import notify_handover, waits_plan_reminders

        search.register(MessageSearchProvider())
        offboarding.register(OpenConversationsProvider())
        # The outbox asks care for the feedback link beside every email's management line.
        signature.register_feedback_link(feedback_signature_url)
        # Staff never see a customer's feedback or unsubscribe link in an email (issue 15).
        redaction.register_customer_link(url_name="followups:feedback", label=_("[feedback link hidden]"))
        redaction.register_customer_link(url_name="followups:unsubscribe", label=_("[unsubscribe link hidden]"))
        # The clock and handovers of conversations cause reminders' work; mailin threads replies.
        hooks.on_waits_replayed(waits_plan_reminders)
        hooks.on_handed_over(notify_handover)
        hooks.on_thread_parent(latest_customer_email)
