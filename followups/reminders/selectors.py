"""Reads of the notifications page and the bell."""

from django.db.models import QuerySet

from .models import Notification

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
