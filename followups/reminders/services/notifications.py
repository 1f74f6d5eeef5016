"""In-app notifications and their batched emails (at most one per person per interval)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop, ngettext

from agency_crm import facts
from agency_crm.people import display_name
from agency_crm.preferences.services import (
    email_interval_for,
    for_person,
    instant_kinds_for,
    language_for,
    preferences_load,
)

from ...conversations.models import Conversation
from ..models import (
    Notification,
    NotificationMailbox,
    Reminder,
    ReminderSettings,
)

logger = logging.getLogger(__name__)


def _active_unique(recipients: Iterable) -> list:
    seen, users = set(), []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        users.append(user)
    return users


# Notices that reach people at once, in an email of their own whose subject says what happened.
# Everything else waits for the batched digest (ReminderSettings.email_interval_minutes).
URGENT_KINDS = frozenset({"feedback.not_good", "reminder.escalation", "checkin.at_risk"})


def notify(
    *,
    recipients,
    kind: str,
    title: str,
    body: str = "",
    params: dict | None = None,
    body_params: dict | None = None,
    url: str = "",
    conversation: Conversation | None = None,
    email: bool = True,
    reminder: Reminder | None = None,
    urgent: bool | None = None,
) -> list[Notification]:
    """Create one in-app notification per active recipient (duplicates and inactive users are
    skipped).

    With `params`, `title` is an untranslated message (gettext_noop) and `params` its data, shown
    in each recipient's language (agency_crm.facts); likewise `body` with `body_params`. Without
    them they are plain text (a customer's words).

    With `email`, an urgent notice (`urgent`, by default a kind in URGENT_KINDS) is emailed at
    once on its own, in this transaction (delivered after the commit); any other goes into the
    recipient's next batched email (at most one per person per interval), sent by the
    every-minute beat task through the outbox.
    """
    if not url and conversation is not None:
        url = conversation.get_absolute_url()
    now = timezone.now()
    users = _active_unique(recipients)
    message = " ".join(str(title).split())[:300] if params is not None else ""
    body_message = str(body)[:300] if body_params is not None else ""
    english_title = facts.render_in("en", message, params, str(title))
    english_body = facts.render_in("en", body_message, body_params, str(body))
    preferences_load(users)
    if urgent is None:
        at_once = {user.pk: kind in URGENT_KINDS or kind in instant_kinds_for(user) for user in users}
    else:
        at_once = {user.pk: urgent for user in users}
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind[:40],
                title=" ".join(english_title.split())[:300],
                body=english_body,
                message=message,
                params=params or {},
                body_message=body_message,
                body_params=body_params or {},
                url=url[:500],
                conversation=conversation,
                reminder=reminder,
                created_at=now,
                email_pending=bool(email and user.email and not at_once[user.pk]),
            )
            for user in users
        ]
    )
    if email:
        for notification, user in zip(notifications, users, strict=True):
            if user.email and at_once[user.pk]:
                _email_at_once(notification=notification, user=user, now=now)
    return notifications


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def _email_at_once(*, notification: Notification, user, now: dt.datetime) -> None:
    from agency_crm.outbox import OutboundEmail, outbox_enqueue

    with for_person(user):
        title, body, name = notification.text, notification.body_text, display_name(user)
    outbox_enqueue(
        to=[user.email],
        subject=title,
        template="reminders/urgent",
        context={"name": name, "title": title, "body": body, "link": _absolute(notification.url)},
        language=language_for(user),
        kind=OutboundEmail.Kind.REMINDER,
        automatic=True,
        related={"notification_ids": [notification.pk], "user_id": user.pk},
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=now)
    notification.emailed_at = now


def notification_open(*, notification: Notification) -> str:
    """Mark one notification read; returns where it leads."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    if notification.url:
        return notification.url
    if notification.conversation_id:
        return Conversation(pk=notification.conversation_id).get_absolute_url()
    return ""


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_email_send(*, user_id: int, now: dt.datetime | None = None, rules: ReminderSettings | None = None):
    """Write one email listing every pending notification of a person, unless they got one
    within the interval. Returns the OutboundEmail, or None."""
    from agency_crm.outbox import OutboundEmail, outbox_enqueue

    now = now or timezone.now()
    rules = rules or ReminderSettings.load()
    user = get_user_model().objects.select_related("preferences").get(pk=user_id)
    interval = dt.timedelta(minutes=email_interval_for(user, rules.email_interval_minutes))
    NotificationMailbox.objects.get_or_create(user_id=user_id)
    with transaction.atomic():
        # The mailbox row is the per-person lock: two batchers never write two emails.
        box = NotificationMailbox.objects.select_for_update().get(user_id=user_id)
        if box.last_email_at is not None and now < box.last_email_at + interval:
            return None
        pending = list(
            Notification.objects.filter(recipient_id=user_id, email_pending=True)
            .select_related("conversation__client")
            .order_by("created_at", "id")
        )
        if not pending:
            return None
        email = None
        if user.is_active and user.email:
            with for_person(user):
                items = [{"title": n.text, "body": n.body_text, "link": _absolute(n.url)} for n in pending]
                name = display_name(user)
                # Translated here, in the reader's language: a lazy plural is translated as soon
                # as its count is given, in whatever language is active then.
                subject = ngettext(
                    "%(count)d item needs your attention", "%(count)d items need your attention", len(items)
                ) % {"count": len(items)}
            email = outbox_enqueue(
                to=[user.email],
                subject=subject,
                template="reminders/digest",
                context={"items": items, "name": name},
                language=language_for(user),
                kind=OutboundEmail.Kind.REMINDER,
                automatic=True,
                related={"notification_ids": [n.pk for n in pending], "user_id": user_id},
            )
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email_pending=False, emailed_at=now)
        box.last_email_at = now
        box.save(update_fields=["last_email_at"])
    return email


def notification_emails_send(*, now: dt.datetime | None = None) -> int:
    """Send every batched email that is due (partial index notification_email_idx)."""
    now = now or timezone.now()
    rules = ReminderSettings.load()
    user_ids = (
        Notification.objects.filter(email_pending=True).order_by().values_list("recipient_id", flat=True).distinct()
    )
    sent = 0
    for user_id in list(user_ids):
        if notification_email_send(user_id=user_id, now=now, rules=rules) is not None:
            sent += 1
    return sent


def notify_handover(*, conversation: Conversation, old_owner, new_owner, actor) -> None:
    """Tell the new owner a colleague handed them a conversation (not when they took it themselves);
    registered with `followups.conversations.hooks.on_handed_over`."""
    if new_owner.pk == actor.pk:
        return
    notify(
        recipients=[new_owner],
        kind="conversation.assigned",
        title=gettext_noop("%(actor)s handed you the conversation %(subject)s (%(client)s)"),
        params={"actor": facts.person(actor), "subject": conversation.subject, "client": conversation.client.name},
        conversation=conversation,
    )


def notifications_follow_merge(*, source, target, message_ids: list[int], whole: bool) -> None:
    """`hooks.on_moved`: on a merge, the bell's notifications about the source open the target."""
    if whole:
        Notification.objects.filter(conversation=source).update(conversation=target)
