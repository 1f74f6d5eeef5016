"""/checkins/: due and overdue check-ins (mine first), outcomes, at-risk notifications, skips."""

import datetime as dt

import pytest
import time_machine

from clients.models import TimelineEvent
from followups.models import Checkin, Notification
from tests.factories import ManagerFactory
from tests.followups.care_factories import (  # noqa: F401
    CheckinFactory,
    ClientFactory,
    UserFactory,
    default_checkin_plans,
    seoul,
)

pytestmark = pytest.mark.django_db
NOW = seoul(2026, 11, 23, 10)


def test_the_list_shows_mine_first_then_by_due_date_in_constant_queries(
    owner_client, owner, other_staff, django_assert_num_queries
):
    theirs = CheckinFactory(client=ClientFactory(account_owner=other_staff), due_on=dt.date(2026, 11, 18))
    mine_late = CheckinFactory(client=ClientFactory(account_owner=owner), due_on=dt.date(2026, 11, 23))
    mine_early = CheckinFactory(
        client=ClientFactory(account_owner=owner), due_on=dt.date(2026, 11, 19), status=Checkin.Status.OVERDUE
    )
    CheckinFactory(client=ClientFactory(account_owner=owner), due_on=dt.date(2027, 1, 1))  # too far ahead
    CheckinFactory(
        client=ClientFactory(account_owner=owner), due_on=dt.date(2026, 11, 20), status="skipped", skip_reason="No"
    )
    with time_machine.travel(NOW, tick=False):
        # session, user, check-ins (with client, contact, owner, plan, inquiry, conversation),
        # user and group permissions (the navigation's manager check, also asked by the
        # handover rule), the colleagues to hand a check-in to, the start form's clients and plans.
        with django_assert_num_queries(8):
            response = owner_client.get("/checkins/")
        CheckinFactory(client=ClientFactory(account_owner=owner), due_on=dt.date(2026, 11, 21))
        with django_assert_num_queries(8):
            owner_client.get("/checkins/")
    assert [c.pk for c in response.context["checkins"]] == [mine_early.pk, mine_late.pk, theirs.pk]
    assert "Overdue" in response.content.decode()


def test_marking_done_records_the_outcome_on_the_timeline(owner_client, owner):
    checkin = CheckinFactory(client=ClientFactory(account_owner=owner), status=Checkin.Status.DUE)
    response = owner_client.post(
        f"/checkins/{checkin.pk}/done/", {"outcome": "All good, wants a new report", "sentiment": "good"}
    )
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.status == Checkin.Status.DONE and checkin.done_by == owner and checkin.sentiment == "good"
    event = TimelineEvent.objects.get(client=checkin.client, kind="checkin.done")
    assert event.body == "All good, wants a new report"
    assert not Notification.objects.exists()


def test_an_at_risk_outcome_notifies_the_managers(owner_client, owner, manager, other_staff):
    second = ManagerFactory(username="boss2")
    checkin = CheckinFactory(client=ClientFactory(account_owner=owner), status=Checkin.Status.DUE)
    owner_client.post(f"/checkins/{checkin.pk}/done/", {"outcome": "Thinking of leaving", "sentiment": "at_risk"})
    notified = Notification.objects.filter(kind="checkin.at_risk")
    assert {n.recipient for n in notified} == {manager, second}
    assert "Thinking of leaving" in notified.first().body


def test_a_sentiment_is_required_and_a_closed_check_in_cannot_be_done_twice(owner_client, owner):
    checkin = CheckinFactory(client=ClientFactory(account_owner=owner))
    owner_client.post(f"/checkins/{checkin.pk}/done/", {"outcome": "x"})
    checkin.refresh_from_db()
    assert checkin.status == Checkin.Status.SCHEDULED
    owner_client.post(f"/checkins/{checkin.pk}/done/", {"outcome": "x", "sentiment": "neutral"})
    owner_client.post(f"/checkins/{checkin.pk}/done/", {"outcome": "again", "sentiment": "at_risk"})
    checkin.refresh_from_db()
    assert checkin.outcome == "x" and checkin.sentiment == "neutral"
    assert not Notification.objects.exists()


def test_skipping_needs_a_reason(owner_client, owner):
    checkin = CheckinFactory(client=ClientFactory(account_owner=owner))
    owner_client.post(f"/checkins/{checkin.pk}/skip/", {"reason": "  "})
    checkin.refresh_from_db()
    assert checkin.status == Checkin.Status.SCHEDULED
    owner_client.post(f"/checkins/{checkin.pk}/skip/", {"reason": "Met them at the event yesterday"})
    checkin.refresh_from_db()
    assert checkin.status == Checkin.Status.SKIPPED and checkin.skip_reason == "Met them at the event yesterday"


def test_unknown_check_ins_are_404_and_get_is_not_allowed(owner_client):
    assert owner_client.post("/checkins/999999/done/", {"sentiment": "good"}).status_code == 404
    assert owner_client.post("/checkins/999999/skip/", {"reason": "x"}).status_code == 404
    assert owner_client.get("/checkins/1/done/").status_code == 405


def test_staff_cannot_open_the_weekly_review(other_client):
    assert other_client.get("/review/weekly/").status_code == 403


def test_only_managers_edit_check_in_plans_in_the_admin(client, manager):
    client.force_login(UserFactory(is_staff=True))  # admin access without the Manager role
    assert client.get("/admin/followups/checkinplan/").status_code == 403
    client.force_login(manager)
    response = client.get("/admin/followups/checkinplan/")
    assert response.status_code == 200 and "After delivery" in response.content.decode()
    assert "Maintenance" in response.content.decode()


def test_the_demo_data_has_check_ins_and_a_rating():
    from django.core.management import call_command

    call_command("seed_demo")
    assert Checkin.objects.filter(client__name="Blue Harbor Coffee", status=Checkin.Status.DONE).count() == 1
    assert Checkin.objects.filter(client__name="한빛 물류").exists()
    assert TimelineEvent.objects.filter(kind="feedback.received").exists()
