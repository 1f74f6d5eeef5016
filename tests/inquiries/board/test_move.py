"""inquiry_move: every rule of a move on the pipeline board, through the status services."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clients.models import TimelineEvent
from inquiries import services
from inquiries.board.models import Loss
from inquiries.board.services import inquiry_move
from inquiries.models import Inquiry
from tests.factories import ContactFactory
from tests.inquiries.board.factories import LostReasonFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db
Status = Inquiry.Status


@pytest.fixture
def inquiry(owner):
    return InquiryFactory(owner=owner, title="Booking app")


def _sent(inquiry, actor):
    ScopeItemFactory(inquiry=inquiry)
    return services.proposal_send(inquiry=inquiry, actor=actor)


def test_the_owner_moves_an_inquiry_and_the_move_is_on_the_client_timeline(inquiry, owner):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        moved = inquiry_move(inquiry=inquiry, status=Status.DISCOVERY, actor=owner)
    assert moved.status == Status.DISCOVERY
    assert moved.status_changed_at == dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    event = TimelineEvent.objects.get(client=inquiry.client, kind="inquiry.status_changed")
    assert event.actor == owner
    assert event.data == {"inquiry_id": inquiry.pk, "from": "new", "to": "discovery"}


def test_a_manager_moves_anyones_inquiry(inquiry, manager):
    assert inquiry_move(inquiry=inquiry, status=Status.ON_HOLD, actor=manager).status == Status.ON_HOLD


def test_a_colleague_who_does_not_own_it_may_not_move_it(inquiry, other_staff):
    with pytest.raises(PermissionDenied):
        inquiry_move(inquiry=inquiry, status=Status.DISCOVERY, actor=other_staff)
    inquiry.refresh_from_db()
    assert inquiry.status == Status.NEW
    assert not TimelineEvent.objects.filter(kind="inquiry.status_changed").exists()


def test_an_unknown_stage_is_refused(inquiry, owner):
    with pytest.raises(ValidationError, match="Unknown stage"):
        inquiry_move(inquiry=inquiry, status="delivered", actor=owner)


def test_moving_to_the_stage_it_is_in_changes_nothing(inquiry, owner):
    before = Inquiry.objects.get(pk=inquiry.pk).status_changed_at
    inquiry_move(inquiry=inquiry, status=Status.NEW, actor=owner)
    assert Inquiry.objects.get(pk=inquiry.pk).status_changed_at == before
    assert not TimelineEvent.objects.filter(kind="inquiry.status_changed").exists()


def test_scoped_needs_a_must_item(inquiry, owner):
    ScopeItemFactory(inquiry=inquiry, priority="should")
    with pytest.raises(ValidationError, match="Scoped needs at least one Must item"):
        inquiry_move(inquiry=inquiry, status=Status.SCOPED, actor=owner)
    ScopeItemFactory(inquiry=inquiry, priority="must")
    assert inquiry_move(inquiry=inquiry, status=Status.SCOPED, actor=owner).status == Status.SCOPED


def test_proposal_sent_needs_a_sent_proposal(inquiry, owner):
    ScopeItemFactory(inquiry=inquiry)
    with pytest.raises(ValidationError, match="Proposal sent needs a sent proposal"):
        inquiry_move(inquiry=inquiry, status=Status.PROPOSAL_SENT, actor=owner)
    services.proposal_send(inquiry=inquiry, actor=owner)
    inquiry_move(inquiry=inquiry, status=Status.ON_HOLD, actor=owner)
    assert inquiry_move(inquiry=inquiry, status=Status.PROPOSAL_SENT, actor=owner).status == Status.PROPOSAL_SENT


def test_won_needs_no_accepted_proposal_as_on_the_inquiry_page(inquiry, owner):
    """The status form already lets staff record a win agreed by phone; the board does the same."""
    moved = inquiry_move(inquiry=inquiry, status=Status.WON, actor=owner)
    assert moved.status == Status.WON and moved.won_at is not None
    assert TimelineEvent.objects.filter(kind="inquiry.won", data__inquiry_id=inquiry.pk).exists()


def test_an_inquiry_whose_proposal_the_customer_accepted_stays_won(inquiry, owner):
    proposal = _sent(inquiry, owner)
    services.proposal_accept(proposal=proposal, accepted_by_name="Jisoo", want_ids=[])
    for status in (Status.LOST, Status.PROPOSAL_SENT, Status.ON_HOLD):
        with pytest.raises(ValidationError, match="customer accepted a proposal"):
            inquiry_move(inquiry=inquiry, status=status, actor=owner, lost_reason=LostReasonFactory())
    assert Inquiry.objects.get(pk=inquiry.pk).status == Status.WON


def test_a_delivered_inquiry_stays_won(inquiry, owner):
    inquiry_move(inquiry=inquiry, status=Status.WON, actor=owner)
    services.inquiry_mark_delivered(inquiry=inquiry, delivered_on=timezone.localdate(), actor=owner)
    with pytest.raises(ValidationError, match="delivered inquiry stays won"):
        inquiry_move(inquiry=inquiry, status=Status.ON_HOLD, actor=owner)


def test_lost_needs_a_reason_from_the_list(inquiry, owner):
    with pytest.raises(ValidationError, match="Choose why the inquiry was lost"):
        inquiry_move(inquiry=inquiry, status=Status.LOST, actor=owner)
    retired = LostReasonFactory(is_active=False)
    with pytest.raises(ValidationError, match="Choose why the inquiry was lost"):
        inquiry_move(inquiry=inquiry, status=Status.LOST, actor=owner, lost_reason=retired)
    assert Inquiry.objects.get(pk=inquiry.pk).status == Status.NEW
    assert not Loss.objects.exists()


def test_lost_records_the_reason_and_the_note(inquiry, owner, settings):
    settings.LANGUAGE_CODE = "ko"
    price = LostReasonFactory(name_en="Price", name_ko="가격")
    moved = inquiry_move(inquiry=inquiry, status=Status.LOST, actor=owner, lost_reason=price, lost_note=" 예산 초과 ")
    assert moved.status == Status.LOST
    # The inquiry's own text is in the agency's language, with the note.
    assert moved.lost_reason == "가격: 예산 초과"
    loss = Loss.objects.get(inquiry=inquiry)
    assert (loss.reason, loss.note, loss.recorded_by) == (price, "예산 초과", owner)
    event = TimelineEvent.objects.get(kind="inquiry.status_changed", data__to="lost")
    assert event.body == "가격: 예산 초과"


def test_a_lost_inquiry_lost_again_keeps_one_loss_with_the_new_reason(inquiry, owner):
    first, second = LostReasonFactory(), LostReasonFactory()
    inquiry_move(inquiry=inquiry, status=Status.LOST, actor=owner, lost_reason=first)
    inquiry_move(inquiry=inquiry, status=Status.LOST, actor=owner, lost_reason=second)
    assert list(Loss.objects.values_list("reason", flat=True)) == [second.pk]


def test_reopening_a_lost_inquiry_forgets_its_loss(inquiry, owner):
    inquiry_move(inquiry=inquiry, status=Status.LOST, actor=owner, lost_reason=LostReasonFactory())
    moved = inquiry_move(inquiry=inquiry, status=Status.DISCOVERY, actor=owner)
    assert (moved.status, moved.lost_reason) == (Status.DISCOVERY, "")
    assert not Loss.objects.exists()


def test_every_status_service_sets_when_the_inquiry_entered_its_status(owner):
    """Days in stage read status_changed_at, so each way a status changes must set it."""
    ContactFactory()
    inquiry = InquiryFactory(owner=owner)
    moments = iter(dt.datetime(2026, 12, day, 9, tzinfo=dt.UTC) for day in range(1, 10))

    def changed_at():
        return Inquiry.objects.get(pk=inquiry.pk).status_changed_at

    from tests.inquiries.factories import DiscoveryQuestionFactory

    question = DiscoveryQuestionFactory()
    with time_machine.travel(expected := next(moments), tick=False):
        services.inquiry_discovery_save(inquiry=inquiry, answers={question.pk: "Clinics"}, actor=owner)
    assert changed_at() == expected
    with time_machine.travel(expected := next(moments), tick=False):
        proposal = _sent(inquiry, owner)
    assert changed_at() == expected
    with time_machine.travel(next(moments), tick=False):
        services.proposal_send(inquiry=inquiry, actor=owner)  # a new version: still Proposal sent
    assert changed_at() == expected
    with time_machine.travel(expected := next(moments), tick=False):
        services.proposal_accept(
            proposal=inquiry.proposals.order_by("-number").first(), accepted_by_name="Jisoo", want_ids=[]
        )
    assert changed_at() == expected
    assert proposal.number == 1
    other = InquiryFactory(owner=owner)
    with time_machine.travel(expected := next(moments), tick=False):
        services.inquiry_set_status(inquiry=other, status=Status.ON_HOLD, actor=owner)
    assert Inquiry.objects.get(pk=other.pk).status_changed_at == expected
