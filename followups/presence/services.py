"""Recording a poll and reading who else is there."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import ConversationPresence

# A colleague counts as present this long after their last poll (about two polls).
PRESENCE_SECONDS = 30
PRESENCE_POLL_SECONDS = 12
# Rows of a conversation older than this are removed when someone polls it.
STALE_AFTER = dt.timedelta(days=1)


def presence_touch(*, conversation, user, state: str, now: dt.datetime | None = None) -> list[ConversationPresence]:
    """Record that `user` has `conversation` open (viewing or replying); the others there now,
    with their users, the ones replying first. Three queries."""
    now = now or timezone.now()
    if state not in ConversationPresence.State.values:
        state = ConversationPresence.State.VIEWING
    ConversationPresence.objects.update_or_create(
        conversation=conversation, user=user, defaults={"state": state, "seen_at": now}
    )
    ConversationPresence.objects.filter(conversation=conversation, seen_at__lt=now - STALE_AFTER).delete()
    return list(
        ConversationPresence.objects.filter(
            conversation=conversation, seen_at__gte=now - dt.timedelta(seconds=PRESENCE_SECONDS), user__is_active=True
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("-state", "user__first_name", "user_id")  # "replying" before "viewing"
    )


def presence_leave(*, conversation, user) -> None:
    ConversationPresence.objects.filter(conversation=conversation, user=user).delete()
