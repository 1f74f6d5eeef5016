import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from followups.conversations.services import conversation_start, message_receive
from followups.mailin.models import MailboxState
from followups.models import ReminderSchedule
from followups.reminders.services import reminders_run
from tests.agency_crm.factories import OutboundEmailFactory
from tests.factories import ClientFactory, ContactFactory


@pytest.mark.django_db
def test_healthz_is_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["broker"] == "ok"


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_CONNECTION_TIMEOUT=1)
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"] != "ok"


@pytest.mark.django_db
def test_healthz_reports_when_a_worker_last_ran(client):
    from agency_crm.services import heartbeat_record

    assert client.get("/healthz").json()["worker_last_seen_seconds"] is None
    heartbeat_record(name="default")
    assert client.get("/healthz").json()["worker_last_seen_seconds"] == 0


# --- lag (issue 16): work that should have happened by now turns /healthz 503 -----------------
LAG_NOW = dt.datetime(2025, 11, 17, 12, 0, tzinfo=dt.UTC)


def healthz_at(client, moment):
    with time_machine.travel(moment, tick=False):
        return client.get("/healthz")


@pytest.mark.django_db
def test_nothing_waiting_is_no_lag(client):
    response = healthz_at(client, LAG_NOW)
    assert response.status_code == 200
    lag = response.json()["lag"]
    assert lag["oldest_unsent_email_seconds"] == {"seconds": None, "limit": 900, "ok": True}
    assert lag["oldest_due_reminder_seconds"]["seconds"] is None
    assert lag["imap_last_poll_seconds"]["seconds"] is None  # no IMAP_HOST: not measured


@pytest.mark.django_db
def test_an_email_unsent_past_its_limit_turns_healthz_503(client, settings):
    settings.HEALTH_MAX_EMAIL_AGE_SECONDS = 900
    OutboundEmailFactory(created_at=LAG_NOW, next_attempt_at=LAG_NOW)
    OutboundEmailFactory(created_at=LAG_NOW - dt.timedelta(hours=1), status="sent", sent_at=LAG_NOW)

    within = healthz_at(client, LAG_NOW + dt.timedelta(seconds=900))
    assert within.status_code == 200
    assert within.json()["lag"]["oldest_unsent_email_seconds"] == {"seconds": 900, "limit": 900, "ok": True}

    late = healthz_at(client, LAG_NOW + dt.timedelta(seconds=901))
    assert late.status_code == 503
    body = late.json()
    assert body["status"] == "lagging" and body["database"] == body["broker"] == "ok"
    assert body["lag"]["oldest_unsent_email_seconds"] == {"seconds": 901, "limit": 900, "ok": False}

    settings.HEALTH_MAX_EMAIL_AGE_SECONDS = 0  # switched off
    assert healthz_at(client, LAG_NOW + dt.timedelta(days=1)).status_code == 200


@pytest.mark.django_db
def test_a_reminder_due_but_not_claimed_past_its_limit_turns_healthz_503(client, settings, owner):
    settings.HEALTH_MAX_REMINDER_LAG_SECONDS = 300
    client_row = ClientFactory(account_owner=owner)
    with time_machine.travel(LAG_NOW - dt.timedelta(days=3), tick=False):
        conversation = conversation_start(
            client=client_row, contact=ContactFactory(client=client_row), subject="Q", channel="email", actor=owner
        )
        message_receive(conversation=conversation, body="Help", channel="email")
    schedule = ReminderSchedule.objects.get(wait__conversation=conversation)
    ReminderSchedule.objects.filter(pk=schedule.pk).update(next_at=LAG_NOW)  # due now; no beat runs

    assert healthz_at(client, LAG_NOW + dt.timedelta(seconds=300)).status_code == 200
    late = healthz_at(client, LAG_NOW + dt.timedelta(seconds=301))
    assert late.status_code == 503
    assert late.json()["lag"]["oldest_due_reminder_seconds"] == {"seconds": 301, "limit": 300, "ok": False}

    # The beat run claims it: no lag left.
    with time_machine.travel(LAG_NOW + dt.timedelta(seconds=302), tick=False):
        reminders_run()
    assert healthz_at(client, LAG_NOW + dt.timedelta(seconds=303)).status_code == 200


@pytest.mark.django_db
def test_a_mailbox_not_polled_past_its_limit_turns_healthz_503(client, settings):
    settings.HEALTH_MAX_IMAP_POLL_AGE_SECONDS = 600
    MailboxState.load()
    MailboxState.objects.filter(pk=1).update(last_poll_at=LAG_NOW)
    # Without a mailbox configured the last poll is not watched.
    settings.IMAP_HOST = ""
    assert healthz_at(client, LAG_NOW + dt.timedelta(days=1)).status_code == 200

    settings.IMAP_HOST = "imap.agency.example"
    assert healthz_at(client, LAG_NOW + dt.timedelta(seconds=600)).status_code == 200
    late = healthz_at(client, LAG_NOW + dt.timedelta(seconds=601))
    assert late.status_code == 503
    assert late.json()["lag"]["imap_last_poll_seconds"] == {"seconds": 601, "limit": 600, "ok": False}


@pytest.mark.django_db
def test_the_admin_front_page_shows_the_lag(client, settings):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@agency.example", "pw-0123456789")
    client.force_login(admin)
    OutboundEmailFactory(created_at=LAG_NOW, next_attempt_at=LAG_NOW)
    response = healthz_at(client, LAG_NOW + dt.timedelta(hours=1))
    assert response.status_code == 503
    with time_machine.travel(LAG_NOW + dt.timedelta(hours=1), tick=False):
        page = client.get("/admin/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Oldest email not yet sent" in html and "3600" in html and "Lagging" in html
    assert "Oldest reminder due but not yet sent" in html and "Last poll of the mailbox" in html
