from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        # The registries of lower floors, filled here by the rooms above them (every registration
        # is idempotent). This module is the only place that knows every room.
        from agency_crm import checklist, health
        from agency_crm.outbox import failures, notices, redaction, signature
        from agency_crm.outbox import transports as outbox_transports
        from agency_crm.webhooks import hooks as webhook_hooks
        from clients import offboarding, search
        from inquiries import hooks as inquiry_hooks

        from .care.feedback import feedback_signature_url
        from .care.handover import care_follows_merge
        from .care.offboarding import OpenCheckinsProvider
        from .care.scheduling import checkins_start_after_delivery
        from .conversations import hooks
        from .conversations.offboarding import OpenConversationsProvider
        from .conversations.search import ConversationSearchProvider, MessageSearchProvider
        from .growth.referral_thanks import referral_thank_you_suggest
        from .growth.services import growth_items_record
        from .kakao.alimtalk import TRANSPORT as ALIMTALK_TRANSPORT
        from .kakao.alimtalk import kakao_alimtalk_send
        from .kakao.notices import kakao_customer_notice
        from .kakao.replies import TRANSPORT as CHAT_TRANSPORT
        from .kakao.replies import kakao_chat_send, kakao_reply_recorded
        from .knowledge.search import ArticleSearchProvider
        from .mailin.mailbox import mailbox_connected
        from .mailin.search import EmailSubjectSearchProvider
        from .mailin.selectors import imap_poll_age_seconds
        from .mailin.threading import emails_follow_messages, latest_customer_email
        from .mailin.triage import unknown_sender_open
        from .portal.links import portal_signature_url
        from .reminders.offboarding import ActiveSnoozesProvider, notify_work_handed_over
        from .reminders.selectors import oldest_due_reminder_seconds
        from .reminders.services import (
            notifications_follow_merge,
            notify_handover,
            notify_internal_email_failed,
            notify_webhook_disabled,
            reminders_follow_calendar,
            waits_plan_reminders,
        )
        from .setup.selectors import contact_form_origins_set, opening_hours_set, response_targets_set
        from .todo.offboarding import OpenTasksProvider
        from .todo.selectors import inquiry_next_steps
        from .todo.services import tasks_follow_merge
        from .webform.services import submissions_follow_messages

        search.register(ConversationSearchProvider())
        search.register(EmailSubjectSearchProvider())
        search.register(MessageSearchProvider())
        search.register(ArticleSearchProvider())
        # Everything a person owns, so offboarding hands it all over (conversations before the
        # snoozes on them).
        offboarding.register(OpenConversationsProvider())
        offboarding.register(OpenCheckinsProvider())
        offboarding.register(ActiveSnoozesProvider())
        offboarding.register(OpenTasksProvider())
        offboarding.on_handed_over(notify_work_handed_over)
        # The outbox asks care for the feedback link beside every email's management line.
        signature.register_feedback_link(feedback_signature_url)
        # ...and portal for the recipient's self-service link in the signature.
        signature.register_portal_link(portal_signature_url)
        # An internal email the outbox gave up on (a digest, the weekly review) tells the managers.
        failures.on_internal_email_failed(notify_internal_email_failed)
        # An endpoint the outgoing webhooks disabled tells its owner and the managers.
        webhook_hooks.on_endpoint_disabled(notify_webhook_disabled)
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
        # Staff (and a customer's colleagues) never see a customer's own links in an email.
        redaction.register_customer_link(url_name="followups:portal_home", label=_("[self-service link hidden]"))
        redaction.register_customer_link(url_name="followups:feedback", label=_("[feedback link hidden]"))
        redaction.register_customer_link(url_name="followups:unsubscribe", label=_("[unsubscribe link hidden]"))
        # The clock and handovers of conversations cause reminders' work; mailin threads replies.
        hooks.on_waits_replayed(waits_plan_reminders)
        # A change of opening hours, closures or targets re-plans every open wait's reminders.
        hooks.on_calendar_changed(reminders_follow_calendar)
        hooks.on_handed_over(notify_handover)
        hooks.on_thread_parent(latest_customer_email)
        # Merged or moved-out messages take the rooms' rows about them along (received emails and
        # their files, contact-form submissions, notifications, check-ins, feedback requests and tasks).
        hooks.on_moved(emails_follow_messages)
        hooks.on_moved(submissions_follow_messages)
        hooks.on_moved(notifications_follow_merge)
        hooks.on_moved(care_follows_merge)
        hooks.on_moved(tasks_follow_merge)
        # KakaoTalk: a reply on the channel goes out through the outbox's transports; a stranger
        # on Kakao waits in mailin's triage with the unknown email senders.
        hooks.on_reply_recorded(kakao_reply_recorded)
        hooks.on_unknown_sender(unknown_sender_open)
        outbox_transports.register(name=CHAT_TRANSPORT, label=_("KakaoTalk chat"), send=kakao_chat_send)
        outbox_transports.register(name=ALIMTALK_TRANSPORT, label=_("AlimTalk"), send=kakao_alimtalk_send)
        # A proposal, a check-in, a feedback request or a due answer told by email goes by
        # AlimTalk too, when the contact agreed and a template is registered for it.
        notices.on_customer_notice(kakao_customer_notice)
        # A delivered inquiry starts its check-ins in the same request.
        inquiry_hooks.on_delivered(checkins_start_after_delivery)
        # The pipeline board shows each inquiry's next open task (one query for the whole board).
        inquiry_hooks.on_next_steps(inquiry_next_steps)
        # ...and turns its deferred wants into growth items the check-ins raise again.
        inquiry_hooks.on_delivered(growth_items_record)
        # A referred inquiry won: the referring client's owner is given a thank-you task.
        inquiry_hooks.on_won(referral_thank_you_suggest)
        # The first-run checklist of a manager's home page (agency_crm.checklist). Opening hours,
        # targets and the website form tick once a manager saved them on /settings/agency/.
        checklist.register_item(
            key="hours",
            label=_("Set your opening hours"),
            hint=_("When the response clock runs: opening hours, lunch break, holidays and closures."),
            url_name="followups:agency_settings",
            done=opening_hours_set,
            order=20,
        )
        checklist.register_item(
            key="targets",
            label=_("Set your response targets"),
            hint=_("How soon customers get a first answer and a reply, per client tier."),
            url_name="followups:agency_settings",
            done=response_targets_set,
            order=30,
        )
        checklist.register_item(
            key="mailbox",
            label=_("Connect the support mailbox"),
            hint=_("Customer email becomes conversations in the inbox."),
            url_name="followups:mailbox_settings",
            done=mailbox_connected,
            order=40,
        )
        checklist.register_item(
            key="form",
            label=_("Put the contact form on your website"),
            hint=_("Allow your website to embed the form, and copy the snippet."),
            url_name="followups:agency_settings",
            done=contact_form_origins_set,
            order=50,
        )
