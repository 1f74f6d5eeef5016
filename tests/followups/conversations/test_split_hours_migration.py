"""The data migration turns the one (opens, closes) pair a weekday into OpeningInterval rows."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("followups", "0026_mailbox_connection")]
AFTER = [("followups", "0027_split_opening_hours_and_channel_targets")]


@pytest.mark.django_db(transaction=True)
def test_each_weekdays_hours_become_one_interval_and_closed_days_none():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("followups", "BusinessCalendar").objects.update_or_create(
        pk=1,
        defaults={
            "time_zone": "Asia/Seoul",
            "country": "KR",
            "mon_opens": dt.time(9),
            "mon_closes": dt.time(18),
            "fri_opens": dt.time(10),
            "fri_closes": dt.time(0),  # until midnight
            "tue_opens": dt.time(9),  # no closing time: closed, as before
            "tue_closes": None,
            "wed_opens": None,
            "wed_closes": None,
            "thu_opens": None,
            "thu_closes": None,
        },
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = list(
        new.get_model("followups", "OpeningInterval")
        .objects.order_by("weekday")
        .values_list("weekday", "opens", "closes")
    )
    assert rows == [(0, dt.time(9), dt.time(18)), (4, dt.time(10), dt.time(0))]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    from followups.conversations.hours import load_calendar

    assert load_calendar().weekly_hours == (((540, 1080),), (), (), (), ((600, 1440),), (), ())
