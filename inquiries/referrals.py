"""Referral figures: who a client referred, what it was worth, and the dashboard's share of new
inquiries that came by referral with the top referrers. Each read is a constant number of queries.

The rule, in one place: an inquiry's referrer is the client it names as "referred by", else the
one its client names (a referred client's later work still counts for whoever sent it to us). An
inquiry came by referral when it has a referrer or its source is Referral. What a referral was
worth is the accepted proposal totals of its won inquiries, added exactly (numeric in PostgreSQL,
Decimal here), one sum per currency: totals in different currencies are never added together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from clients.models import Client

from .models import Inquiry, Proposal

# How many referred inquiries the client page lists (the worth counts them all).
LISTED_INQUIRIES = 20


def with_referrer(inquiries: QuerySet[Inquiry], prefix: str = "") -> QuerySet:
    """`inquiries` annotated with `referrer_id` (the rule above)."""
    return inquiries.annotate(referrer_id=Coalesce(f"{prefix}referred_by", f"{prefix}client__referred_by"))


def _worth(proposals: QuerySet[Proposal]) -> list[tuple[str, Decimal]]:
    rows = (
        proposals.filter(accepted_at__isnull=False, inquiry__status=Inquiry.Status.WON)
        .values(currency=KT("snapshot__currency"))
        .annotate(total=Sum("accepted_total"))
        .order_by("currency")
    )
    return [(row["currency"], row["total"]) for row in rows]


def worth_of_referrals(*, client: Client) -> list[tuple[str, Decimal]]:
    """[(currency, total)] of the won inquiries `client` referred (one query)."""
    proposals = Proposal.objects.annotate(
        referrer_id=Coalesce("inquiry__referred_by", "inquiry__client__referred_by")
    ).filter(referrer_id=client.pk)
    return _worth(proposals)


@dataclass
class ClientReferrals:
    clients: list[Client]
    inquiries: list[Inquiry]
    worth: list[tuple[str, Decimal]]

    def __bool__(self) -> bool:
        return bool(self.clients or self.inquiries)


def client_referrals(*, client: Client) -> ClientReferrals:
    """The client page's "Referrals" card (three queries): the clients it referred, the latest
    inquiries it referred (with their clients), and what the won ones were worth."""
    clients = list(Client.objects.filter(referred_by=client).order_by("name", "id"))
    inquiries = list(
        with_referrer(Inquiry.objects.all())
        .filter(referrer_id=client.pk)
        .select_related("client")
        .order_by("-created_at", "-id")[:LISTED_INQUIRIES]
    )
    return ClientReferrals(clients=clients, inquiries=inquiries, worth=worth_of_referrals(client=client))


@dataclass
class Referrer:
    client_id: int
    name: str
    inquiries: int
    won: int
    worth: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class ReferralFigures:
    total: int
    referred: int
    top: list[Referrer]

    @property
    def share(self) -> float | None:
        return self.referred / self.total if self.total else None


def referral_figures(
    *, start: dt.datetime, end: dt.datetime, owner_id: int | None = None, tier: str = "", limit: int = 5
) -> ReferralFigures:
    """Inquiries created in [start, end): how many came by referral, and the `limit` referrers
    who sent the most of them, with how many were won and their accepted totals (three queries)."""
    inquiries = Inquiry.objects.filter(created_at__gte=start, created_at__lt=end)
    if owner_id:
        inquiries = inquiries.filter(owner_id=owner_id)
    if tier:
        inquiries = inquiries.filter(client__response_tier=tier)
    inquiries = with_referrer(inquiries)
    counts = inquiries.aggregate(
        total=Count("id"), referred=Count("id", filter=Q(referrer_id__isnull=False) | Q(source=Inquiry.Source.REFERRAL))
    )
    name = Client.objects.filter(pk=OuterRef("referrer_id")).values("name")[:1]
    rows = list(
        inquiries.filter(referrer_id__isnull=False)
        .values("referrer_id")
        .annotate(n=Count("id"), won=Count("id", filter=Q(status=Inquiry.Status.WON)), name=Subquery(name))
        .order_by("-n", "-won", "name", "referrer_id")[:limit]
    )
    top = [Referrer(client_id=r["referrer_id"], name=r["name"], inquiries=r["n"], won=r["won"]) for r in rows]
    by_id = {referrer.client_id: referrer for referrer in top}
    # Every referrer's sums, not only the top ones': one query whatever the top holds.
    worth = (
        Proposal.objects.filter(inquiry__in=inquiries.filter(referrer_id__isnull=False).values("pk"))
        .filter(accepted_at__isnull=False, inquiry__status=Inquiry.Status.WON)
        .annotate(referrer_id=Coalesce("inquiry__referred_by", "inquiry__client__referred_by"))
        .values("referrer_id", currency=KT("snapshot__currency"))
        .annotate(total=Sum("accepted_total"))
        .order_by("referrer_id", "currency")
    )
    for row in worth:
        if row["referrer_id"] in by_id:
            by_id[row["referrer_id"]].worth.append((row["currency"], row["total"]))
    return ReferralFigures(total=counts["total"], referred=counts["referred"], top=top)


__all__ = [
    "ClientReferrals",
    "ReferralFigures",
    "Referrer",
    "client_referrals",
    "referral_figures",
    "with_referrer",
    "worth_of_referrals",
]
