"""Reminder levels, the beat run, snooze, batching and business hours (frozen clock).

The agency calendar is the default one: Asia/Seoul, Monday to Friday 09:00-18:00, Korean public
holidays. Clients are on the standard tier: first response within 480 business minutes.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from agency_crm.outbox import OutboundEmail
from clients.models import ResponseTier, TimelineEvent
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.models import (
    Channel,
    Notification,
    Reminder,
    ReminderLevel,
    ReminderSchedule,
    ReminderSettings,
    ResponsePolicy,
    ResponseWait,
    SnoozeReason,
)
from followups.reminders.services import (
    notify,
    reminder_process,
    reminders_due_ids,
    reminders_replan_open_waits,
    reminders_run,
    wait_snooze,
)
from tests.factories import ManagerFactory
from tests.followups.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def seoul(*args):
    return dt.datetime(*args, tzinfo=SEOUL)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def backup(db):
    return UserFactory(username="backup", first_name="Backup", last_name="Person")


def waiting(owner, when, *, backup=None, subject="Login bug", tier=ResponseTier.STANDARD):
    """A conversation whose customer wrote at `when` (the clock is frozen there)."""
    client = ClientFactory(response_tier=tier, account_owner=owner, backup_owner=backup)
    contact = ContactFactory(client=client)
    with at(when):
        conversation = conversation_start(client=client, contact=contact, subject=subject, channel="email", actor=owner)
        message_receive(conversation=conversation, body="Help", channel=Channel.EMAIL)
    return conversation


def schedule_of(conversation) -> ReminderSchedule:
    return ReminderSchedule.objects.get(wait__conversation=conversation, wait__closed_at__isnull=True)


def run(moment):
    with at(moment):
        return reminders_run()


def levels(conversation):
    return list(Reminder.objects.filter(wait__conversation=conversation).values_list("level", flat=True))


# --- level times ----------------------------------------------------------------------------
def test_level_times_over_a_weekend(owner):
    # Friday 16:00 + 480 business minutes: 2 h on Friday, 6 h on Monday.
    conversation = waiting(owner, seoul(2025, 11, 21, 16, 0))
    schedule = schedule_of(conversation)
    assert schedule.warning_at == seoul(2025, 11, 24, 13, 0)  # 75% = 360 minutes
    assert schedule.due_at == seoul(2025, 11, 24, 15, 0) == conversation.waits.get().reply_due_at
    assert schedule.escalation_at == seoul(2025, 11, 24, 17, 0)  # 2 business hours after due
    assert (schedule.next_level, schedule.next_at) == (ReminderLevel.WARNING, seoul(2025, 11, 24, 13, 0))


def test_level_times_over_a_holiday(owner):
    # Christmas (Thursday 2025-12-25) is a public holiday in Korea.
    conversation = waiting(owner, seoul(2025, 12, 24, 14, 0))
    schedule = schedule_of(conversation)
    assert schedule.warning_at == seoul(2025, 12, 26, 11, 0)
    assert schedule.due_at == seoul(2025, 12, 26, 13, 0)
    assert schedule.escalation_at == seoul(2025, 12, 26, 15, 0)


def test_escalation_crossing_the_evening_moves_to_the_next_morning(owner):
    # Monday 09:00 + 480 minutes = 17:00; escalation 2 business hours later = Tuesday 10:00.
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0))
    schedule = schedule_of(conversation)
    assert schedule.due_at == seoul(2025, 11, 17, 17, 0)
    assert schedule.escalation_at == seoul(2025, 11, 18, 10, 0)


def test_settings_change_the_levels_after_a_replan(owner):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0))
    ReminderSettings.objects.filter(pk=ReminderSettings.load().pk).update(
        warning_share_percent=50, escalation_delay_minutes=60, due_enabled=False
    )
    with at(seoul(2025, 11, 17, 9, 5)):
        assert reminders_replan_open_waits() == 1
    schedule = schedule_of(conversation)
    assert schedule.warning_at == seoul(2025, 11, 17, 13, 0)
    assert schedule.due_at is None
    assert schedule.escalation_at == seoul(2025, 11, 17, 18, 0)


# --- the beat run ---------------------------------------------------------------------------
def test_each_level_is_reminded_once_in_order_to_the_right_people(owner, backup, manager, other_staff):
    second_manager = ManagerFactory(username="boss2")
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0), backup=backup)

    run(seoul(2025, 11, 17, 14, 59))
    assert levels(conversation) == []

    run(seoul(2025, 11, 17, 15, 0))  # warning: 360 of 480 minutes
    run(seoul(2025, 11, 17, 15, 1))  # a second run finds nothing new
    assert levels(conversation) == [ReminderLevel.WARNING]
    assert list(Notification.objects.values_list("recipient__username", "kind")) == [("owner", "reminder.warning")]

    run(seoul(2025, 11, 17, 17, 0))  # due: owner and backup owner
    assert levels(conversation) == [ReminderLevel.WARNING, ReminderLevel.DUE]
    due = Notification.objects.filter(kind="reminder.due")
    assert sorted(due.values_list("recipient__username", flat=True)) == ["backup", "owner"]

    run(seoul(2025, 11, 18, 10, 0))  # escalation: every manager, naming the owner
    escalation = Notification.objects.filter(kind="reminder.escalation")
    assert sorted(escalation.values_list("recipient__username", flat=True)) == ["boss", second_manager.username]
    assert all("Minji Park" in n.title and n.conversation_id == conversation.pk for n in escalation)
    assert levels(conversation) == [ReminderLevel.WARNING, ReminderLevel.DUE, ReminderLevel.ESCALATION]
    assert schedule_of(conversation).next_at is None
    assert not Notification.objects.filter(recipient=other_staff).exists()


def test_a_run_after_an_outage_catches_up_every_level_in_order(owner, manager):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0))
    counts = run(seoul(2025, 11, 18, 11, 0))  # nothing ran since Monday morning
    reminders = list(Reminder.objects.filter(wait__conversation=conversation).order_by("id"))
    assert [r.level for r in reminders] == [ReminderLevel.WARNING, ReminderLevel.DUE, ReminderLevel.ESCALATION]
    assert [r.level_at for r in reminders] == [
        seoul(2025, 11, 17, 15, 0),
        seoul(2025, 11, 17, 17, 0),
        seoul(2025, 11, 18, 10, 0),
    ]
    assert counts["reminded"] == 3


def test_a_reply_stops_further_reminders_at_once(owner, backup):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0), backup=backup)
    run(seoul(2025, 11, 17, 15, 0))
    with at(seoul(2025, 11, 17, 15, 30)):
        conversation_reply(conversation=conversation, author=owner, body="On it", channel=Channel.PHONE)
    schedule = ReminderSchedule.objects.get(wait__conversation=conversation)
    assert (schedule.next_level, schedule.next_at) == (None, None)
    run(seoul(2025, 11, 18, 12, 0))
    assert levels(conversation) == [ReminderLevel.WARNING]


def test_a_closed_wait_is_never_reminded_even_with_a_stale_schedule(owner):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0))
    wait = conversation.waits.get()
    with at(seoul(2025, 11, 17, 15, 30)):
        conversation_reply(conversation=conversation, author=owner, body="On it", channel=Channel.PHONE)
    # As if the clock's hook had not run: the run's claim still checks that the wait is open.
    ReminderSchedule.objects.filter(pk=wait.pk).update(next_level=ReminderLevel.DUE, next_at=seoul(2025, 11, 17, 17))
    assert run(seoul(2025, 11, 17, 17, 0))["closed"] == 1
    assert levels(conversation) == []
    assert ReminderSchedule.objects.get(pk=wait.pk).next_at is None


def test_a_new_customer_message_after_a_reply_starts_a_new_wait_with_its_own_levels(owner):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0))
    run(seoul(2025, 11, 17, 17, 0))
    with at(seoul(2025, 11, 17, 17, 30)):
        conversation_reply(conversation=conversation, author=owner, body="Done", channel=Channel.PHONE)
    with at(seoul(2025, 11, 18, 9, 0)):
        message_receive(conversation=conversation, body="One more thing", channel=Channel.EMAIL)
    first, second = ResponseWait.objects.filter(conversation=conversation).order_by("started_at")
    schedule = ReminderSchedule.objects.get(wait=second)
    # Next-reply target of the standard tier: 960 business minutes, warning at 720.
    assert schedule.warning_at == seoul(2025, 11, 19, 12, 0)
    run(seoul(2025, 11, 19, 12, 0))
    assert list(Reminder.objects.filter(wait=second).values_list("level", flat=True)) == [ReminderLevel.WARNING]
    assert set(Reminder.objects.filter(wait=first).values_list("level", flat=True)) == {
        ReminderLevel.WARNING,
        ReminderLevel.DUE,
    }


def test_a_wait_logged_after_its_due_time_skips_the_warning(owner):
    client = ClientFactory(response_tier=ResponseTier.STANDARD, account_owner=owner)
    with at(seoul(2025, 11, 20, 10, 0)):
        conversation = conversation_start(
            client=client, contact=ContactFactory(client=client), subject="Late log", channel="phone", actor=owner
        )
        message_receive(
            conversation=conversation,
            body="Called on Monday",
            channel=Channel.PHONE,
            occurred_at=seoul(2025, 11, 17, 9),
        )
    schedule = schedule_of(conversation)
    assert schedule.next_level == ReminderLevel.DUE
    run(seoul(2025, 11, 20, 10, 1))
    assert levels(conversation) == [ReminderLevel.DUE, ReminderLevel.ESCALATION]


def test_a_level_already_reminded_is_not_reminded_again(owner):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0))
    wait = conversation.waits.get()
    reminded = {"wait": wait, "message_id": wait.started_by_id, "level": ReminderLevel.WARNING}
    Reminder.objects.create(**reminded, level_at=seoul(2025, 11, 17, 15))
    # e.g. a worker that committed and a retried task: the unique constraint wins.
    with at(seoul(2025, 11, 17, 15, 0)):
        assert reminder_process(wait_id=wait.pk) == "duplicate"
    assert not Notification.objects.exists()
    assert schedule_of(conversation).next_level == ReminderLevel.DUE
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**reminded, level_at=seoul(2025, 11, 17, 15))


def test_the_run_query_uses_the_partial_index_on_stored_times(owner):
    waiting(owner, seoul(2025, 11, 17, 9, 0))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = (
            ReminderSchedule.objects.filter(next_at__isnull=False, next_at__lte=seoul(2025, 11, 18))
            .order_by("next_at")
            .values_list("pk", flat=True)[:500]
            .query.sql_with_params()
        )
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "reminder_schedule_next_idx" in plan
    with at(seoul(2025, 11, 18)):
        assert len(reminders_due_ids(now=seoul(2025, 11, 18))) == 1


# --- snooze ---------------------------------------------------------------------------------
def test_a_snoozed_wait_sends_nothing_until_the_snooze_ends(owner, backup):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0), backup=backup)
    with at(seoul(2025, 11, 17, 14, 0)):
        wait_snooze(
            conversation=conversation,
            actor=owner,
            until=seoul(2025, 11, 18, 11, 0),
            reason=SnoozeReason.CALL_BACK,
            note="She calls back tomorrow at 11",
        )
    run(seoul(2025, 11, 17, 15, 0))
    run(seoul(2025, 11, 17, 17, 0))
    run(seoul(2025, 11, 18, 10, 59))
    assert levels(conversation) == []
    # The clock keeps running: the conversation still waits and is still due at 17:00.
    conversation.refresh_from_db()
    assert conversation.status == "waiting_on_us"
    assert conversation.reply_due_at == seoul(2025, 11, 17, 17, 0)
    event = TimelineEvent.objects.get(kind="wait.snoozed")
    assert (
        "Reminders snoozed until Tue 18 Nov 2025, 11:00" in event.text and event.body == "She calls back tomorrow at 11"
    )

    run(seoul(2025, 11, 18, 11, 0))
    assert levels(conversation) == [ReminderLevel.WARNING, ReminderLevel.DUE, ReminderLevel.ESCALATION]


def test_snoozing_with_no_reply_needed_closes_the_wait(owner):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0))
    with at(seoul(2025, 11, 17, 10, 0)):
        wait_snooze(conversation=conversation, actor=owner, until=None, reason=SnoozeReason.NO_REPLY_NEEDED)
    conversation.refresh_from_db()
    assert conversation.status == "closed"
    assert ReminderSchedule.objects.get(wait__conversation=conversation).next_at is None
    run(seoul(2025, 11, 18, 12, 0))
    assert levels(conversation) == []


def test_snooze_needs_a_future_time_and_an_open_wait(owner):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0))
    with at(seoul(2025, 11, 17, 10, 0)), pytest.raises(ValidationError):
        wait_snooze(conversation=conversation, actor=owner, until=seoul(2025, 11, 17, 9), reason="call_back")
    with at(seoul(2025, 11, 17, 10, 0)), pytest.raises(ValidationError):
        wait_snooze(conversation=conversation, actor=owner, until=seoul(2025, 11, 18, 9), reason="made-up")
    with at(seoul(2025, 11, 17, 10, 0)):
        conversation_reply(conversation=conversation, author=owner, body="Done", channel=Channel.PHONE)
        with pytest.raises(ValidationError):
            wait_snooze(conversation=conversation, actor=owner, until=seoul(2025, 11, 18, 9), reason="call_back")


# --- batching -------------------------------------------------------------------------------
def test_three_conversations_crossing_a_level_make_one_email(owner):
    conversations = [waiting(owner, seoul(2025, 11, 17, 9, 0), subject=f"Question {n} <b>&</b>") for n in range(1, 4)]
    run(seoul(2025, 11, 17, 15, 0))
    emails = list(OutboundEmail.objects.filter(kind=OutboundEmail.Kind.REMINDER))
    assert len(emails) == 1
    email = emails[0]
    assert email.to == [owner.email]
    assert "3" in email.subject
    for conversation in conversations:
        assert conversation.subject in email.text_body  # plain text, as written
        assert f"/conversations/{conversation.pk}/" in email.text_body
    assert "<b>&</b>" not in email.html_body and "&lt;b&gt;&amp;&lt;/b&gt;" in email.html_body
    assert not Notification.objects.filter(email_pending=True).exists()


def test_at_most_one_email_per_person_per_interval(owner):
    waiting(owner, seoul(2025, 11, 17, 9, 0), subject="First")
    waiting(owner, seoul(2025, 11, 17, 9, 5), subject="Second")
    run(seoul(2025, 11, 17, 15, 0))  # First's warning: email at once
    run(seoul(2025, 11, 17, 15, 5))  # Second's warning: within 15 minutes, held back
    assert OutboundEmail.objects.filter(kind="reminder").count() == 1
    assert Notification.objects.filter(email_pending=True).count() == 1
    run(seoul(2025, 11, 17, 15, 14))
    assert OutboundEmail.objects.filter(kind="reminder").count() == 1
    run(seoul(2025, 11, 17, 15, 15))
    second = OutboundEmail.objects.filter(kind="reminder").order_by("created_at", "id").last()
    assert OutboundEmail.objects.filter(kind="reminder").count() == 2
    assert "Second" in second.text_body and "First" not in second.text_body


# --- business hours -------------------------------------------------------------------------
def test_a_reminder_outside_business_hours_waits_for_the_next_opening(owner):
    conversation = waiting(owner, seoul(2025, 11, 21, 9, 0))  # Friday: due 17:00
    # The beat was down from 16:30 to 19:00 (a broker outage): the levels crossed meanwhile.
    assert run(seoul(2025, 11, 21, 19, 0))["deferred"] == 1
    assert levels(conversation) == []
    assert schedule_of(conversation).next_at == seoul(2025, 11, 24, 9, 0)  # Monday's opening
    run(seoul(2025, 11, 22, 12, 0))  # Saturday: nothing
    assert levels(conversation) == []
    run(seoul(2025, 11, 24, 9, 0))
    assert levels(conversation) == [ReminderLevel.WARNING, ReminderLevel.DUE]


def test_an_around_the_clock_policy_is_reminded_at_night(owner):
    ResponsePolicy.objects.filter(tier=ResponseTier.MAINTENANCE).update(around_the_clock=True)
    # Saturday 22:00 + 240 minutes around the clock: due Sunday 02:00, warning 01:00.
    conversation = waiting(owner, seoul(2025, 11, 22, 22, 0), tier=ResponseTier.MAINTENANCE)
    schedule = schedule_of(conversation)
    assert (schedule.warning_at, schedule.due_at) == (seoul(2025, 11, 23, 1, 0), seoul(2025, 11, 23, 2, 0))
    run(seoul(2025, 11, 23, 2, 0))
    assert levels(conversation) == [ReminderLevel.WARNING, ReminderLevel.DUE]


# --- notify() -------------------------------------------------------------------------------
def test_notify_creates_one_notification_per_active_recipient(owner, other_staff):
    gone = UserFactory(username="gone", is_active=False)
    no_email = UserFactory(username="noemail", email="")
    with at(seoul(2025, 11, 17, 10, 0)):
        created = notify(
            recipients=[owner, owner, gone, other_staff, no_email],
            kind="feedback.bad",
            title="Feedback <script>",
            body="Not good",
            url="/clients/1/",
        )
    assert [n.recipient.username for n in created] == ["owner", "other", "noemail"]
    assert Notification.objects.filter(email_pending=True).count() == 2
    with at(seoul(2025, 11, 17, 10, 0)):
        quiet = notify(recipients=[owner], kind="x", title="Quiet", email=False)
    assert quiet[0].email_pending is False
