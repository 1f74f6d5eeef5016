"""Factories and helpers of the post-sale care tests (issue 8)."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory
import pytest

from followups.models import Checkin, CheckinPlan, CheckinSchedule, FeedbackRequest, ensure_default_checkin_plans
from tests.factories import ClientFactory, ContactFactory, UserFactory

SEOUL = ZoneInfo("Asia/Seoul")

__all__ = [
    "CheckinFactory",
    "ClientFactory",
    "ContactFactory",
    "FeedbackRequestFactory",
    "UserFactory",
    "default_checkin_plans",
    "seoul",
]


@pytest.fixture(autouse=True)
def default_checkin_plans(request):
    """The data migration's check-in plans, re-created because transactional tests flush tables.

    Import it into a test module (`from tests.followups.care_factories import default_checkin_plans`)
    to make it apply there.
    """
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    else:
        request.getfixturevalue("db")
    ensure_default_checkin_plans()


def seoul(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SEOUL)


def plan(kind: str) -> CheckinPlan:
    ensure_default_checkin_plans()
    return CheckinPlan.objects.get(kind=kind)


class CheckinScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckinSchedule

    plan = factory.LazyFunction(lambda: plan(CheckinPlan.Kind.AFTER_DELIVERY))
    client = factory.SubFactory(ClientFactory)
    started_on = dt.date(2026, 11, 16)


class CheckinFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checkin

    schedule = factory.SubFactory(CheckinScheduleFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    client = factory.SelfAttribute("schedule.client")
    contact = factory.SubFactory(ContactFactory, client=factory.SelfAttribute("..client"))
    owner = factory.LazyAttribute(lambda c: c.client.account_owner)
    channel = "email"
    due_on = dt.date(2026, 11, 23)


class FeedbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackRequest

    source = FeedbackRequest.Source.CONVERSATION
    client = factory.SubFactory(ClientFactory)
    contact = factory.SubFactory(ContactFactory, client=factory.SelfAttribute("..client"))
    owner = factory.LazyAttribute(lambda f: f.client.account_owner)
    channel = "email"
    language = "en"
