from decimal import Decimal

import factory

from inquiries.models import DiscoveryQuestion, Inquiry, ScopeItem
from tests.factories import ClientFactory, ContactFactory, UserFactory


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    title = factory.Sequence(lambda n: f"Inquiry {n}")
    client = factory.SubFactory(ClientFactory)
    contact = factory.SubFactory(ContactFactory, client=factory.SelfAttribute("..client"))
    problem = "Our booking is done on paper."
    goal = "Fewer no-shows."
    owner = factory.SubFactory(UserFactory)


class ScopeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScopeItem

    inquiry = factory.SubFactory(InquiryFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    priority = ScopeItem.Priority.MUST
    optimistic_hours = Decimal("4")
    likely_hours = Decimal("6")
    pessimistic_hours = Decimal("14")
    position = factory.Sequence(lambda n: n)


class DiscoveryQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscoveryQuestion

    text = factory.Sequence(lambda n: f"Question {n}?")
    position = factory.Sequence(lambda n: n)
