"""Task reminders through a real Celery worker and two beats on Redis and PostgreSQL: every level
is reminded exactly once (the bell and the batched digest email to a loopback SMTP server), even
with two beats, and levels missed while nothing ran are caught up in order."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from followups.models import Notification, ReminderSettings, TaskReminder
from followups.todo.services import task_create
from tests.conftest import wait_until
from tests.factories import ClientFactory, UserFactory
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.integration

TICKS = {"TASK_REMINDERS_TICK_SECONDS": "1", "REMINDERS_TICK_SECONDS": "1"}


def test_each_task_reminder_is_sent_exactly_once_by_a_worker_and_two_beats(celery_processes, smtp_server):
    ReminderSettings.objects.update_or_create(pk=1, defaults={"email_interval_minutes": 0})  # every tick may email
    owner = UserFactory(username="minji")
    inquiry = InquiryFactory(owner=owner, title="Booking app", client=ClientFactory(name="Hanbit", account_owner=owner))
    now = timezone.now()
    local_now = timezone.localtime(now)
    soon = local_now + dt.timedelta(hours=1, seconds=2)
    # Due in an hour and 4 seconds: the hour-before reminder comes in 2 seconds.
    task_create(attached_to=inquiry, title="Call about soon", due_on=soon.date(), due_time=soon.time(), actor=owner)
    # Two days late, planned back then: the hour before, the due time and the morning after all
    # passed while nothing ran.
    two_days_ago = (local_now - dt.timedelta(days=2)).date()
    task_create(
        attached_to=inquiry,
        title="Send the estimate",
        due_on=two_days_ago,
        due_time=dt.time(10, 0),
        actor=owner,
        now=now - dt.timedelta(days=3),
    )
    task_create(
        attached_to=inquiry.client, title="Thank them", due_on=two_days_ago, actor=owner, now=now - dt.timedelta(days=3)
    )
    celery_processes("worker", **smtp_server.env(), **TICKS)
    celery_processes("beat", **smtp_server.env(), **TICKS)
    celery_processes("beat", **smtp_server.env(), **TICKS)

    expected = {
        "task.soon": ["Call about soon", "Send the estimate"],
        "task.due": ["Send the estimate", "Thank them"],
        "task.overdue": ["Send the estimate", "Thank them"],
    }
    wait_until(lambda: TaskReminder.objects.count() >= 6, timeout=20, message="six task reminders")
    wait_until(
        lambda: not Notification.objects.filter(email_pending=True).exists() and smtp_server.messages,
        timeout=10,
        message="the digest emails",
    )
    time.sleep(2)  # two more ticks of each beat: anything that would remind twice has had its chance
    assert TaskReminder.objects.count() == 6
    found = {}
    for kind, title in Notification.objects.filter(recipient=owner).values_list("kind", "params__title"):
        found.setdefault(kind, []).append(title)
    assert {kind: sorted(titles) for kind, titles in found.items()} == expected
    # The batched digest emails list every notice once (the overdue ones among them).
    bodies = "\n".join(m.get_body(("plain",)).get_content() for _, m in smtp_server.messages)
    assert bodies.count("Overdue task: Send the estimate") == 1
    assert bodies.count("Overdue task: Thank them") == 1
    assert bodies.count("Task due now: Send the estimate") == 1
    assert bodies.count(": Call about soon (Booking app (Hanbit))") == 1
