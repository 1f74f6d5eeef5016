"""A delivered inquiry with every kind of want, made through the services (shared by the growth
tests)."""

import datetime as dt
from decimal import Decimal

from inquiries import services
from inquiries.models import Inquiry
from tests.factories import ClientFactory, ContactFactory, UserFactory

# title, priority, phase, (optimistic, likely, pessimistic)
ITEMS = [
    ("Online booking", "must", "first", (16, 24, 40)),
    ("Reminder texts", "should", "first", (6, 10, 18)),
    ("Reviews page", "could", "first", (8, 12, 24)),
    ("Staff rota", "must", "later", (10, 14, 20)),
    ("실시간 배송 추적", "wont", "later", (40, 60, 100)),
]


def delivered_inquiry(*, owner=None, client=None, delivered_on=dt.date(2026, 11, 2), chosen=("Reminder texts",)):
    """An inquiry whose proposal was accepted with `chosen` wants, then delivered on `delivered_on`."""
    owner = owner or UserFactory()
    client = client or ClientFactory(account_owner=owner)
    contact = ContactFactory(client=client, email="")
    inquiry = services.inquiry_create(
        actor=owner,
        client=client,
        contact=contact,
        details={"title": "Clinic booking", "source": "phone", "problem": "Paper bookings", "owner": owner,
                 "hourly_rate": Decimal("100000"), "currency": "KRW"},
    )  # fmt: skip
    items = {}
    for title, priority, phase, (low, likely, high) in ITEMS:
        items[title] = services.scope_item_add(
            inquiry=inquiry,
            actor=owner,
            fields={"title": title, "priority": priority, "phase": phase, "optimistic_hours": Decimal(low),
                    "likely_hours": Decimal(likely), "pessimistic_hours": Decimal(high)},
        )  # fmt: skip
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    services.proposal_accept(
        proposal=proposal, accepted_by_name="Dr. Kim", want_ids=[items[title].pk for title in chosen]
    )
    inquiry = services.inquiry_mark_delivered(
        inquiry=Inquiry.objects.get(pk=inquiry.pk), delivered_on=delivered_on, actor=owner
    )
    return inquiry, items
