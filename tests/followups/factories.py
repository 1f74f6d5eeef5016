import factory
from django.utils import timezone

from followups.models import Channel, Conversation, Message
from tests.factories import ClientFactory, ContactFactory, UserFactory

__all__ = ["ClientFactory", "ContactFactory", "ConversationFactory", "MessageFactory", "UserFactory"]


class ConversationFactory(factory.django.DjangoModelFactory):
    """A bare conversation; add messages through the services so the clock stays consistent."""

    class Meta:
        model = Conversation

    client = factory.SubFactory(ClientFactory)
    contact = factory.SubFactory(ContactFactory, client=factory.SelfAttribute("..client"))
    subject = factory.Sequence(lambda n: f"Question {n}")
    channel = Channel.EMAIL
    owner = factory.LazyAttribute(lambda c: c.client.account_owner)


class MessageFactory(factory.django.DjangoModelFactory):
    """A raw row for display tests; the clock is not replayed (use the services for that)."""

    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    direction = Message.Direction.FROM_CUSTOMER
    channel = Channel.EMAIL
    body = "Hello"
    occurred_at = factory.LazyFunction(timezone.now)
