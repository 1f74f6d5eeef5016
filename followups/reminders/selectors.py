"""Reads of the notifications page and the bell."""

from django.db.models import QuerySet

from .models import Notification, ReminderSchedule

UNREAD_FILTERS = {"all": {}, "unread": {"read_at__isnull": True}}


def notifications_for(*, user, show: str = "all") -> QuerySet[Notification]:
    """A person's notifications, newest first (index notification_list_idx). `show` is one of
    UNREAD_FILTERS (an allow-list); unknown values mean "all"."""
    return Notification.objects.filter(recipient=user, **UNREAD_FILTERS.get(show, {})).order_by("-created_at", "-id")


def notifications_unread_count(*, user) -> int:
    """The bell: one COUNT on the partial index notification_unread_idx."""
    if not (user and user.is_authenticated):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def oldest_due_reminder_seconds(now) -> float | None:
    """How long the oldest reminder level that is due has waited for the beat run to claim it
    (/healthz; index reminder_schedule_next_idx). None when nothing is due."""
    oldest = (
        ReminderSchedule.objects.filter(next_at__isnull=False, next_at__lte=now)
        .order_by("next_at")
        .values_list("next_at", flat=True)
        .first()
    )
    return None if oldest is None else (now - oldest).total_seconds()
