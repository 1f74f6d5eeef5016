"""inquiries.hooks.on_won: what a higher app registers runs inside the transaction in which an
inquiry becomes won, once per change to Won (a status change by staff, or a proposal accepted)."""

import pytest
from django.db import connection

from inquiries import hooks, services
from inquiries.models import Inquiry
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    seen = []

    def record(*, inquiry, actor):
        seen.append((inquiry.pk, inquiry.status, actor, connection.in_atomic_block))

    hooks.on_won(record)
    hooks.on_won(record)  # registering twice keeps one
    yield seen
    hooks._won.remove(record)


def test_a_status_change_to_won_calls_the_hook_once_inside_the_transaction(calls):
    inquiry = InquiryFactory()
    services.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.WON, actor=inquiry.owner)
    services.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.WON, actor=inquiry.owner)
    services.inquiry_set_status(inquiry=inquiry, status=Inquiry.Status.ON_HOLD, actor=inquiry.owner)
    assert calls == [(inquiry.pk, "won", inquiry.owner, True)]


def test_a_proposal_accepted_online_calls_the_hook_without_an_actor(calls):
    inquiry = InquiryFactory(contact__email="")
    ScopeItemFactory(inquiry=inquiry, priority="must")
    proposal = services.proposal_send(inquiry=inquiry, actor=inquiry.owner)
    services.proposal_accept(proposal=proposal, accepted_by_name="Kim", want_ids=[])
    assert calls == [(inquiry.pk, "won", None, True)]
