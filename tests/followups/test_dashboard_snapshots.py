"""Long dashboard periods (12, 26, 52 weeks) come from figures computed ahead by beat: exactly the
live figures as of their computation, shown with their age, and never when stale, from another
week, or filtered."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from clients.models import ResponseTier
from followups.conversations.services import conversation_reply, message_receive
from followups.dashboard import selectors
from followups.dashboard.services import dashboard_snapshot_refresh, dashboard_snapshots_refresh
from followups.dashboard.tasks import dashboard_precompute
from followups.models import Channel, DashboardSnapshot
from tests.followups.dashboard_data import NOW, build_known_conversations, kst

pytestmark = pytest.mark.django_db
URL = reverse("followups:dashboard")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def known(frozen, owner, other_staff):
    return build_known_conversations(minji=owner, junho=other_staff)


def _live(period, basis="business", **filters):
    chosen = selectors.DashboardFilters(period=period, basis=basis, **filters)
    start, end = selectors.period_bounds(period=period, now=NOW)
    return selectors.response_breakdown(filters=chosen, start=start, end=end)


def _answer_one_more(known, owner):
    conversation = known["c2"]
    message_receive(conversation=conversation, body="One more", channel=Channel.EMAIL, occurred_at=kst(3, 11, 10, 0))
    conversation_reply(
        conversation=conversation, author=owner, body="Done", channel=Channel.PHONE, occurred_at=kst(3, 11, 11, 0)
    )


@pytest.mark.parametrize("period", selectors.PRECOMPUTED_PERIODS)
@pytest.mark.parametrize("basis", ["business", "calendar"])
def test_a_snapshot_holds_exactly_the_live_figures(known, period, basis):
    snapshot = dashboard_snapshot_refresh(period=period, basis=basis, now=NOW)
    assert selectors.breakdown_from_json(snapshot.figures) == _live(period, basis)
    assert _live(period, basis).total.count == 9


def test_the_beat_task_computes_every_long_period_in_both_bases_for_each_filter(known):
    # The agency, each active colleague (owner, other staff), each channel and each tier.
    scopes = (
        1 + get_user_model().objects.filter(is_active=True).count() + len(Channel.values) + len(ResponseTier.values)
    )
    assert dashboard_precompute() == 6 * scopes
    assert DashboardSnapshot.objects.count() == 6 * scopes
    dashboard_snapshots_refresh()  # again: replaced, not added
    assert DashboardSnapshot.objects.count() == 6 * scopes
    entry = settings.CELERY_BEAT_SCHEDULE["dashboard-precompute"]
    assert entry["task"] == "followups.tasks_dashboard.dashboard_precompute"


def test_the_52_week_page_shows_the_snapshot_and_its_age(manager_client, known, owner, frozen):
    dashboard_snapshots_refresh(now=NOW)
    _answer_one_more(known, owner)  # after the snapshot: not in it yet
    frozen.shift(dt.timedelta(minutes=3))

    response = manager_client.get(URL, {"period": "52w"})
    assert response.context["total"].count == 9
    assert response.context["figures_as_of"] == NOW
    as_of = date_format(timezone.localtime(NOW), "DATETIME_FORMAT")  # "Tue 3 Mar 2026, 10:00"
    assert f"Response times as of {as_of}" in response.content.decode()

    dashboard_snapshots_refresh()
    response = manager_client.get(URL, {"period": "52w"})
    assert response.context["total"].count == 10


def test_the_52_week_page_takes_the_same_queries_as_the_default_one(manager_client, known, django_assert_num_queries):
    dashboard_snapshots_refresh(now=NOW)
    # The default page's 16 queries (test_dashboard_views), the snapshot instead of the breakdown.
    with django_assert_num_queries(16):
        response = manager_client.get(URL, {"period": "52w"})
    assert response.context["figures_as_of"] == NOW


def test_one_filter_comes_from_its_snapshot_and_a_combination_or_a_short_period_is_live(manager_client, known, owner):
    dashboard_snapshots_refresh(now=NOW)
    for params in (
        {"period": "52w", "owner": owner.pk},
        {"period": "52w", "channel": "email"},
        {"period": "26w", "tier": "standard"},
    ):
        response = manager_client.get(URL, params)
        assert response.context["figures_as_of"] == NOW, params
        filters = {key.replace("owner", "owner_id"): value for key, value in params.items() if key != "period"}
        assert response.context["total"] == _live(params["period"], **filters).total
    _answer_one_more(known, owner)
    for params in ({"period": "52w", "owner": owner.pk, "channel": "email"}, {"period": "4w"}):
        response = manager_client.get(URL, params)
        assert response.context["figures_as_of"] is None
        assert "figures-as-of" not in response.content.decode()
    combined = manager_client.get(URL, {"period": "52w", "owner": owner.pk, "channel": "phone"}).context["total"]
    assert combined == _live("52w", owner_id=owner.pk, channel="phone").total


def test_the_filtered_52_week_page_takes_the_default_pages_queries(
    manager_client, known, owner, django_assert_num_queries
):
    dashboard_snapshots_refresh(now=NOW)
    with django_assert_num_queries(16):
        response = manager_client.get(URL, {"period": "52w", "owner": owner.pk})
    assert response.context["figures_as_of"] == NOW


def test_a_stale_snapshot_is_not_shown(manager_client, known, owner, frozen):
    dashboard_snapshots_refresh(now=NOW)
    _answer_one_more(known, owner)
    frozen.shift(selectors.snapshot_max_age() + dt.timedelta(seconds=1))
    response = manager_client.get(URL, {"period": "52w"})
    assert response.context["figures_as_of"] is None
    assert response.context["total"].count == 10


def test_a_new_week_does_not_use_last_weeks_snapshot(manager_client, known, frozen):
    # NOW is a Friday; a snapshot computed last Sunday covers other weeks.
    sunday_night = NOW - dt.timedelta(days=5)
    with time_machine.travel(sunday_night, tick=False):
        dashboard_snapshots_refresh()
    DashboardSnapshot.objects.update(computed_at=NOW - dt.timedelta(minutes=1))  # recent, but old weeks
    response = manager_client.get(URL, {"period": "52w"})
    assert response.context["figures_as_of"] is None
