from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        # The registries of lower floors, filled here by the rooms above them (every registration
        # is idempotent). This module is the only place that knows every room.
        from agency_crm import health
        from agency_crm.outbox import failures, redaction, signature
        from clients import offboarding, search
        from inquiries import hooks as inquiry_hooks

        from .care.feedback import feedback_signature_url
        from .care.offboarding import OpenCheckinsProvider
        from .care.scheduling import checkins_start_after_delivery
        from .conversations import hooks
        from .conversations.offboarding import OpenConversationsProvider
        from .conversations.search import ConversationSearchProvider, MessageSearchProvider
        from .knowledge.search import ArticleSearchProvider
        from .mailin.search import EmailSubjectSearchProvider
        from .mailin.selectors import imap_poll_age_seconds
        from .mailin.threading import latest_customer_email
        from .portal.links import portal_signature_url
        from .reminders.offboarding import ActiveSnoozesProvider
        from .reminders.selectors import oldest_due_reminder_seconds
        from .reminders.services import (
            notify_handover,
            notify_internal_email_failed,
            reminders_follow_calendar,
            waits_plan_reminders,
        )

        search.register(ConversationSearchProvider())
        search.register(EmailSubjectSearchProvider())
        search.register(MessageSearchProvider())
        search.register(ArticleSearchProvider())
        # Everything a person owns, so offboarding hands it all over (conversations before the
        # snoozes on them).
        offboarding.register(OpenConversationsProvider())
        offboarding.register(OpenCheckinsProvider())
        offboarding.register(ActiveSnoozesProvider())
        # The outbox asks care for the feedback link beside every email's management line.
        signature.register_feedback_link(feedback_signature_url)
        # ...and portal for the recipient's self-service link in the signature.
        signature.register_portal_link(portal_signature_url)
        # An internal email the outbox gave up on (a digest, the weekly review) tells the managers.
        failures.on_internal_email_failed(notify_internal_email_failed)
        # /healthz turns 503 when the beat run or the IMAP poll lags (agency_crm.health).
        health.register_lag_check(
            name="oldest_due_reminder_seconds",
            label=_("Oldest reminder due but not yet sent"),
            measure=oldest_due_reminder_seconds,
            limit_setting="HEALTH_MAX_REMINDER_LAG_SECONDS",
        )
        health.register_lag_check(
            name="imap_last_poll_seconds",
            label=_("Last poll of the mailbox"),
            measure=imap_poll_age_seconds,
            limit_setting="HEALTH_MAX_IMAP_POLL_AGE_SECONDS",
        )
        # Staff never see a customer's feedback or unsubscribe link in an email (issue 15).
        redaction.register_customer_link(url_name="followups:feedback", label=_("[feedback link hidden]"))
        redaction.register_customer_link(url_name="followups:unsubscribe", label=_("[unsubscribe link hidden]"))
        # The clock and handovers of conversations cause reminders' work; mailin threads replies.
        hooks.on_waits_replayed(waits_plan_reminders)
        # A change of opening hours, closures or targets re-plans every open wait's reminders.
        hooks.on_calendar_changed(reminders_follow_calendar)
        hooks.on_handed_over(notify_handover)
        hooks.on_thread_parent(latest_customer_email)
        # A delivered inquiry starts its check-ins in the same request.
        inquiry_hooks.on_delivered(checkins_start_after_delivery)
