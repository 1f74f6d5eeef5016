"""Stored facts, rendered for the reader (issue 17): timeline events and notifications keep what
happened as a message and its data, and each reader sees them in their own language, with people
named in their own order and moments in their own date format."""

import datetime as dt

import pytest
from django.core import mail  # noqa: F401  (the outbox writes rows; mail is delivered by tasks)
from django.utils import translation

from agency_crm import facts
from agency_crm.outbox.models import OutboundEmail
from agency_crm.people import AUTO, FAMILY_FIRST, GIVEN_FIRST, format_name, use_name_order
from agency_crm.preferences.services import preferences_save
from clients.models import Client, TimelineEvent
from clients.services import client_update
from clients.timeline import timeline_record
from followups.conversations.models import Channel
from followups.conversations.services import conversation_start, message_receive
from followups.models import Notification
from followups.reminders.services import notification_email_send, notify
from tests.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def minji(db):
    """A Korean-speaking colleague with a Hangul name."""
    user = UserFactory(username="minji", first_name="민지", last_name="박")
    preferences_save(user=user, changes={"language": "ko"})
    return user


@pytest.fixture
def james(db):
    user = UserFactory(username="james", first_name="James", last_name="Miller")
    preferences_save(user=user, changes={"language": "en"})
    return user


# --- names -------------------------------------------------------------------------------------
def test_korean_names_family_first_without_a_space_latin_names_given_first():
    assert format_name("민지", "박") == "박민지"
    assert format_name("Minji", "Park") == "Minji Park"
    assert format_name("Minji", "Park", FAMILY_FIRST) == "Park Minji"
    assert format_name("민지", "박", GIVEN_FIRST) == "민지박"
    assert format_name("민지", "") == "민지"
    assert format_name("", "", AUTO) == ""


def test_a_colleague_without_a_name_is_shown_by_username(db):
    from agency_crm.people import display_name

    assert display_name(UserFactory(username="nameless", first_name="", last_name="")) == "nameless"


# --- timeline ----------------------------------------------------------------------------------
def test_an_event_caused_in_korean_reads_in_english_for_an_english_reader(minji, james):
    client = ClientFactory(account_owner=minji, status=Client.Status.PROSPECT)
    with translation.override("ko"), use_name_order(AUTO):
        client_update(client=client, actor=minji, changes={"status": Client.Status.ACTIVE, "account_owner": james})
    status, owner = (
        TimelineEvent.objects.get(client=client, kind=kind)
        for kind in ("client.status_changed", "client.owner_changed")
    )
    with translation.override("en"):
        assert status.text == "Status changed from Prospect to Active"
        assert owner.text == "Account owner changed from 박민지 to James Miller"
    with translation.override("ko"):
        assert "잠재 고객" in status.text and "Status changed" not in status.text and "Prospect" not in status.text
        assert "Account owner" not in owner.text and "박민지" in owner.text
    # The stored English text is what the admin and old readers see, never the actor's Korean.
    assert status.summary == "Status changed from Prospect to Active"


def test_the_client_page_shows_each_reader_their_language(minji, james, client):
    customer = ClientFactory(account_owner=minji)
    conversation = conversation_start(
        client=customer,
        subject="배송 문의",
        channel=Channel.PHONE,
        actor=minji,
        contact=ContactFactory(client=customer),
    )
    with translation.override("ko"):
        message_receive(conversation=conversation, body="언제 배송되나요?", channel=Channel.PHONE, recorded_by=minji)
    client.force_login(james)
    english = client.get(f"/clients/{customer.pk}/").content.decode()
    assert "Conversation started: 배송 문의" in english and "대화 시작" not in english
    client.force_login(minji)
    korean = client.get(f"/clients/{customer.pk}/").content.decode()
    assert "Conversation started" not in korean and "배송 문의" in korean


def test_moments_in_facts_follow_the_reader(db):
    client = ClientFactory()
    due = dt.datetime(2026, 12, 3, 4, 0, tzinfo=dt.UTC)  # 13:00 in Seoul, a Thursday
    event = timeline_record(
        client=client,
        kind="test.due",
        summary="Customer waiting on us: reply due %(due)s",
        params={"due": facts.moment(due)},
    )
    with translation.override("ko"):
        assert event.text.endswith("2026년 12월 3일 (목) 오후 1:00")
    with translation.override("en"):
        assert event.text == "Customer waiting on us: reply due Thu 3 Dec 2026, 13:00"


def test_a_row_from_before_facts_shows_its_stored_text(db):
    event = TimelineEvent.objects.create(
        client=ClientFactory(), kind="old", summary="문의 수주: 웹사이트", occurred_at=dt.datetime.now(dt.UTC)
    )
    with translation.override("en"):
        assert event.text == "문의 수주: 웹사이트"


