"""Demo growth items and a referral for `manage.py seed_demo` (idempotent: keyed by the demo
inquiry's title). Blue Harbor Coffee's pre-order app was delivered ten days ago with two wants
deferred, so its first check-in raises them; Namsan Fitness came to us through Blue Harbor."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from clients.models import Client
from clients.services import client_update
from inquiries.models import Inquiry
from inquiries.services import inquiry_create, inquiry_mark_delivered, inquiry_set_status, scope_item_add

TITLE = "Mobile pre-order for the morning rush"
ITEMS = [
    ("Order ahead on the web", "must", (16, 24, 40), "first"),
    ("Pick-up shelf screen", "must", (6, 10, 16), "first"),
    ("Live delivery tracking", "wont", (40, 60, 100), "later"),
    ("Pay with stamps", "could", (8, 12, 20), "later"),
]


def seed(*, users) -> None:
    client = Client.objects.filter(name="Blue Harbor Coffee").first()
    if client is None or Inquiry.objects.filter(client=client, title=TITLE).exists():
        return
    owner = users["junho"]
    inquiry = inquiry_create(
        actor=owner,
        client=client,
        contact=client.contacts.first(),
        details={
            "title": TITLE,
            "source": Inquiry.Source.PHONE,
            "problem": "The queue at 8 a.m. goes out of the door; people leave.",
            "owner": owner,
        },
    )
    for title, priority, (low, likely, high), phase in ITEMS:
        scope_item_add(
            inquiry=inquiry,
            actor=owner,
            fields={
                "title": title,
                "priority": priority,
                "phase": phase,
                "optimistic_hours": Decimal(low),
                "likely_hours": Decimal(likely),
                "pessimistic_hours": Decimal(high),
            },
        )
    inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.WON, actor=owner)
    # Delivering records the growth items and starts the after-delivery check-ins (the hooks).
    inquiry_mark_delivered(inquiry=inquiry, delivered_on=timezone.localdate() - dt.timedelta(days=10), actor=owner)
    referred = Client.objects.filter(name="Namsan Fitness", referred_by__isnull=True).first()
    if referred is not None:
        client_update(client=referred, actor=users["manager"], changes={"referred_by": client})
