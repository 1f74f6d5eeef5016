"""The clients app's own search kinds: clients, contacts, notes (registered in ClientsConfig.ready)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Client, Contact, Note, Tag
from .search import SearchHit, make_snippet, normalize_query, phone_digits_match, text_filter


class ClientSearch:
    key = "clients"
    label = _("Clients")
    order = 10

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query: customers (no placeholder) whose name or notes hold every word, or with a tag
        # that does (a subquery on the small tag table, through its tag_name_* indexes; no join,
        # so a client with two matching tags is one row). Tags come in a second query, for the
        # snippet, only when something was found.
        customers = Client.objects.customers()
        tagged = Client.tags.through.objects.filter(
            tag__in=text_filter(Tag.objects.all(), ["name"], query, exhaustive=True)
        ).values("client_id")
        # A UNION of the two index-served lookups: an OR with the tag subquery made PostgreSQL
        # scan every client and compute its bigrams row by row (26 ms at 5,000 clients).
        matching = text_filter(Client.objects.order_by(), ["name", "notes"], query, exhaustive=True).values("pk")
        clients = (
            customers.filter(pk__in=matching.union(tagged)).prefetch_related("tags").order_by("name", "id")[:limit]
        )
        return [
            SearchHit(
                title=client.name,
                snippet=_client_snippet(client, query),
                url=reverse("clients:detail", args=[client.pk]),
                meta=client.get_status_display(),
            )
            for client in clients
        ]


def _client_snippet(client: Client, query: str) -> str:
    tags = ", ".join(tag.name for tag in client.tags.all())
    text = make_snippet(client.notes or client.name, query)
    return f"{text} · {_('Tags')}: {tags}" if tags else text


class ContactSearch:
    key = "contacts"
    label = _("Contacts")
    order = 20

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query: contacts of active clients, with their client joined (small table: exhaustive),
        # and, for a query that is a phone number, those whose number has its digits.
        active = Contact.objects.of_customers()
        matches = text_filter(active, ["name", "email", "phone"], query, exhaustive=True)
        by_digits = phone_digits_match(normalize_query(query))
        if by_digits is not None:
            matches = matches | active.filter(by_digits)
        contacts = matches.select_related("client").order_by("name", "id")[:limit]
        return [
            SearchHit(
                title=contact.name,
                snippet=" · ".join(part for part in (contact.email, contact.phone, contact.role) if part),
                url=reverse("clients:detail", args=[contact.client_id]),
                meta=contact.client.name,
            )
            for contact in contacts
        ]


class NoteSearch:
    key = "notes"
    label = _("Notes and calls")
    order = 30

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query: newest matching notes of active clients, with their client joined.
        notes = (
            text_filter(Note.objects.filter(client__archived_at__isnull=True), ["body"], query)
            .select_related("client")
            .order_by("-created_at", "-id")[:limit]
        )
        return [
            SearchHit(
                title=f"{note.client.name} · {note.get_kind_display()}",
                snippet=make_snippet(note.body, query),
                url=reverse("clients:detail", args=[note.client_id]) + f"#note-{note.pk}",
                meta=date_format(timezone.localtime(note.created_at), "SHORT_DATETIME_FORMAT"),
            )
            for note in notes
        ]