def test_old_rows_are_recovered_from_either_language(db):
    client = ClientFactory()
    korean = TimelineEvent.objects.create(
        client=client, kind="old", summary="문의 수주: 웹사이트", occurred_at=dt.datetime.now(dt.UTC)
    )
    english = TimelineEvent.objects.create(
        client=client,
        kind="old",
        summary="Answered late, after 3.5 business hours",
        occurred_at=dt.datetime.now(dt.UTC),
    )
    unknown = TimelineEvent.objects.create(
        client=client, kind="old", summary="Something odd", occurred_at=dt.datetime.now(dt.UTC)
    )
    assert facts.recover_rows(TimelineEvent, "summary") == 2
    korean.refresh_from_db(), english.refresh_from_db(), unknown.refresh_from_db()
    with translation.override("en"):
        assert korean.text == "Inquiry won: 웹사이트"
    with translation.override("ko"):
        assert english.text != "Answered late, after 3.5 business hours" and "3.5" in english.text
    assert unknown.message == "" and unknown.text == "Something odd"


def test_braces_and_percent_signs_in_data_stay_text(db):
    event = timeline_record(
        client=ClientFactory(), kind="t", summary="Contact added: %(name)s", params={"name": "{{ 7*7 }} %(x)s 100%"}
    )
    with translation.override("ko"):
        assert "{{ 7*7 }} %(x)s 100%" in event.text


# --- notifications -----------------------------------------------------------------------------
def test_a_notification_reads_in_the_recipients_language_in_the_bell_and_the_email(minji, james):
    customer = ClientFactory(account_owner=minji, name="하늘 소프트")
    [to_minji, to_james] = notify(
        recipients=[minji, james],
        kind="test.notice",
        title="%(actor)s handed you the conversation %(subject)s (%(client)s)",
        params={"actor": facts.person(james), "subject": "견적", "client": customer.name},
    )
    with translation.override("ko"):
        assert "James Miller" in to_minji.text and "handed you" not in to_minji.text
    with translation.override("en"):
        assert to_james.text == "James Miller handed you the conversation 견적 (하늘 소프트)"
    email = notification_email_send(user_id=minji.pk)
    assert email.language == "ko" and "handed you" not in email.text_body and "James Miller" in email.text_body
    assert "item" not in email.subject  # "1 item needs your attention", in Korean
    english = notification_email_send(user_id=james.pk)
    assert english.language == "en" and "James Miller handed you the conversation" in english.text_body


@pytest.mark.parametrize("active", ["en", "ko"])
def test_the_digest_subject_is_in_the_recipients_language_whatever_language_is_active(minji, james, active):
    for person in (minji, james):
        notify(recipients=[person], kind="test.notice", title="Reply due now: %(subject)s", params={"subject": "견적"})
    with translation.override(active):  # a worker's or another request's language
        korean = notification_email_send(user_id=minji.pk)
        english = notification_email_send(user_id=james.pk)
    assert korean.subject == "확인이 필요한 항목이 1건 있습니다"
    assert english.subject == "1 item needs your attention"


def test_the_bell_page_renders_each_notification_for_the_reader(minji, client):
    notify(
        recipients=[minji],
        kind="test.notice",
        title="Overdue check-in with %(client)s",
        params={"client": "하늘 소프트"},
        body="It was due on %(date)s; record how it went on the check-ins page.",
        body_params={"date": facts.day(dt.date(2026, 12, 3))},
        email=False,
    )
    client.force_login(minji)
    page = client.get("/notifications/").content.decode()
    assert "Overdue check-in" not in page and "2026년 12월 3일 (목)" in page
    assert Notification.objects.get(recipient=minji).title == "Overdue check-in with 하늘 소프트"


def test_an_instant_notice_a_person_chose_comes_at_once_in_their_language(minji):
    preferences_save(user=minji, changes={"instant_kinds": ["conversation.assigned"]})
    minji.refresh_from_db()
    notify(recipients=[minji], kind="conversation.assigned", title="Client archived", params={})
    email = OutboundEmail.objects.get(to=[minji.email])
    assert email.language == "ko" and email.subject == "고객사 보관됨"


def test_routine_notices_wait_for_the_persons_own_interval(minji):
    preferences_save(user=minji, changes={"email_interval_minutes": 240})
    minji.refresh_from_db()
    notify(recipients=[minji], kind="test.notice", title="Client archived", params={})
    assert notification_email_send(user_id=minji.pk) is not None
    notify(recipients=[minji], kind="test.notice", title="Client restored", params={})
    from django.utils import timezone

    later = timezone.now() + dt.timedelta(minutes=120)
    assert notification_email_send(user_id=minji.pk, now=later) is None  # the agency's 60 would send
    assert notification_email_send(user_id=minji.pk, now=later + dt.timedelta(minutes=121)) is not None
