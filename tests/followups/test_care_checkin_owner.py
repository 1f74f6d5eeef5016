"""Handing a check-in to a colleague from /checkins/ (issue 15): managers any check-in, its owner
their own; nobody else. The new owner is told, and the handover is on the client's timeline."""

import datetime as dt

import pytest
import time_machine

from clients.models import TimelineEvent
from followups.models import Checkin, Notification
from tests.followups.care_factories import (  # noqa: F401
    CheckinFactory,
    ClientFactory,
    UserFactory,
    default_checkin_plans,
    seoul,
)

pytestmark = pytest.mark.django_db
NOW = seoul(2026, 11, 23, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def checkin(owner):
    return CheckinFactory(client=ClientFactory(account_owner=owner, name="Blue <Harbor>"), due_on=dt.date(2026, 11, 23))


def _hand(client, checkin, to_user):
    return client.post(f"/checkins/{checkin.pk}/owner/", {"owner": to_user.pk})


def test_the_owner_hands_a_check_in_to_a_colleague_who_is_told(owner_client, owner, other_staff, checkin):
    response = _hand(owner_client, checkin, other_staff)
    assert response.status_code == 302 and response["Location"] == "/checkins/"
    assert Checkin.objects.get(pk=checkin.pk).owner == other_staff
    event = TimelineEvent.objects.get(kind="checkin.reassigned")
    assert event.actor == owner and event.client == checkin.client
    assert event.text == "Check-in of Mon 23 Nov 2026 moved from Minji Park to Junho Lee"
    (notification,) = Notification.objects.filter(kind="checkin.assigned")
    assert notification.recipient == other_staff
    assert notification.text == "Minji Park handed you the check-in with Blue <Harbor> (due Mon 23 Nov 2026)"


def test_a_colleague_can_neither_take_nor_give_away_someone_elses_check_in(other_client, other_staff, checkin):
    assert _hand(other_client, checkin, other_staff).status_code == 403
    assert _hand(other_client, checkin, UserFactory(username="third")).status_code == 403
    assert Checkin.objects.get(pk=checkin.pk).owner != other_staff
    assert not TimelineEvent.objects.filter(kind="checkin.reassigned").exists()


def test_a_manager_hands_over_any_check_in(manager_client, other_staff, checkin):
    assert _hand(manager_client, checkin, other_staff).status_code == 302
    assert Checkin.objects.get(pk=checkin.pk).owner == other_staff


def test_the_list_offers_the_handover_only_where_it_is_allowed(client, owner, other_staff, checkin):
    theirs = CheckinFactory(client=ClientFactory(account_owner=UserFactory(username="third")))
    client.force_login(owner)
    html = client.get("/checkins/").content.decode()
    assert f'action="/checkins/{checkin.pk}/owner/"' in html
    assert f'action="/checkins/{theirs.pk}/owner/"' not in html
    client.force_login(other_staff)
    assert "/owner/" not in client.get("/checkins/").content.decode()


def test_a_closed_check_in_or_a_deactivated_colleague_is_refused(owner_client, owner, checkin, other_staff):
    former = UserFactory(username="former", is_active=False)
    response = _hand(owner_client, checkin, former)
    assert response.status_code == 302
    assert Checkin.objects.get(pk=checkin.pk).owner == owner
    Checkin.objects.filter(pk=checkin.pk).update(status=Checkin.Status.SKIPPED, skip_reason="Met them")
    _hand(owner_client, checkin, other_staff)
    assert Checkin.objects.get(pk=checkin.pk).owner == owner


def test_handing_to_the_current_owner_changes_nothing(owner_client, owner, checkin):
    assert _hand(owner_client, checkin, owner).status_code == 302
    assert not TimelineEvent.objects.filter(kind="checkin.reassigned").exists()


def test_get_is_not_allowed_and_unknown_check_ins_are_404(owner_client, owner):
    assert owner_client.get("/checkins/1/owner/").status_code == 405
    assert owner_client.post("/checkins/999999/owner/", {"owner": owner.pk}).status_code == 404
