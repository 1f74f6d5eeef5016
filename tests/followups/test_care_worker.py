"""End to end with a real Celery worker and SMTP server: the care task emails a due check-in once,
with List-Unsubscribe and a feedback link, and a second run sends nothing more."""

import datetime as dt

import pytest
from django.utils import timezone

from followups.care.tasks import care_daily
from followups.models import BusinessCalendar, Checkin, OpeningInterval
from tests.conftest import wait_until
from tests.followups.care_factories import CheckinFactory, default_checkin_plans  # noqa: F401

pytestmark = pytest.mark.integration


def test_a_worker_emails_a_due_check_in_once(celery_processes, smtp_server):
    # Open around the clock, so the test does not depend on when it runs.
    BusinessCalendar.objects.update_or_create(pk=1, defaults={"time_zone": "Asia/Seoul", "country": ""})
    OpeningInterval.objects.all().delete()
    OpeningInterval.objects.bulk_create(
        [OpeningInterval(weekday=day, opens=dt.time(0), closes=dt.time(0)) for day in range(7)]
    )
    checkin = CheckinFactory(due_on=timezone.localdate(), contact__email="jiwoo@customer.example")
    worker = celery_processes("worker", **smtp_server.env())

    care_daily.delay()
    wait_until(lambda: smtp_server.messages, timeout=30, message="the check-in email arriving")
    [(envelope, message)] = smtp_server.messages
    assert envelope.rcpt_tos == ["jiwoo@customer.example"]
    assert (
        str(message["List-Unsubscribe"]).strip().startswith("<http") and "/unsubscribe/" in message["List-Unsubscribe"]
    )
    assert "/feedback/" in message.get_body(("plain",)).get_content()
    checkin.refresh_from_db()
    assert checkin.status == Checkin.Status.DUE and checkin.conversation is not None

    care_daily.delay()
    wait_until(
        lambda: worker.output().count("followups.tasks_care.care_daily") >= 4,  # received + succeeded, twice
        timeout=30,
        message="the second run finishing",
    )
    assert len(smtp_server.messages) == 1
