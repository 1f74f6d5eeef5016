"""Factories for the outbox (agency_crm.outbox)."""

import factory
from django.utils import timezone

from agency_crm.outbox.models import OutboundEmail
from tests.factories import ClientFactory


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """An email to a customer (it has a client); pass client=None for internal mail."""

    class Meta:
        model = OutboundEmail

    kind = OutboundEmail.Kind.REPLY
    from_email = "Gonggam Demo Agency <crm@localhost>"
    to = factory.Sequence(lambda n: [f"customer{n}@customer.example"])
    subject = factory.Sequence(lambda n: f"Re: question {n}")
    text_body = "Hello,\n\nThanks for your message.\n"
    html_body = "<p>Hello,</p><p>Thanks for your message.</p>"
    language = "en"
    message_id = factory.Sequence(lambda n: f"<outbox-test-{n}@testserver>")
    next_attempt_at = factory.LazyFunction(timezone.now)
    client = factory.SubFactory(ClientFactory)
