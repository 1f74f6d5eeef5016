"""/notifications/, the bell's count and the snooze page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from clients.models import TimelineEvent
from followups.conversations.services import message_receive
from followups.models import Channel, Notification, ReminderSchedule
from followups.reminders.services import notify
from tests.followups.factories import ClientFactory, ConversationFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2025, 11, 19, 15, 0, tzinfo=SEOUL)  # Wednesday afternoon


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def waiting(owner, subject="Question"):
    conversation = ConversationFactory(client=ClientFactory(account_owner=owner), subject=subject)
    message_receive(conversation=conversation, body="Hello?", channel=Channel.EMAIL)
    return conversation


def test_the_list_shows_my_notifications_in_a_constant_number_of_queries(
    owner_client, owner, other_staff, django_assert_num_queries
):
    for n in range(3):
        notify(recipients=[owner], kind="reminder.due", title=f"Reply due {n}", conversation=waiting(owner))
    notify(recipients=[other_staff], kind="reminder.due", title="Not yours")
    url = reverse("followups:notifications")
    # session, user, COUNT for the paginator, the page of notifications, and the navigation's
    # manager check (the user's and the groups' permissions)
    with django_assert_num_queries(6):
        owner_client.get(url)
    for n in range(10):
        notify(recipients=[owner], kind="reminder.due", title=f"More {n}", conversation=waiting(owner))
    with django_assert_num_queries(6):
        response = owner_client.get(url)
    titles = [n.title for n in response.context["page"].object_list]
    assert len(titles) == 13 and "Not yours" not in titles


def test_the_unread_filter_comes_from_an_allow_list(owner_client, owner):
    [read] = notify(recipients=[owner], kind="x", title="Read")
    notify(recipients=[owner], kind="x", title="New")
    Notification.objects.filter(pk=read.pk).update(read_at=NOW)
    url = reverse("followups:notifications")
    assert [n.title for n in owner_client.get(url, {"show": "unread"}).context["page"]] == ["New"]
    assert len(owner_client.get(url, {"show": "'; DROP TABLE"}).context["page"].object_list) == 2


def test_titles_are_shown_as_text(owner_client, owner):
    notify(recipients=[owner], kind="feedback.bad", title="<script>alert(1)</script>", body="<b>bold</b>")
    content = owner_client.get(reverse("followups:notifications")).content.decode()
    assert "<script>alert(1)</script>" not in content and "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content


def test_the_bell_counts_unread_notifications_with_one_query(owner_client, owner, django_assert_num_queries):
    notify(recipients=[owner], kind="x", title="One")
    notify(recipients=[owner], kind="x", title="Two")
    # session, user, COUNT of unread notifications
    with django_assert_num_queries(3):
        response = owner_client.get(reverse("followups:notification_count"))
    assert 'id="notification-count"' in response.content.decode() and ">2<" in response.content.decode()
    page = owner_client.get(reverse("followups:inbox")).content.decode()
    assert reverse("followups:notification_count") in page and 'id="notification-bell"' in page


def test_opening_a_notification_marks_it_read_and_opens_the_conversation(owner_client, owner):
    conversation = waiting(owner)
    [notification] = notify(recipients=[owner], kind="reminder.due", title="Due", conversation=conversation)
    response = owner_client.post(reverse("followups:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == conversation.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_not_found(other_client, owner):
    [notification] = notify(recipients=[owner], kind="x", title="Mine")
    assert other_client.post(reverse("followups:notification_open", args=[notification.pk])).status_code == 404
    assert other_client.post(reverse("followups:notification_open", args=[999999])).status_code == 404
    assert other_client.get(reverse("followups:notification_open", args=[notification.pk])).status_code == 405


def test_an_external_url_is_never_followed(owner_client, owner):
    [notification] = notify(recipients=[owner], kind="x", title="Evil", url="https://evil.example/")
    response = owner_client.post(reverse("followups:notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("followups:notifications")


def test_mark_all_read(owner_client, owner, other_staff):
    notify(recipients=[owner, other_staff], kind="x", title="Both")
    owner_client.post(reverse("followups:notifications_read_all"))
    assert not Notification.objects.filter(recipient=owner, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other_staff, read_at__isnull=True).exists()


def test_the_owner_snoozes_a_wait_from_its_page(owner_client, owner):
    conversation = waiting(owner)
    url = reverse("followups:snooze", args=[conversation.pk])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, {"until": "2025-11-20T11:00", "reason": "call_back", "note": "Calls at 11"})
    assert response.status_code == 302
    schedule = ReminderSchedule.objects.get(wait__conversation=conversation)
    assert schedule.snoozed_until == dt.datetime(2025, 11, 20, 11, 0, tzinfo=SEOUL)
    assert schedule.snoozed_by == owner
    assert TimelineEvent.objects.filter(kind="wait.snoozed", client=conversation.client).exists()


def test_a_snooze_in_the_past_or_with_an_unknown_reason_is_refused(owner_client, owner):
    conversation = waiting(owner)
    url = reverse("followups:snooze", args=[conversation.pk])
    assert owner_client.post(url, {"until": "2025-11-18T11:00", "reason": "call_back"}).status_code == 400
    assert owner_client.post(url, {"until": "2025-11-20T11:00", "reason": "nope"}).status_code == 400
    assert ReminderSchedule.objects.get(wait__conversation=conversation).snoozed_until is None
    assert owner_client.get(reverse("followups:snooze", args=[999999])).status_code == 404


def test_managers_change_the_reminder_settings_in_the_admin(manager_client, other_staff):
    from django.test import Client

    from followups.models import ReminderSettings

    settings_row = ReminderSettings.load()
    url = reverse("admin:followups_remindersettings_change", args=[settings_row.pk])
    response = manager_client.post(
        url,
        {
            "warning_enabled": "on",
            "warning_share_percent": "60",
            "due_enabled": "on",
            "escalation_enabled": "on",
            "escalation_delay_minutes": "180",
            "email_interval_minutes": "30",
        },
    )
    assert response.status_code == 302
    settings_row.refresh_from_db()
    assert (settings_row.warning_share_percent, settings_row.escalation_delay_minutes) == (60, 180)
    staff_browser = Client()
    staff_browser.force_login(other_staff)
    response = staff_browser.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]  # no admin access
