"""Reads for the outbox pages and for other apps showing their mail."""

from django.db.models import QuerySet

from .models import OutboundEmail

# The outbox page's ?status= filter: only these values are accepted.
STATUS_FILTERS = tuple(OutboundEmail.Status.values)


def outbox_list(*, status: str | None = None) -> QuerySet[OutboundEmail]:
    """Newest first, with the client in the same query (outbox_status_created_idx)."""
    emails = OutboundEmail.objects.select_related("client").defer("text_body", "html_body")
    if status in STATUS_FILTERS:
        emails = emails.filter(status=status)
    return emails.order_by("-created_at", "-id")


def outbox_for_related(**related) -> QuerySet[OutboundEmail]:
    """The mail one object caused, e.g. outbox_for_related(conversation_id=12), oldest first."""
    lookups = {f"related__{key}": value for key, value in related.items()}
    return OutboundEmail.objects.filter(**lookups).order_by("created_at", "id")


def outbox_status_counts() -> dict[str, int]:
    from django.db.models import Count

    rows = OutboundEmail.objects.order_by().values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(STATUS_FILTERS, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
