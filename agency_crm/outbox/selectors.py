"""Reads for the outbox pages and for other apps showing their mail."""

import json

from django.db.models import Count, Q, QuerySet

from ..roles import is_manager
from .models import OutboundEmail

# The outbox page's ?status= filter: only these values are accepted.
STATUS_FILTERS = tuple(OutboundEmail.Status.values)


def outbox_visible_to(user) -> QuerySet[OutboundEmail]:
    """The emails `user` may open: managers every one; staff the emails to customers (those with a
    client) and those addressed to themselves (To or Cc), never a colleague's digest or the
    managers' weekly review."""
    emails = OutboundEmail.objects.all()
    if is_manager(user):
        return emails
    visible = Q(client__isnull=False)
    if user.email:
        # `to` and `cc` are JSON lists: match the whole quoted address, case-insensitively, so
        # "ann@x" never matches "joann@x" (icontains on the JSON text works on SQLite too).
        quoted = json.dumps(user.email, ensure_ascii=False)
        visible |= Q(to__icontains=quoted) | Q(cc__icontains=quoted)
    return emails.filter(visible)


def outbox_list(*, user, status: str | None = None) -> QuerySet[OutboundEmail]:
    """Newest first, with the client in the same query (outbox_status_created_idx)."""
    emails = outbox_visible_to(user).select_related("client").defer("text_body", "html_body")
    if status in STATUS_FILTERS:
        emails = emails.filter(status=status)
    return emails.order_by("-created_at", "-id")


def outbox_for_related(**related) -> QuerySet[OutboundEmail]:
    """The mail one object caused, e.g. outbox_for_related(conversation_id=12), oldest first."""
    lookups = {f"related__{key}": value for key, value in related.items()}
    return OutboundEmail.objects.filter(**lookups).order_by("created_at", "id")


def outbox_status_counts(*, user) -> dict[str, int]:
    rows = outbox_visible_to(user).order_by().values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
