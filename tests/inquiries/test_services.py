"""Inquiry, scope item and proposal services against PostgreSQL."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from clients.models import Client, TimelineEvent
from inquiries import services
from inquiries.models import DiscoveryAnswer, Inquiry, Proposal, ScopeItem
from tests.inquiries.factories import DiscoveryQuestionFactory, InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db

ITEM = {"optimistic_hours": D(10), "likely_hours": D(20), "pessimistic_hours": D(30)}


def _scoped_inquiry(owner, **kwargs):
    inquiry = InquiryFactory(owner=owner, **kwargs)
    for title, priority, (o, m, p) in [
        ("Login", "must", (10, 20, 30)),  # E 20
        ("Booking", "must", (20, 40, 60)),  # E 40
        ("Reminders by SMS", "should", (5, 10, 15)),  # E 10
        ("Loyalty points", "could", (10, 30, 50)),  # E 30
        ("Native app", "wont", (100, 200, 300)),
    ]:
        services.scope_item_add(
            inquiry=inquiry,
            actor=owner,
            fields={
                "title": title,
                "priority": priority,
                "optimistic_hours": D(o),
                "likely_hours": D(m),
                "pessimistic_hours": D(p),
            },
        )
    return inquiry


def test_inquiry_for_a_new_prospect_creates_the_client_and_a_timeline_event(owner):
    inquiry = services.inquiry_create(
        actor=owner,
        new_client_name="마포 베이커리",
        new_contact_name="정수빈",
        new_contact_email="subin@bakery.example",
        details={"title": "온라인 주문", "problem": "전화 주문이 너무 많아요", "source": "phone"},
    )
    client = inquiry.client
    assert client.status == Client.Status.PROSPECT and client.account_owner == owner
    assert inquiry.contact.email == "subin@bakery.example"
    assert inquiry.owner == owner and inquiry.status == Inquiry.Status.NEW
    event = TimelineEvent.objects.get(client=client, kind="inquiry.created")
    assert "온라인 주문" in event.summary and event.url == f"/inquiries/{inquiry.pk}/"


def test_contact_of_another_client_is_refused(owner):
    inquiry = InquiryFactory(owner=owner)
    other = InquiryFactory(owner=owner)
    with pytest.raises(ValidationError):
        services.inquiry_create(
            actor=owner, client=inquiry.client, contact=other.contact, details={"title": "x", "problem": "y"}
        )


@pytest.mark.parametrize(
    ("o", "m", "p"),
    [(-1, 2, 3), (5, 4, 6), (1, 7, 6)],
)
def test_negative_or_inverted_estimates_are_rejected(owner, o, m, p):
    inquiry = InquiryFactory(owner=owner)
    with pytest.raises(ValidationError):
        services.scope_item_add(
            inquiry=inquiry,
            actor=owner,
            fields={"title": "x", "optimistic_hours": D(o), "likely_hours": D(m), "pessimistic_hours": D(p)},
        )
    assert not ScopeItem.objects.exists()


def test_the_database_refuses_an_inverted_estimate_too(owner):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ScopeItemFactory(optimistic_hours=5, likely_hours=4, pessimistic_hours=6)


def test_items_are_added_at_the_end_and_can_be_reordered(owner):
    inquiry = InquiryFactory(owner=owner)
    a, b, c = (
        services.scope_item_add(inquiry=inquiry, actor=owner, fields={"title": t, **ITEM}) for t in ("a", "b", "c")
    )
    assert [a.position, b.position, c.position] == [0, 1, 2]
    services.scope_item_move(item=c, direction="up", actor=owner)
    assert list(inquiry.scope_items.values_list("title", flat=True)) == ["a", "c", "b"]
    services.scope_item_move(item=a, direction="up", actor=owner)  # already first: nothing moves
    services.scope_item_move(item=a, direction="down", actor=owner)
    assert list(inquiry.scope_items.values_list("title", flat=True)) == ["c", "a", "b"]


def test_adding_scope_moves_a_new_inquiry_to_scoped(owner):
    inquiry = InquiryFactory(owner=owner)
    services.scope_item_add(inquiry=inquiry, actor=owner, fields={"title": "x", **ITEM})
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.SCOPED


def test_scope_items_added_and_removed_appear_on_the_client_timeline(owner):
    inquiry = InquiryFactory(owner=owner, title="예약 앱")
    item = services.scope_item_add(
        inquiry=inquiry, actor=owner, fields={"title": "카카오 로그인", "priority": "should", **ITEM}
    )
    added = TimelineEvent.objects.get(client=inquiry.client, kind="scope_item.added")
    assert added.summary == "Scope item for “예약 앱”: 카카오 로그인 (Should have, 20.0 h expected)"
    assert added.url == f"/inquiries/{inquiry.pk}/#item-{item.pk}" and added.actor == owner
    services.scope_item_delete(item=item, actor=owner)
    assert TimelineEvent.objects.filter(client=inquiry.client, kind="scope_item.removed").count() == 1


def test_discovery_answers_are_stored_once_per_question(owner):
    inquiry = InquiryFactory(owner=owner)
    q1, q2 = DiscoveryQuestionFactory(), DiscoveryQuestionFactory()
    assert (
        services.inquiry_discovery_save(inquiry=inquiry, answers={q1.pk: "치과 접수 직원", q2.pk: ""}, actor=owner) == 1
    )
    assert services.inquiry_discovery_save(inquiry=inquiry, answers={q1.pk: "치과 접수 직원"}, actor=owner) == 0
    services.inquiry_discovery_save(inquiry=inquiry, answers={q1.pk: "Receptionists", q2.pk: "Excel"}, actor=owner)
    assert dict(DiscoveryAnswer.objects.values_list("question_id", "answer")) == {
        q1.pk: "Receptionists",
        q2.pk: "Excel",
    }
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.DISCOVERY


def test_lost_needs_a_reason(owner):
    inquiry = InquiryFactory(owner=owner)
    with pytest.raises(ValidationError):
        services.inquiry_set_status(inquiry=inquiry, status="lost", actor=owner)
    services.inquiry_set_status(inquiry=inquiry, status="lost", lost_reason="Went with a template", actor=owner)
    inquiry.refresh_from_db()
    assert inquiry.status == "lost" and inquiry.lost_reason == "Went with a template"
    assert TimelineEvent.objects.filter(kind="inquiry.status_changed", client=inquiry.client).exists()


# --- proposals ---------------------------------------------------------------------------------
def test_sending_freezes_a_numbered_version_with_prices(owner, settings):
    settings.AGENCY_HOURLY_RATE = D(100000)
    settings.TEAM_CAPACITY_HOURS_PER_WEEK = D(40)
    inquiry = _scoped_inquiry(owner)
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    assert proposal.number == 1
    snap = proposal.snapshot
    assert snap["currency"] == "KRW" and snap["hourly_rate"] == "100000"
    assert snap["car"]["hours_expected"] == "60.0"
    assert snap["car"]["cost_expected"] == "6000000"
    # car spread 20/6 + 40/6 = 10 -> 40..80 h
    assert (snap["car"]["hours_low"], snap["car"]["hours_high"]) == ("40.0", "80.0")
    assert snap["flying_car"]["cost_expected"] == "10000000"  # 100 h
    assert snap["car"]["weeks_expected"] == "1.5"
    assert [i["title"] for i in snap["items"] if i["priority"] == "wont"] == ["Native app"]
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.PROPOSAL_SENT
    assert TimelineEvent.objects.filter(kind="proposal.sent", client=inquiry.client).count() == 1


def test_editing_after_sending_leaves_the_sent_version_unchanged(owner):
    inquiry = _scoped_inquiry(owner)
    v1 = services.proposal_send(inquiry=inquiry, actor=owner)
    frozen = v1.snapshot
    login = inquiry.scope_items.get(title="Login")
    services.scope_item_update(
        item=login,
        actor=owner,
        fields={
            "title": "Login with Kakao",
            "optimistic_hours": D(40),
            "likely_hours": D(50),
            "pessimistic_hours": D(90),
        },
    )
    v1.refresh_from_db()
    assert v1.snapshot == frozen
    assert "Login" in [i["title"] for i in v1.snapshot["items"]]
    v2 = services.proposal_send(inquiry=inquiry, actor=owner)
    assert v2.number == 2
    assert "Login with Kakao" in [i["title"] for i in v2.snapshot["items"]]
    assert v2.snapshot["car"]["hours_expected"] != v1.snapshot["car"]["hours_expected"]
    assert v1.key != v2.key and v1.link_token != v2.link_token


def test_a_proposal_needs_at_least_one_must(owner):
    inquiry = InquiryFactory(owner=owner)
    services.scope_item_add(inquiry=inquiry, actor=owner, fields={"title": "x", "priority": "could", **ITEM})
    with pytest.raises(ValidationError):
        services.proposal_send(inquiry=inquiry, actor=owner)


def test_accepting_the_car_plus_one_want_records_the_total_and_wins(owner, settings):
    settings.AGENCY_HOURLY_RATE = D(100000)
    inquiry = _scoped_inquiry(owner)
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    sms = inquiry.scope_items.get(title="Reminders by SMS")
    services.proposal_accept(proposal=proposal, accepted_by_name="김하늘", want_ids=[sms.pk])
    proposal.refresh_from_db()
    inquiry.refresh_from_db()
    # Musts 60 h + SMS 10 h = 70 h x 100,000
    assert proposal.accepted_total == inquiry.accepted_total == D(7_000_000)
    assert proposal.accepted_item_ids == [sms.pk]
    assert proposal.accepted_by_name == "김하늘"
    assert inquiry.status == Inquiry.Status.WON and inquiry.won_at is not None
    kinds = set(TimelineEvent.objects.filter(client=inquiry.client).values_list("kind", flat=True))
    assert {"proposal.accepted", "inquiry.won"} <= kinds


def test_a_second_accept_changes_nothing(owner):
    inquiry = _scoped_inquiry(owner)
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    services.proposal_accept(proposal=proposal, accepted_by_name="First", want_ids=[])
    events = TimelineEvent.objects.count()
    want = inquiry.scope_items.get(title="Loyalty points")
    with pytest.raises(services.ProposalNotAcceptable):
        services.proposal_accept(proposal=proposal, accepted_by_name="Second", want_ids=[want.pk])
    proposal.refresh_from_db()
    assert proposal.accepted_by_name == "First" and proposal.accepted_item_ids == []
    assert TimelineEvent.objects.count() == events


def test_the_database_allows_one_accepted_version_per_inquiry(owner):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    inquiry = _scoped_inquiry(owner)
    v1 = services.proposal_send(inquiry=inquiry, actor=owner)
    v2 = services.proposal_send(inquiry=inquiry, actor=owner)
    Proposal.objects.filter(pk=v1.pk).update(accepted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=v2.pk).update(accepted_at=timezone.now())


def test_an_old_version_cannot_be_accepted_once_a_newer_one_is_sent(owner):
    inquiry = _scoped_inquiry(owner)
    v1 = services.proposal_send(inquiry=inquiry, actor=owner)
    services.proposal_send(inquiry=inquiry, actor=owner)
    with pytest.raises(services.ProposalNotAcceptable):
        services.proposal_accept(proposal=v1, accepted_by_name="Someone", want_ids=[])
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.PROPOSAL_SENT


def test_only_offered_wants_can_be_chosen(owner):
    inquiry = _scoped_inquiry(owner)
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    wont = inquiry.scope_items.get(title="Native app")
    with pytest.raises(ValidationError):
        services.proposal_accept(proposal=proposal, accepted_by_name="X", want_ids=[wont.pk])
    proposal.refresh_from_db()
    assert not proposal.is_accepted


def test_usd_totals_keep_cents(owner):
    inquiry = InquiryFactory(owner=owner, hourly_rate=D("95.50"), currency="USD")
    services.scope_item_add(
        inquiry=inquiry,
        actor=owner,
        fields={"title": "x", "optimistic_hours": D(1), "likely_hours": D(2), "pessimistic_hours": D(4)},
    )  # E = 13/6 h
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    services.proposal_accept(proposal=proposal, accepted_by_name="Emma", want_ids=[])
    inquiry.refresh_from_db()
    assert inquiry.accepted_total == D("206.92")  # 13/6 x 95.50 = 206.9166…


def test_delivery_date_only_for_won_inquiries(owner):
    inquiry = _scoped_inquiry(owner)
    with pytest.raises(ValidationError):
        services.inquiry_mark_delivered(inquiry=inquiry, delivered_on=date(2026, 12, 1), actor=owner)
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    services.proposal_accept(proposal=proposal, accepted_by_name="X", want_ids=[])
    services.inquiry_mark_delivered(inquiry=inquiry, delivered_on=date(2026, 12, 1), actor=owner)
    services.inquiry_mark_delivered(inquiry=inquiry, delivered_on=date(2026, 12, 1), actor=owner)
    inquiry.refresh_from_db()
    assert inquiry.delivered_on == date(2026, 12, 1)
    assert TimelineEvent.objects.filter(kind="inquiry.delivered", client=inquiry.client).count() == 1
