"""Offboarding hands over everything a person owns in every app (issue 14, point 2): clients,
open conversations, inquiries still in progress, open check-ins and running snoozes; the page
lists it all and asks for confirmation; the person is deactivated only when nothing is left."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients import offboarding
from clients.models import TimelineEvent
from clients.offboarding import staff_offboard
from followups.conversations.services import message_receive
from followups.models import Checkin, ReminderSchedule, SnoozeReason
from followups.reminders.services import wait_snooze
from inquiries.models import Inquiry
from tests.followups.care_factories import CheckinFactory, default_checkin_plans  # noqa: F401
from tests.followups.factories import ClientFactory, ConversationFactory, UserFactory
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(db):
    return UserFactory(username="leaver", first_name="Dana", last_name="Choi")


@pytest.fixture
def work(leaver, other_staff):
    """A client owned by someone else, where the leaver has an inquiry, a check-in and a snooze."""
    client = ClientFactory(account_owner=other_staff, name="Hanbit Logistics")
    inquiry = InquiryFactory(client=client, owner=leaver, title="Booking app")
    lost = InquiryFactory(
        client=client, owner=leaver, title="Old idea", status=Inquiry.Status.LOST, lost_reason="Budget"
    )
    delivered = InquiryFactory(
        client=client, owner=leaver, title="Shipped site", status=Inquiry.Status.WON, delivered_on=dt.date(2026, 1, 5)
    )
    checkin = CheckinFactory(client=client, owner=leaver, due_on=timezone.localdate() + dt.timedelta(days=7))
    done = CheckinFactory(
        client=client,
        owner=leaver,
        status=Checkin.Status.DONE,
        done_at=timezone.now(),
        sentiment="good",
    )
    conversation = ConversationFactory(client=client, owner=other_staff, subject="Where is my parcel?")
    message_receive(conversation=conversation, body="Hello?", channel="email", occurred_at=timezone.now())
    wait_snooze(
        conversation=conversation,
        actor=leaver,
        until=timezone.now() + dt.timedelta(days=1),
        reason=SnoozeReason.CALL_BACK,
        note="Calls back tomorrow",
    )
    return {
        "client": client,
        "inquiry": inquiry,
        "lost": lost,
        "delivered": delivered,
        "checkin": checkin,
        "done": done,
        "conversation": conversation,
    }


def test_every_app_registers_what_a_person_owns():
    keys = {provider.key for provider in offboarding.providers()}
    assert {"clients_owned", "clients_backup", "open_conversations", "open_inquiries", "open_checkins"} <= keys
    assert "active_snoozes" in keys


def test_offboarding_hands_over_inquiries_checkins_and_snoozes(leaver, owner, manager, work):
    counts = {p.key: n for p, n in offboarding.owned_work(leaver)}
    assert counts["open_inquiries"] == 1 and counts["open_checkins"] == 1 and counts["active_snoozes"] == 1

    result = staff_offboard(user=leaver, to_user=owner, actor=manager)

    assert result.deactivated and result.remaining == []
    assert result.moved["open_inquiries"] == 1 and result.moved["open_checkins"] == 1
    assert result.moved["active_snoozes"] == 1
    leaver.refresh_from_db()
    assert not leaver.is_active
    for name in ("inquiry", "checkin"):
        work[name].refresh_from_db()
        assert work[name].owner == owner, name
    schedule = ReminderSchedule.objects.get(wait__conversation=work["conversation"])
    assert schedule.snoozed_by == owner and schedule.is_snoozed
    # History stays as it was: a lost or delivered inquiry and a done check-in keep their owner.
    for name in ("lost", "delivered", "done"):
        work[name].refresh_from_db()
        assert work[name].owner == leaver, name
    assert offboarding.owned_count(leaver) == 0


def test_each_handover_is_on_the_client_timeline(leaver, owner, manager, work):
    staff_offboard(user=leaver, to_user=owner, actor=manager)
    kinds = set(TimelineEvent.objects.filter(client=work["client"], actor=manager).values_list("kind", flat=True))
    assert {"inquiry.reassigned", "checkin.reassigned", "wait.snooze_reassigned"} <= kinds
    inquiry_event = TimelineEvent.objects.get(kind="inquiry.reassigned")
    assert inquiry_event.summary == "Inquiry Booking app moved from Dana Choi to Minji Park"
    assert "offboarding" in inquiry_event.body
    assert inquiry_event.url == work["inquiry"].get_absolute_url()
    checkin_event = TimelineEvent.objects.get(kind="checkin.reassigned")
    assert "Dana Choi" in checkin_event.summary and "Minji Park" in checkin_event.summary


def test_work_that_cannot_be_handed_over_keeps_the_person_active(leaver, owner, manager, work):
    class StuckWork:
        key = "stuck"
        label = "Stuck work"

        def count_for(self, user):
            return 1

        def items_for(self, user):
            return [("Stuck thing", "/")]

        def reassign(self, *, from_user, to_user, actor):
            raise ValidationError("This cannot move.")

    offboarding.register(StuckWork())
    try:
        result = staff_offboard(user=leaver, to_user=owner, actor=manager)
    finally:
        offboarding._providers.pop("stuck")
    leaver.refresh_from_db()
    assert leaver.is_active and not result.deactivated
    assert [(provider.key, count) for provider, count in result.remaining] == [("stuck", 1)]
    # What could move moved.
    work["inquiry"].refresh_from_db()
    assert work["inquiry"].owner == owner


def test_the_page_lists_everything_asks_for_confirmation_then_offboards(manager_client, leaver, owner, work):
    html = manager_client.get(f"/staff/{leaver.pk}/offboard/").content.decode()
    for heading in ("Inquiries in progress", "Open check-ins", "Snoozed reminders"):
        assert heading in html, heading
    assert "Booking app" in html and "Old idea" not in html and "Shipped site" not in html
    assert "Hanbit Logistics" in html and "Where is my parcel?" in html

    response = manager_client.post(f"/staff/{leaver.pk}/offboard/", {"to_user": owner.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="confirm"' in html and "Minji Park" in html
    leaver.refresh_from_db()
    work["inquiry"].refresh_from_db()
    assert leaver.is_active and work["inquiry"].owner == leaver, "nothing happens before the confirmation"

    response = manager_client.post(f"/staff/{leaver.pk}/offboard/", {"to_user": owner.pk, "confirm": "1"})
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert offboarding.owned_count(leaver) == 0


def test_the_page_says_what_remains_when_something_could_not_move(manager_client, leaver, owner, work):
    class StuckWork:
        key = "stuck"
        label = "Stuck work"

        def count_for(self, user):
            return 1

        def items_for(self, user):
            return [("Stuck thing", "/stuck/")]

        def reassign(self, *, from_user, to_user, actor):
            raise ValidationError("This cannot move.")

    offboarding.register(StuckWork())
    try:
        response = manager_client.post(
            f"/staff/{leaver.pk}/offboard/", {"to_user": owner.pk, "confirm": "1"}, follow=True
        )
    finally:
        offboarding._providers.pop("stuck")
    html = response.content.decode()
    assert "stays active" in html and "Stuck thing" in html and "Booking app" not in html
    leaver.refresh_from_db()
    assert leaver.is_active


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_has_a_constant_number_of_queries_with_every_provider(
    manager_client, leaver, owner, count, django_assert_num_queries
):
    for _ in range(count):
        client = ClientFactory(account_owner=leaver)
        InquiryFactory(client=client, owner=leaver)
        CheckinFactory(client=client, owner=leaver, due_on=timezone.localdate())
        ConversationFactory(client=client, owner=leaver)
    manager_client.get("/")
    # 1 session, 2 user, 3-4 the manager's permissions, 5 the leaver, 6 active staff for the form,
    # 7-13 a COUNT per provider (clients owned, backup, conversations, check-ins, snoozes, tasks,
    # inquiries), then the list of each provider with work: clients owned, conversations,
    # inquiries, check-ins (14-17).
    with django_assert_num_queries(17):
        html = manager_client.get(f"/staff/{leaver.pk}/offboard/").content.decode()
    assert html.count('<li><a href="') == 4 * count


def test_the_receiver_gets_one_notice_listing_what_they_now_own(leaver, owner, manager, work):
    from followups.models import Notification

    ClientFactory(account_owner=leaver, name="Daon Studio")
    ClientFactory(account_owner=manager, backup_owner=leaver, name="Mirae Foods")
    staff_offboard(user=leaver, to_user=owner, actor=manager)

    [notice] = Notification.objects.filter(recipient=owner)
    assert notice.kind == "work.handed_over"
    assert "Dana Choi" in notice.text
    for thing in ("Daon Studio", "Mirae Foods", "Booking app", "Hanbit Logistics"):
        assert thing in notice.body_text
