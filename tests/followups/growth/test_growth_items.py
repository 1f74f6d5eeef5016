"""Growth items: recorded once per delivery, shown at the right check-in, snoozed to the next one,
dropped, or started as a new inquiry pre-filled with the want and its old estimate."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from clients.models import TimelineEvent
from followups.care.models import Checkin
from followups.growth.models import GrowthItem
from followups.growth.selectors import checkin_growth_items
from followups.growth.services import (
    growth_item_drop,
    growth_item_snooze,
    growth_item_start_inquiry,
    growth_items_record,
)
from inquiries import services
from inquiries.models import Inquiry, ScopeItem
from tests.factories import UserFactory
from tests.followups.care_factories import default_checkin_plans  # noqa: F401
from tests.followups.growth.support import delivered_inquiry
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db


def test_delivery_turns_each_deferred_want_into_one_growth_item():
    inquiry, items = delivered_inquiry()
    growth = {item.title: item for item in GrowthItem.objects.filter(inquiry=inquiry)}
    # The chosen Should and the first-release Must are the delivered work; the rest waits.
    assert {title: item.reason for title, item in growth.items()} == {
        "Reviews page": GrowthItem.Reason.NOT_CHOSEN,
        "Staff rota": GrowthItem.Reason.LATER,
        "실시간 배송 추적": GrowthItem.Reason.WONT,
    }
    tracking = growth["실시간 배송 추적"]
    assert tracking.client_id == inquiry.client_id and tracking.delivered_on == dt.date(2026, 11, 2)
    assert tracking.source_item_id == items["실시간 배송 추적"].pk
    assert (tracking.optimistic_hours, tracking.likely_hours, tracking.pessimistic_hours) == (40, 60, 100)
    # Expected hours (40 + 4 x 60 + 100) / 6 = 63.33...; x 100,000 KRW, rounded to the won once.
    assert (tracking.currency, tracking.cost_expected) == ("KRW", Decimal("6333333"))
    assert tracking.status == GrowthItem.Status.OPEN and tracking.resurface_on is None
    event = TimelineEvent.objects.get(client=inquiry.client, kind="growth.recorded")
    assert event.params["count"] == 3


def test_delivering_again_records_nothing_new():
    inquiry, _items = delivered_inquiry()
    before = list(GrowthItem.objects.order_by("pk").values_list("pk", flat=True))
    # A corrected delivery date runs the hook again; the hook replayed by hand adds nothing either.
    services.inquiry_mark_delivered(inquiry=inquiry, delivered_on=dt.date(2026, 11, 3), actor=inquiry.owner)
    assert growth_items_record(inquiry=inquiry) == 0
    assert list(GrowthItem.objects.order_by("pk").values_list("pk", flat=True)) == before
    assert TimelineEvent.objects.filter(kind="growth.recorded").count() == 1


def test_an_inquiry_won_without_an_accepted_proposal_defers_its_wonts_and_later_items():
    owner = UserFactory()
    inquiry = InquiryFactory(owner=owner, status=Inquiry.Status.WON)
    ScopeItemFactory(inquiry=inquiry, title="Core", priority="must")
    ScopeItemFactory(inquiry=inquiry, title="Nice", priority="could")
    ScopeItemFactory(inquiry=inquiry, title="Phase two", priority="should", phase="later")
    ScopeItemFactory(inquiry=inquiry, title="Native app", priority="wont")
    services.inquiry_mark_delivered(inquiry=inquiry, delivered_on=dt.date(2026, 11, 2), actor=owner)
    assert set(GrowthItem.objects.values_list("title", "reason")) == {("Phase two", "later"), ("Native app", "wont")}


def test_nothing_is_recorded_for_an_inquiry_not_delivered():
    inquiry = InquiryFactory(status=Inquiry.Status.WON)
    ScopeItemFactory(inquiry=inquiry, priority="wont")
    assert growth_items_record(inquiry=inquiry) == 0 and not GrowthItem.objects.exists()


def _checkins(inquiry):
    return list(Checkin.objects.filter(schedule__inquiry=inquiry).order_by("sequence"))


def test_the_first_checkin_raises_the_items_and_not_now_moves_them_to_the_next():
    inquiry, _items = delivered_inquiry()
    first, second, third = _checkins(inquiry)
    titles = [item.title for item in checkin_growth_items(checkin=first)]
    assert titles == ["Reviews page", "Staff rota", "실시간 배송 추적"]
    tracking = GrowthItem.objects.get(title="실시간 배송 추적")
    growth_item_snooze(item=tracking, checkin=first, actor=inquiry.owner)
    tracking.refresh_from_db()
    assert tracking.snooze_count == 1 and tracking.resurface_on == first.due_on + dt.timedelta(days=1)
    assert "실시간 배송 추적" not in [item.title for item in checkin_growth_items(checkin=first)]
    assert "실시간 배송 추적" in [item.title for item in checkin_growth_items(checkin=second)]
    # Not now again at the second: the third raises it.
    growth_item_snooze(item=tracking, checkin=second, actor=inquiry.owner)
    assert "실시간 배송 추적" not in [item.title for item in checkin_growth_items(checkin=second)]
    assert "실시간 배송 추적" in [item.title for item in checkin_growth_items(checkin=third)]
    assert GrowthItem.objects.get(pk=tracking.pk).snooze_count == 2


def test_a_checkin_of_another_client_cannot_snooze_an_item():
    inquiry, _items = delivered_inquiry()
    other, _ = delivered_inquiry()
    item = GrowthItem.objects.filter(inquiry=inquiry).first()
    with pytest.raises(ValidationError):
        growth_item_snooze(item=item, checkin=_checkins(other)[0], actor=inquiry.owner)


def test_starting_an_inquiry_prefills_the_want_with_its_old_estimate_and_links_back():
    inquiry, _items = delivered_inquiry()
    item = GrowthItem.objects.get(title="실시간 배송 추적")
    actor = UserFactory()
    details = {"title": "배송 추적", "source": "phone", "problem": "Now they want it", "goal": ""}
    new = growth_item_start_inquiry(item=item, actor=actor, details=details)
    assert (new.client_id, new.contact_id, new.owner, new.title) == (
        inquiry.client_id,
        inquiry.contact_id,
        actor,
        "배송 추적",
    )
    assert (new.hourly_rate, new.currency, new.status) == (Decimal("100000"), "KRW", Inquiry.Status.SCOPED)
    (scope,) = new.scope_items.all()
    assert (scope.title, scope.priority, scope.phase) == ("실시간 배송 추적", ScopeItem.Priority.MUST, "first")
    assert (scope.optimistic_hours, scope.likely_hours, scope.pessimistic_hours) == (40, 60, 100)
    item.refresh_from_db()
    assert item.status == GrowthItem.Status.STARTED and item.started_inquiry == new and item.closed_by == actor
    assert new.growth_item == item
    assert TimelineEvent.objects.filter(kind="growth.started", url=new.get_absolute_url()).exists()
    # A second start (a double click) is refused and creates nothing.
    with pytest.raises(ValidationError):
        growth_item_start_inquiry(item=item, actor=actor, details=details)
    assert Inquiry.objects.filter(client=inquiry.client).count() == 2


def test_a_dropped_item_leaves_the_checkins_for_good():
    inquiry, _items = delivered_inquiry()
    item = GrowthItem.objects.get(title="Reviews page")
    growth_item_drop(item=item, actor=inquiry.owner)
    item.refresh_from_db()
    assert item.status == GrowthItem.Status.DROPPED and item.closed_at is not None
    for checkin in _checkins(inquiry):
        assert item not in checkin_growth_items(checkin=checkin)
    with pytest.raises(ValidationError):
        growth_item_snooze(item=item, checkin=_checkins(inquiry)[0], actor=inquiry.owner)
