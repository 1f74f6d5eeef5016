"""Two acceptances racing on separate database connections: exactly one wins."""

import threading

import pytest

from clients.models import TimelineEvent
from inquiries import services
from inquiries.models import Inquiry, Proposal
from tests.concurrency import run_at_once
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_accepts_record_exactly_one(owner):
    inquiry = InquiryFactory(owner=owner)
    ScopeItemFactory(inquiry=inquiry, priority="must")
    v1 = services.proposal_send(inquiry=inquiry, actor=owner)

    def accept():
        proposal = Proposal.objects.get(pk=v1.pk)
        try:
            services.proposal_accept(proposal=proposal, accepted_by_name=f"client {threading.get_ident()}", want_ids=[])
        except services.ProposalNotAcceptable:
            return "refused"
        return "accepted"

    outcomes = run_at_once(accept, threads=4)
    assert sorted(outcomes) == ["accepted", "refused", "refused", "refused"]
    assert Proposal.objects.filter(accepted_at__isnull=False).count() == 1
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.WON
    assert TimelineEvent.objects.filter(kind="proposal.accepted").count() == 1
