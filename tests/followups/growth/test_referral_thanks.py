"""A referred inquiry won: the owner of the client who referred it is given a thank-you task on
that client, once, in their own language."""

import pytest

from agency_crm.preferences.services import preferences_for
from followups.models import Task
from inquiries import services
from inquiries.models import Inquiry
from tests.factories import ClientFactory, UserFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db


def _korean(user):
    preferences = preferences_for(user)
    preferences.language = "ko"
    preferences.save()
    return user


def test_a_won_referred_inquiry_gives_the_referrers_owner_one_thank_you_task():
    referrer_owner = UserFactory()
    referrer = ClientFactory(name="Blue Harbor", account_owner=referrer_owner)
    inquiry = InquiryFactory(client__name="Namsan Fitness", referred_by=referrer)
    services.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.WON, actor=inquiry.owner)
    services.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.ON_HOLD, actor=inquiry.owner)
    services.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.WON, actor=inquiry.owner)

    task = Task.objects.get()
    assert (task.client_id, task.assignee_id, task.done_at) == (referrer.pk, referrer_owner.pk, None)
    assert task.title == "Thank Blue Harbor for referring Namsan Fitness"


def test_a_referred_clients_inquiry_accepted_online_thanks_the_referrer_in_the_owners_language():
    referrer = ClientFactory(name="블루하버", account_owner=_korean(UserFactory()))
    inquiry = InquiryFactory(client__name="남산 피트니스", client__referred_by=referrer, contact__email="")
    ScopeItemFactory(inquiry=inquiry, priority="must")
    proposal = services.proposal_send(inquiry=inquiry, actor=inquiry.owner)
    services.proposal_accept(proposal=proposal, accepted_by_name="Kim", want_ids=[])

    task = Task.objects.get()
    assert task.client_id == referrer.pk
    assert task.title == "블루하버에 남산 피트니스 소개 감사 인사하기"


def test_a_won_inquiry_nobody_referred_makes_no_task():
    inquiry = InquiryFactory()
    services.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.WON, actor=inquiry.owner)
    assert not Task.objects.exists()
