"""In-app notifications and their batched emails (at most one per person per interval)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agency_crm.people import display_name

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
    url: str = "",
    conversation: Conversation | None = None,
    email: bool = True,
    reminder: Reminder | None = None,
    urgent: bool | None = None,
) -> list[Notification]:
    """Create one in-app notification per active recipient (duplicates and inactive users are
    skipped). Title and body are plain text.

    With `email`, an urgent notice (`urgent`, by default a kind in URGENT_KINDS) is emailed at
    once on its own, in this transaction (delivered after the commit); any other goes into the
    recipient's next batched email (at most one per person per interval), sent by the
    every-minute beat task through the outbox.
    """
    if not url and conversation is not None:
        url = conversation.get_absolute_url()
    urgent = kind in URGENT_KINDS if urgent is None else urgent
    now = timezone.now()
    users = _active_unique(recipients)
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind[:40],
                title=" ".join(str(title).split())[:300],
                body=str(body),
                url=url[:500],
                conversation=conversation,
                reminder=reminder,
                created_at=now,
                email_pending=bool(email and user.email and not urgent),
            )
            for user in users
        ]
    )
    if email and urgent:
        for notification, user in zip(notifications, users, strict=True):
            if user.email:
                _email_at_once(notification=notification, user=user, now=now)
    return notifications


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url.startswith("/") else url


def _email_at_once(*, notification: Notification, user, now: dt.datetime) -> None:
    from agency_crm.outbox import OutboundEmail, outbox_enqueue

    outbox_enqueue(
        to=[user.email],
        subject=notification.title,
        template="reminders/urgent",
        context={
            "name": display_name(user),
            "title": notification.title,
            "body": notification.body,
            "link": _absolute(notification.url),
        },
        language=settings.LANGUAGE_CODE,
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
    interval = dt.timedelta(minutes=rules.email_interval_minutes)
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
        user = get_user_model().objects.get(pk=user_id)
        email = None
        if user.is_active and user.email:
            items = [{"title": n.title, "body": n.body, "link": _absolute(n.url)} for n in pending]
            email = outbox_enqueue(
                to=[user.email],
                subject=ngettext(
                    "%(count)d item needs your attention",
                    "%(count)d items need your attention",
                    len(items),
                )
                % {"count": len(items)},
                template="reminders/digest",
                context={"items": items, "name": display_name(user)},
                language=settings.LANGUAGE_CODE,
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
        title=_("%(actor)s handed you the conversation %(subject)s (%(client)s)")
        % {"actor": display_name(actor), "subject": conversation.subject, "client": conversation.client.name},
        conversation=conversation,
    )
