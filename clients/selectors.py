"""Reads the client pages need, each with a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import Client, Contact, TimelineEvent

# The list's sort options: URL value -> (label, ORDER BY). Only these reach the ORM.
CLIENT_SORTS = {
    "name": (_("Name (A–Z)"), ["name", "id"]),
    "-name": (_("Name (Z–A)"), ["-name", "-id"]),
    "-updated": (_("Recently updated"), ["-updated_at", "-id"]),
    "-created": (_("Newest"), ["-created_at", "-id"]),
    "status": (_("Status"), ["status", "name", "id"]),
    "owner": (_("Account owner"), ["account_owner__first_name", "account_owner__username", "name", "id"]),
}
DEFAULT_SORT = "name"
CLIENT_PAGE_SIZE = 25
TIMELINE_PAGE_SIZE = 20


def client_list_queryset(*, owner=None, status: str = "", tag=None, sort: str = DEFAULT_SORT):
    """Customers (not archived, no placeholder) with owners, backup and tags loaded: 1 query + 1 for tags."""
    qs = Client.objects.customers().select_related("account_owner", "backup_owner")
    if owner is not None:
        qs = qs.filter(account_owner=owner)
    if status:
        qs = qs.filter(status=status)
    if tag is not None:
        qs = qs.filter(tags=tag)
    _label, order = CLIENT_SORTS.get(sort, CLIENT_SORTS[DEFAULT_SORT])
    return qs.order_by(*order).prefetch_related("tags")


def client_list_page(*, page_number, owner=None, status: str = "", tag=None, sort: str = DEFAULT_SORT):
    """COUNT, the page of clients (with owners), their tags: 3 queries."""
    qs = client_list_queryset(owner=owner, status=status, tag=tag, sort=sort)
    return Paginator(qs, CLIENT_PAGE_SIZE).get_page(page_number)


def client_detail(*, pk: int) -> Client:
    """The client with owners, tags and contacts: 3 queries (archived clients included)."""
    return (
        Client.objects.select_related("account_owner", "backup_owner", "referred_by", "referred_by_contact")
        .prefetch_related("tags", Prefetch("contacts", queryset=Contact.objects.order_by("name", "id")))
        .get(pk=pk)
    )


def client_timeline_page(*, client: Client, page_number):
    """COUNT and one page of events with their actors: 2 queries (index timeline_client_recent_idx)."""
    events = TimelineEvent.objects.filter(client=client).select_related("actor").order_by("-occurred_at", "-id")
    return Paginator(events, TIMELINE_PAGE_SIZE).get_page(page_number)


def client_export_rows(qs):
    """(client, contact-or-None) pairs for the CSV export: clients, tags and contacts in 3 queries."""
    for client in qs.prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("name", "id"))):
        contacts = list(client.contacts.all())
        if not contacts:
            yield client, None
        for contact in contacts:
            yield client, contact


def clients_added_by_agency() -> bool:
    """Has the agency added a client of its own (by hand or by a CSV import)? The demo clients of
    `seed_demo` and placeholders (the triage client) do not count. One query."""
    from .demo import DEMO_CLIENTS

    return Client.objects.customers().exclude(name__in=[name for name, *_rest in DEMO_CLIENTS]).exists()
