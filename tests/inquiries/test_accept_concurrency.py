"""Two acceptances racing on separate database connections: exactly one wins."""

import threading

import pytest
from django.db import connection

from clients.models import TimelineEvent
from inquiries import services
from inquiries.models import Inquiry, Proposal
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory


@pytest.mark.django_db(transaction=True)
def test_simultaneous_accepts_record_exactly_one(owner):
    inquiry = InquiryFactory(owner=owner)
    ScopeItemFactory(inquiry=inquiry, priority="must")
    v1 = services.proposal_send(inquiry=inquiry, actor=owner)
    barrier = threading.Barrier(4)
    outcomes = []

    def accept(name):
        from django.db import connection as thread_connection

        try:
            proposal = Proposal.objects.get(pk=v1.pk)
            barrier.wait(timeout=10)
            services.proposal_accept(proposal=proposal, accepted_by_name=name, want_ids=[])
            outcomes.append("accepted")
        except services.ProposalNotAcceptable:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=accept, args=(f"client {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    connection.close()
    assert sorted(outcomes) == ["accepted", "refused", "refused", "refused"]
    assert Proposal.objects.filter(accepted_at__isnull=False).count() == 1
    assert Inquiry.objects.get(pk=inquiry.pk).status == Inquiry.Status.WON
    assert TimelineEvent.objects.filter(kind="proposal.accepted").count() == 1
