"""A customer accepts a proposal: the beat task tells the inquiry's owner (and the account owner)
in the bell and the batched email, exactly once."""

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from followups.models import Notification, ProposalAcceptedNotice
from followups.proposals import services as services_proposals
from followups.proposals.tasks import proposals_accepted_notify
from inquiries import services as inquiry_services
from inquiries.models import Proposal
from tests.concurrency import run_at_once
from tests.factories import ClientFactory, UserFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory


def _accepted_proposal(owner, *, account_owner=None, name="박지영", wants=1):
    client = ClientFactory(account_owner=account_owner or owner)
    inquiry = InquiryFactory(owner=owner, client=client, title="치과 예약 앱", hourly_rate=D(100000), currency="KRW")
    ScopeItemFactory(inquiry=inquiry, priority="must", optimistic_hours=10, likely_hours=20, pessimistic_hours=30)
    ScopeItemFactory(inquiry=inquiry, priority="should", optimistic_hours=5, likely_hours=10, pessimistic_hours=15)
    ScopeItemFactory(inquiry=inquiry, priority="could", optimistic_hours=1, likely_hours=2, pessimistic_hours=3)
    proposal = inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    want_ids = inquiry_services.proposal_want_ids(proposal.snapshot)[:wants]
    return inquiry_services.proposal_accept(proposal=proposal, accepted_by_name=name, want_ids=want_ids)


@pytest.mark.django_db
def test_an_accepted_proposal_notifies_the_inquiry_owner_once(owner):
    proposal = _accepted_proposal(owner)
    assert Notification.objects.count() == 0  # the customer's request only writes the timeline

    assert proposals_accepted_notify() == 1
    [notification] = Notification.objects.all()
    assert notification.recipient == owner
    assert notification.kind == "proposal_accepted"
    assert notification.title == "박지영 accepted proposal v1 for 치과 예약 앱 (KRW 3,000,000)"
    assert "the Car plus 1 of the offered wants" in notification.body
    assert notification.url == proposal.inquiry.get_absolute_url()
    assert notification.email_pending  # it goes into the owner's next batched email

    assert proposals_accepted_notify() == 0
    assert Notification.objects.count() == 1
    assert ProposalAcceptedNotice.objects.filter(proposal=proposal).exists()


@pytest.mark.django_db
def test_the_account_owner_hears_about_it_too_when_someone_else_owns_the_inquiry(owner, other_staff):
    _accepted_proposal(owner, account_owner=other_staff, wants=0)
    proposals_accepted_notify()
    notifications = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in notifications] == [other_staff, owner]
    assert "the Car (the needs only)" in notifications[0].body


@pytest.mark.django_db
def test_an_inactive_owner_is_skipped_but_the_acceptance_is_still_marked(owner):
    proposal = _accepted_proposal(owner)
    owner.is_active = False
    owner.save()
    proposals_accepted_notify()
    assert Notification.objects.count() == 0
    assert ProposalAcceptedNotice.objects.filter(proposal=proposal).exists()


@pytest.mark.django_db
def test_proposals_not_accepted_are_left_alone(owner):
    inquiry = InquiryFactory(owner=owner)
    ScopeItemFactory(inquiry=inquiry, priority="must")
    inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    assert proposals_accepted_notify() == 0
    assert ProposalAcceptedNotice.objects.count() == 0


@pytest.mark.django_db
def test_an_acceptance_seen_weeks_late_is_recorded_without_a_stale_notification(owner):
    proposal = _accepted_proposal(owner)
    with time_machine.travel(timezone.now() + dt.timedelta(days=15), tick=False):
        assert proposals_accepted_notify() == 0
    assert Notification.objects.count() == 0
    assert ProposalAcceptedNotice.objects.filter(proposal=proposal).exists()


@pytest.mark.django_db
def test_the_customer_name_is_shown_as_text_in_the_bell(owner, owner_client):
    _accepted_proposal(owner, name="<script>alert('x')</script>")
    proposals_accepted_notify()
    body = owner_client.get(reverse("followups:notifications")).content.decode()
    assert "<script>alert(" not in body
    assert "&lt;script&gt;alert(" in body


def test_beat_runs_the_pick_up_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["proposals-accepted-notify"]
    assert entry["task"] == "followups.tasks_proposals.proposals_accepted_notify"
    assert entry["schedule"] == 60.0


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_announce_each_acceptance_once():
    owner = UserFactory(username="racer")
    proposal = _accepted_proposal(owner, account_owner=UserFactory(username="account"))

    def notify_once():
        mine = Proposal.objects.select_related("inquiry__client__account_owner", "inquiry__owner").get(pk=proposal.pk)
        return services_proposals.proposal_accepted_notify(proposal=mine)

    outcomes = run_at_once(notify_once, threads=2)
    assert sorted(outcomes) == [False, True]
    assert Notification.objects.filter(kind="proposal_accepted").count() == 2  # owner + account owner
    assert ProposalAcceptedNotice.objects.count() == 1
