"""The "emails" search provider: received emails by subject (registered in FollowupsConfig.ready()).

A customer's email body is a Message (found by the messages provider); its subject is stored only
on the InboundEmail, and a reply in a thread may bring a subject of its own.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.search import SearchHit, text_filter

from .models import InboundEmail


class EmailSubjectSearchProvider:
    key = "emails"
    label = _("Received emails")
    order = 58

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query: the newest `limit` ids from the inbound_subject_trgm / _bigram / inbound_fts
        # indexes, then only those rows joined to their conversation and client.
        newest = text_filter(InboundEmail.objects.all(), ["subject"], query).order_by("-received_at", "-id")
        emails = (
            InboundEmail.objects.filter(pk__in=newest.values("pk")[:limit])
            .select_related("conversation__client")
            .defer("text_body", "html_body")
            .order_by("-received_at", "-id")
        )
        hits = []
        for email in emails:
            sender = email.from_name or email.from_address
            client = email.conversation.client.name if email.conversation else ""
            meta = " · ".join(
                part for part in (client, sender, f"{timezone.localtime(email.received_at):%Y-%m-%d %H:%M}") if part
            )
            hits.append(
                SearchHit(
                    title=email.subject, snippet="", url=reverse("followups:mail_detail", args=[email.pk]), meta=meta
                )
            )
        return hits
