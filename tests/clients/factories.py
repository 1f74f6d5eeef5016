import datetime

import factory

from clients.models import Note, TimelineEvent
from tests.factories import ClientFactory, UserFactory


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Note number {n}")


class TimelineEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEvent

    client = factory.SubFactory(ClientFactory)
    kind = "note.added"
    occurred_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    actor = factory.SubFactory(UserFactory)
    summary = factory.Sequence(lambda n: f"Event {n}")
