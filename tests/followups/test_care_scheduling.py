"""Scheduling check-ins: from a delivery date (business days, holidays), by hand, maintenance."""

import datetime as dt

import pytest
import time_machine

from clients.models import Client, TimelineEvent
from followups.care.daily import care_run_daily
from followups.care.dates import add_months, checkin_due_dates
from followups.care.scheduling import checkin_plan_start
from followups.conversations.business_calendar import Calendar
from followups.models import Checkin, CheckinPlan, CheckinSchedule
from inquiries.models import Inquiry
from tests.followups.care_factories import ClientFactory, default_checkin_plans, plan, seoul  # noqa: F401
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.django_db
KOREA = Calendar(time_zone="Asia/Seoul", country="KR")


def delivered(on: dt.date, **kwargs) -> Inquiry:
    return InquiryFactory(status=Inquiry.Status.WON, delivered_on=on, **kwargs)


def test_due_dates_move_off_chuseok_and_weekends():
    after_delivery = plan(CheckinPlan.Kind.AFTER_DELIVERY)
    dates = checkin_due_dates(plan=after_delivery, started_on=dt.date(2026, 9, 17), calendar=KOREA)
    # +7 is Chuseok eve (Thu 24 Sep), Chuseok runs to Sat 26: Monday 28 Sep. +30 is a Saturday.
    assert dates == [(1, dt.date(2026, 9, 28)), (2, dt.date(2026, 10, 19)), (3, dt.date(2026, 12, 16))]


def test_a_delivery_on_christmas_schedules_from_that_date_on_business_days():
    inquiry = delivered(dt.date(2026, 12, 25))
    with time_machine.travel(seoul(2026, 12, 28, 10), tick=False):
        result = care_run_daily()
    assert result["plans_started"] == 1
    schedule = CheckinSchedule.objects.get(inquiry=inquiry)
    assert schedule.started_on == dt.date(2026, 12, 25)
    checkins = list(schedule.checkins.order_by("sequence"))
    # 1 Jan 2027 is New Year's Day (a Friday): Monday 4 Jan; 24 Jan is a Sunday: Monday 25 Jan.
    assert [c.due_on for c in checkins] == [dt.date(2027, 1, 4), dt.date(2027, 1, 25), dt.date(2027, 3, 25)]
    assert {c.owner for c in checkins} == {inquiry.client.account_owner}
    assert {c.contact for c in checkins} == {inquiry.contact}
    assert {c.status for c in checkins} == {Checkin.Status.SCHEDULED}
    assert TimelineEvent.objects.filter(client=inquiry.client, kind="checkin.scheduled").count() == 1


def test_the_daily_pick_up_schedules_each_delivery_once():
    inquiry = delivered(dt.date(2026, 11, 20))
    InquiryFactory(status=Inquiry.Status.WON)  # won, not delivered yet: nothing to schedule
    with time_machine.travel(seoul(2026, 11, 23, 10), tick=False):
        care_run_daily()
        care_run_daily()
    assert CheckinSchedule.objects.count() == 1
    assert Checkin.objects.filter(schedule__inquiry=inquiry).count() == 3


def test_staff_start_a_plan_by_hand_and_it_is_scheduled_at_once(owner_client, owner):
    client = ClientFactory(account_owner=owner)
    after_delivery = plan(CheckinPlan.Kind.AFTER_DELIVERY)
    data = {"client": client.pk, "plan": after_delivery.pk, "started_on": "2026-11-02"}
    response = owner_client.post("/checkins/start/", data)
    assert response.status_code == 302
    owner_client.post("/checkins/start/", data)  # a double click schedules once
    assert list(Checkin.objects.filter(client=client).values_list("due_on", flat=True).order_by("due_on")) == [
        dt.date(2026, 11, 9),
        dt.date(2026, 12, 2),
        dt.date(2027, 2, 1),  # +90 is Sunday 31 Jan 2027
    ]
    assert CheckinSchedule.objects.get(client=client).started_by == owner


def test_starting_with_an_unknown_plan_is_refused(owner_client, owner):
    client = ClientFactory(account_owner=owner)
    response = owner_client.post("/checkins/start/", {"client": client.pk, "plan": 999999, "started_on": "2026-11-02"})
    assert response.status_code == 400
    assert not Checkin.objects.exists()


def test_maintenance_clients_always_have_the_next_check_in_until_the_contract_ends():
    client = ClientFactory(status=Client.Status.MAINTENANCE)
    with time_machine.travel(seoul(2026, 11, 23, 8), tick=False):  # before opening: only scheduling
        care_run_daily()
        care_run_daily()
    first = Checkin.objects.get(client=client)
    assert first.due_on == dt.date(2027, 2, 23) and first.sequence == 1
    first.status = Checkin.Status.DUE
    first.save()
    with time_machine.travel(seoul(2027, 2, 23, 8), tick=False):
        care_run_daily()
    second = Checkin.objects.get(client=client, sequence=2)
    assert second.due_on == dt.date(2027, 5, 24)  # 23 May 2027 is a Sunday
    Client.objects.filter(pk=client.pk).update(status=Client.Status.ACTIVE)
    with time_machine.travel(seoul(2027, 2, 24, 8), tick=False):
        care_run_daily()
    second.refresh_from_db()
    assert second.status == Checkin.Status.SKIPPED and second.skip_reason
    assert CheckinSchedule.objects.get(client=client).stopped_at is not None


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)


def test_starting_the_same_plan_twice_on_the_same_day_returns_the_first_schedule(owner):
    client = ClientFactory(account_owner=owner)
    after_delivery = plan(CheckinPlan.Kind.AFTER_DELIVERY)
    first = checkin_plan_start(plan=after_delivery, client=client, started_on=dt.date(2026, 11, 2), actor=owner)
    again = checkin_plan_start(plan=after_delivery, client=client, started_on=dt.date(2026, 11, 2), actor=owner)
    assert first == again and Checkin.objects.filter(client=client).count() == 3


def test_two_inquiries_of_one_client_delivered_the_same_day_each_get_their_check_ins():
    first = delivered(dt.date(2026, 11, 20))
    second = delivered(dt.date(2026, 11, 20), client=first.client, contact=first.contact)
    with time_machine.travel(seoul(2026, 11, 23, 10), tick=False):
        assert care_run_daily()["plans_started"] == 2
    assert Checkin.objects.filter(schedule__inquiry=first).count() == 3
    assert Checkin.objects.filter(schedule__inquiry=second).count() == 3


def test_marking_an_inquiry_delivered_schedules_its_check_ins_in_the_same_request(owner_client, owner):
    after_delivery = plan(CheckinPlan.Kind.AFTER_DELIVERY)
    inquiry = InquiryFactory(owner=owner, status=Inquiry.Status.WON)
    with time_machine.travel(seoul(2026, 12, 3, 10), tick=False):
        response = owner_client.post(f"/inquiries/{inquiry.pk}/delivered/", {"delivered_on": "2026-12-03"})
        assert response.status_code == 302
        schedule = CheckinSchedule.objects.get(inquiry=inquiry, plan=after_delivery)  # no beat run needed
        assert schedule.started_by == owner
        assert schedule.checkins.count() == len(after_delivery.offsets_days)
        page = owner_client.get("/checkins/").content.decode()
    assert inquiry.client.name in page
    # The hourly pick-up, the safety net, finds nothing left to start.
    with time_machine.travel(seoul(2026, 12, 3, 11), tick=False):
        assert care_run_daily()["plans_started"] == 0
