"""The inbox, conversation pages and their forms."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agency_crm.outbox import OutboundEmail
from clients.models import ResponseTier
from followups.conversations.services import conversation_reply, message_receive, note_add
from followups.models import Channel, Conversation, Message, NoReplyNeeded
from tests.followups.factories import ClientFactory, ContactFactory, ConversationFactory, UserFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
NOW = dt.datetime(2025, 11, 19, 15, 0, tzinfo=SEOUL)  # Wednesday afternoon


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def waiting(received_at, *, tier=ResponseTier.STANDARD, owner=None, channel=Channel.EMAIL, subject="Question"):
    client = ClientFactory(response_tier=tier, **({"account_owner": owner} if owner else {}))
    conversation = ConversationFactory(client=client, subject=subject, channel=channel)
    message_receive(conversation=conversation, body="Hello?", channel=channel, occurred_at=received_at)
    conversation.refresh_from_db()
    return conversation


def inbox_ids(response):
    return [c.pk for c in response.context["conversations"]]


def test_inbox_lists_overdue_first_then_by_due_time(other_client):
    soon = waiting(dt.datetime(2025, 11, 19, 14, 0, tzinfo=SEOUL))  # standard: due Thu 13:00
    overdue = waiting(dt.datetime(2025, 11, 17, 10, 0, tzinfo=SEOUL))  # due Mon 18:00: overdue
    urgent = waiting(dt.datetime(2025, 11, 19, 11, 0, tzinfo=SEOUL), tier=ResponseTier.MAINTENANCE)  # due 15:00 today
    answered = waiting(dt.datetime(2025, 11, 18, 10, 0, tzinfo=SEOUL))
    conversation_reply(conversation=answered, author=answered.owner, body="Done", channel=Channel.PHONE)

    response = other_client.get(reverse("followups:inbox"))
    assert response.status_code == 200
    assert inbox_ids(response) == [overdue.pk, urgent.pk, soon.pk]
    rows = {c.pk: c for c in response.context["conversations"]}
    assert rows[overdue.pk].clock.overdue
    # Mon 10:00 -> Wed 15:00 is 8 + 9 + 6 business hours; 23 - 8 = 15 hours late.
    assert rows[overdue.pk].clock.waiting_business_seconds == 23 * 3600
    assert rows[overdue.pk].clock.left_business_seconds == -15 * 3600
    assert rows[soon.pk].clock.left_business_seconds == 7 * 3600  # Wed 15-18 + Thu 9-13
    content = response.content.decode()
    assert "Overdue by 15h 00m" in content and "7h 00m left" in content


def test_inbox_query_count_is_constant(other_client, django_assert_num_queries):
    for day in (17, 18):
        waiting(dt.datetime(2025, 11, day, 10, 0, tzinfo=SEOUL))

    def count():
        # 1 session, 2 user, 3 count of waiting conversations (badge, pages),
        # 4 one page of conversations with client/contact/owner, 5 business calendar,
        # 6 closure days, 7 response policies, 8 staff for the owner filter,
        # 9-10 user and group permissions (navigation: is the user a manager?).
        # No contacts: the quick-log form picks one through the type-ahead search.
        with django_assert_num_queries(10):
            response = other_client.get(reverse("followups:inbox"))
        return response

    assert len(count().context["conversations"]) == 2
    for day in (10, 11, 12, 13):
        waiting(dt.datetime(2025, 11, day, 10, 0, tzinfo=SEOUL), owner=UserFactory())
    assert len(count().context["conversations"]) == 6
    # More contacts neither add queries nor end up in the page.
    ContactFactory.create_batch(50, client=ClientFactory(name="Fifty Contacts Ltd"), name="Picker Person")
    response = count()
    assert "Picker Person" not in response.content.decode()
    assert 'name="contact" value=' not in response.content.decode()


def test_inbox_shows_the_most_urgent_page_and_counts_everyone_waiting(other_client, monkeypatch):
    monkeypatch.setattr("followups.conversations.selectors.INBOX_PAGE_SIZE", 2)
    tier = ResponseTier.MAINTENANCE
    rows = [waiting(dt.datetime(2025, 11, day, 10, 0, tzinfo=SEOUL), tier=tier) for day in (13, 14, 17, 18, 19)]
    waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))  # standard tier: filtered out below
    url = reverse("followups:inbox")
    first = other_client.get(url, {"tier": "maintenance"})
    assert inbox_ids(first) == [rows[0].pk, rows[1].pk]
    content = first.content.decode()
    assert 'id="inbox-count">5<' in content
    assert "Page 1 of 3" in content
    assert "?tier=maintenance&amp;page=2" in content  # the filters stay on the page links
    assert inbox_ids(other_client.get(url, {"tier": "maintenance", "page": "3"})) == [rows[4].pk]
    assert inbox_ids(other_client.get(url, {"tier": "maintenance", "page": "x"})) == [rows[0].pk, rows[1].pk]


def test_inbox_filters_come_from_allow_lists(owner, owner_client):
    mine = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL), owner=owner, channel=Channel.PHONE)
    theirs = waiting(dt.datetime(2025, 11, 19, 11, 0, tzinfo=SEOUL), tier=ResponseTier.MAINTENANCE)
    url = reverse("followups:inbox")
    assert inbox_ids(owner_client.get(url, {"mine": "1"})) == [mine.pk]
    assert inbox_ids(owner_client.get(url, {"owner": theirs.owner_id})) == [theirs.pk]
    assert inbox_ids(owner_client.get(url, {"channel": "phone"})) == [mine.pk]
    assert inbox_ids(owner_client.get(url, {"tier": "maintenance"})) == [theirs.pk]
    # Unknown values are ignored rather than passed to the database.
    assert len(inbox_ids(owner_client.get(url, {"channel": "x' OR 1=1", "tier": "gold", "owner": "abc"}))) == 2


def test_quick_log_of_a_customer_call_puts_it_in_the_inbox(owner, owner_client):
    contact = ContactFactory(client=ClientFactory(account_owner=owner, response_tier=ResponseTier.MAINTENANCE))
    response = owner_client.post(
        reverse("followups:quick_log"),
        {"contact": contact.pk, "direction": "in", "channel": "phone", "body": "Site is down", "occurred_at": ""},
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.status == Conversation.Status.WAITING_ON_US
    assert conversation.reply_due_at == dt.datetime(2025, 11, 20, 10, 0, tzinfo=SEOUL)  # 3h today + 1h tomorrow
    assert inbox_ids(owner_client.get(reverse("followups:inbox"))) == [conversation.pk]


def test_quick_log_rejects_a_future_time_with_a_clear_message_and_keeps_the_contact(owner_client):
    contact = ContactFactory(name="<b>김하늘</b>", client=ClientFactory(name="한빛 물류"))
    response = owner_client.post(
        reverse("followups:quick_log"),
        {"contact": contact.pk, "direction": "in", "channel": "kakao", "body": "Hi", "occurred_at": "2025-11-20T09:00"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "The time cannot be in the future." in content
    assert not Message.objects.exists()
    # The chosen contact stays chosen (as text) so only the time needs fixing.
    assert re.search(rf'name="contact" value="{contact.pk}" checked', content)
    assert "&lt;b&gt;김하늘&lt;/b&gt;" in content and "<b>김하늘" not in content


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "Search for the customer and choose one of the results."),
        ("999999", "That customer cannot be chosen"),
        ("abc", "That customer cannot be chosen"),
    ],
)
def test_quick_log_without_a_valid_contact_says_so(owner_client, value, error):
    response = owner_client.post(
        reverse("followups:quick_log"),
        {"contact": value, "direction": "in", "channel": "phone", "body": "Hi", "occurred_at": ""},
    )
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Message.objects.exists()


def test_quick_log_refuses_a_contact_of_an_archived_client(owner_client):
    contact = ContactFactory(client=ClientFactory(archived_at=NOW))
    response = owner_client.post(
        reverse("followups:quick_log"),
        {"contact": contact.pk, "direction": "in", "channel": "phone", "body": "Hi", "occurred_at": ""},
    )
    assert response.status_code == 400
    assert "That customer cannot be chosen" in response.content.decode()
    assert not Message.objects.exists()


def test_conversation_page_shows_thread_notes_and_clock_in_constant_queries(other_client, django_assert_num_queries):
    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    url = reverse("followups:conversation", args=[conversation.pk])

    def count(expected):
        # 1 session, 2 user, 3 conversation with client/contact/owner, 4 its client's contacts
        # (the composer's To), 5 notes with authors, 6 topics, 7 the newest messages with
        # authors, 8 the newest waits with their no-reply decisions (selectors.conversation_thread),
        # 9 business calendar, 10 closure days, 11 response policies,
        # 12-13 user and group permissions (navigation: is the user a manager?),
        # 14 unknown senders and 15 inbound emails of the conversation (mailin panel),
        # 16 outbound emails of the conversation (delivery status, failures),
        # 17 the saved replies the reader may use (the reply box's picker), 18 the merges and
        # moved messages of the conversation (selectors.thread_moves),
        # 19 the conversation's open tasks and 20 the colleagues a task can be for (the Tasks card).
        # (The suggested answers and who else is there come afterwards, by htmx.)
        with django_assert_num_queries(20):
            response = other_client.get(url)
        assert len(response.context["thread"].messages) == expected

    count(1)
    conversation_reply(conversation=conversation, author=conversation.owner, body="Looking", channel=Channel.KAKAO)
    message_receive(conversation=conversation, body="Thanks", channel=Channel.KAKAO)
    note_add(conversation=conversation, author=conversation.owner, body="VIP")
    count(3)


def test_a_long_conversation_opens_on_its_newest_messages_and_shows_the_rest_on_request(
    other_client, django_assert_num_queries
):
    from followups.conversations.selectors import THREAD_NEWEST, WAITS_NEWEST

    conversation = ConversationFactory()
    start = dt.datetime(2025, 11, 3, 10, 0, tzinfo=SEOUL)
    for number in range(15):  # 30 messages, 15 waits, a day apart
        asked = start + dt.timedelta(days=number)
        message_receive(conversation=conversation, body=f"질문 {number}", channel=Channel.KAKAO, occurred_at=asked)
        conversation_reply(
            conversation=conversation,
            author=conversation.owner,
            body=f"답 {number}",
            channel=Channel.KAKAO,
            occurred_at=asked + dt.timedelta(hours=1),
        )
    assert conversation.waits.count() == 15
    url = reverse("followups:conversation", args=[conversation.pk])
    # The 20 queries of a short conversation, and a count of the earlier messages and waits.
    with django_assert_num_queries(22):
        response = other_client.get(url)
    html = response.content.decode()
    thread = response.context["thread"]
    assert [m.body for m in thread.messages][-2:] == ["질문 14", "답 14"] and len(thread.messages) == THREAD_NEWEST
    assert thread.earlier == 30 - THREAD_NEWEST and thread.earlier_waits == 15 - WAITS_NEWEST
    assert "Show 5 earlier messages" in html and "Show 5 earlier waits" in html
    # The five oldest are left out: 질문 0, 답 0, 질문 1, 답 1, 질문 2.
    assert '"message-body">질문 2</div>' not in html and '"message-body">답 2</div>' in html
    # The composer still knows the newest message of the whole thread (a colleague's newer reply
    # is detected against it).
    assert response.context["reply_form"].initial["seen"] == conversation.messages.order_by("-id").first().pk

    whole = other_client.get(url, {"thread": "all"})
    html = whole.content.decode()
    assert len(whole.context["thread"].messages) == 30 and len(whole.context["thread"].waits) == 15
    assert '"message-body">질문 0</div>' in html and "earlier messages" not in html
    korean = other_client.get(url, headers={"accept-language": "ko"}).content.decode()
    assert "이전 메시지 5개 보기" in korean


def test_a_busy_conversation_shows_everything_and_its_errors_in_the_same_queries(
    other_client, other_staff, frozen, django_assert_num_queries
):
    from followups.answers.models import SavedReply
    from followups.conversations.services import wait_close_no_reply_needed

    conversation = ConversationFactory()
    start = dt.datetime(2025, 11, 3, 10, 0, tzinfo=SEOUL)
    for number in range(15):  # 30 messages and 15 waits
        asked = start + dt.timedelta(days=number)
        message_receive(conversation=conversation, body=f"질문 {number}", channel=Channel.KAKAO, occurred_at=asked)
        author = conversation.owner if number % 2 else other_staff
        if number == 14:  # the last answer is an email we sent
            conversation_reply(conversation=conversation, author=author, body="답 14", channel=Channel.EMAIL)
        else:
            later = asked + dt.timedelta(hours=1)
            conversation_reply(
                conversation=conversation, author=author, body=f"답 {number}", channel=Channel.KAKAO, occurred_at=later
            )
    for body in ("Thanks!", "One more thing"):  # a wait closed without a reply, then an open one
        frozen.shift(dt.timedelta(minutes=5))
        message_receive(conversation=conversation, body=body, channel=Channel.KAKAO)
        if body == "Thanks!":
            wait_close_no_reply_needed(conversation=conversation, actor=other_staff, reason="Just thanks")
    for author in (conversation.owner, other_staff, other_staff):
        note_add(conversation=conversation, author=author, body="Called them")
    conversation.tags.create(name="invoice")
    SavedReply.objects.bulk_create(SavedReply(title=f"Reply {n}", body_en="Thanks") for n in range(5))
    url = reverse("followups:conversation", args=[conversation.pk])
    # The 20 queries of a short conversation (test_conversation_page_shows_thread_notes_and_clock_
    # in_constant_queries): the whole thread needs no counts of earlier messages and waits; 21 the
    # files of the emails we sent (shown on their messages), asked only when there are emails.
    with django_assert_num_queries(21):
        response = other_client.get(url, {"thread": "all"})
    html = response.content.decode()
    assert len(response.context["thread"].messages) == 32 and len(response.context["thread"].waits) == 17
    assert html.count('class="small border-bottom mb-2 pb-1"') == 3 and html.count("note-actions") == 2
    assert 'id="outbound-emails"' in html and 'id="snooze-link"' in html and "Reply 4" in html
    assert "no reply needed (Junho Lee: Just thanks)" in html and ">invoice</span>" in html
    # A refused reply: 1 session, 2 user, 3 the conversation, 4 its client's contacts (the form's
    # recipients), then the page of a long conversation (newest messages only) without its own
    # session and user queries, and the files of the emails we sent.
    with django_assert_num_queries(4 + 22 - 2 + 1):
        response = other_client.post(reverse("followups:reply", args=[conversation.pk]), {"channel": "email"})
    assert response.status_code == 400
    assert 'id="id_body_error"' in response.content.decode()


def test_message_bodies_are_escaped_and_urls_linkified(other_client):
    conversation = ConversationFactory()
    message_receive(
        conversation=conversation,
        body='<script>alert(1)</script> see https://example.com/a?b=1 <img src=x onerror="x">',
        channel=Channel.EMAIL,
    )
    content = other_client.get(reverse("followups:conversation", args=[conversation.pk])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert '<a href="https://example.com/a?b=1" rel="nofollow">https://example.com/a?b=1</a>' in content
    assert "<img src=x" not in content


def test_missing_conversation_gives_404(other_client):
    assert other_client.get(reverse("followups:conversation", args=[999999])).status_code == 404
    assert other_client.post(reverse("followups:reply", args=[999999]), {"body": "x"}).status_code == 404
    assert other_client.post(reverse("followups:message_time", args=[999999])).status_code == 404


def test_deactivated_account_sees_nothing(client):
    user = UserFactory(is_active=False)
    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    client.force_login(user)
    for url in (reverse("followups:inbox"), reverse("followups:conversation", args=[conversation.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_any_active_staff_member_can_reply_and_the_conversation_leaves_the_inbox(other_staff, other_client):
    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    response = other_client.post(
        reverse("followups:reply", args=[conversation.pk]),
        {"channel": "phone", "body": "Called back", "occurred_at": ""},
    )
    assert response.status_code == 302
    wait = conversation.waits.get()
    assert wait.answered_by.author_user == other_staff and wait.met_target
    assert inbox_ids(other_client.get(reverse("followups:inbox"))) == []


def test_email_reply_is_recorded_and_written_to_the_outbox(other_client):
    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    response = other_client.post(
        reverse("followups:reply", args=[conversation.pk]), {"channel": "email", "body": "Dear <Kim>, fixed."}
    )
    assert response.status_code == 302
    message = conversation.messages.get(direction="out", channel="email")
    email = OutboundEmail.objects.get(related__conversation_id=conversation.pk)
    assert email.kind == OutboundEmail.Kind.REPLY
    assert email.to == [conversation.contact.email]
    assert email.subject.startswith("Re: Question")  # mailin appends the conversation's reply token
    assert email.related["message_id"] == message.pk
    assert "Dear <Kim>, fixed." in email.text_body
    assert "Dear &lt;Kim&gt;, fixed." in email.html_body
    assert conversation.waits.get().closed_reason == "answered"


def test_email_reply_to_a_contact_without_address_asks_for_another_channel(other_client):
    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    conversation.contact.email = ""
    conversation.contact.save()
    response = other_client.post(reverse("followups:reply", args=[conversation.pk]), {"channel": "email", "body": "Hi"})
    assert response.status_code == 400
    assert "has no email address" in response.content.decode()
    assert not OutboundEmail.objects.exists()
    assert not conversation.messages.filter(direction="out").exists()


def test_reply_before_the_question_is_rejected_on_the_form(other_client):
    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    response = other_client.post(
        reverse("followups:reply", args=[conversation.pk]),
        {"channel": "phone", "body": "Called", "occurred_at": "2025-11-19T09:00"},
    )
    assert response.status_code == 400
    assert "before the conversation&#39;s first message" in response.content.decode()


def test_no_reply_needed_form_closes_the_wait(owner, owner_client):
    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    response = owner_client.post(reverse("followups:no_reply", args=[conversation.pk]), {"reason": "Just thanks"})
    assert response.status_code == 302
    assert NoReplyNeeded.objects.get().decided_by == owner
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED


def test_editing_a_message_time_from_the_page(other_client):
    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    message = conversation.messages.get()
    url = reverse("followups:message_time", args=[message.pk])
    assert other_client.post(url, {"occurred_at": "2025-11-19T12:00"}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.awaiting_since == dt.datetime(2025, 11, 19, 12, 0, tzinfo=SEOUL)
    response = other_client.post(url, {"occurred_at": "2025-11-19T16:00"})
    assert response.status_code == 400 and "future" in response.content.decode()


def test_conversation_list_shows_every_status_in_constant_queries(other_client, django_assert_num_queries):
    waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    ConversationFactory(status=Conversation.Status.CLOSED)
    # 1 session, 2 user, 3 count for the paginator, 4-5 user and group permissions (navigation),
    # 6 conversations with client/contact/owner.
    with django_assert_num_queries(6):
        response = other_client.get(reverse("followups:conversations"))
    assert len(response.context["page"].object_list) == 2
    closed = other_client.get(reverse("followups:conversations"), {"status": "closed"})
    assert len(closed.context["page"].object_list) == 1


def test_placeholder_pages_still_work(other_client):
    assert other_client.get(reverse("followups:checkins")).status_code == 200
    assert other_client.get(reverse("followups:dashboard")).status_code == 403


def test_topics_are_set_from_the_conversation_page(other_client):
    conversation = ConversationFactory()
    url = reverse("followups:topics", args=[conversation.pk])
    assert other_client.post(url, {"topics": " login  bug, invoice,, login bug"}).status_code == 302
    assert sorted(t.name for t in conversation.tags.all()) == ["invoice", "login bug"]
    page = other_client.get(reverse("followups:conversation", args=[conversation.pk])).content.decode()
    assert 'value="invoice, login bug"' in page
    assert other_client.post(url, {"topics": "x" * 51}).status_code == 400
    assert other_client.post(url, {"topics": ""}).status_code == 302
    assert not conversation.tags.exists()


def test_a_failed_reply_email_is_visible_on_the_conversation(other_client):
    from agency_crm.outbox.models import OutboundEmail

    conversation = waiting(dt.datetime(2025, 11, 19, 10, 0, tzinfo=SEOUL))
    conversation_reply(conversation=conversation, author=conversation.owner, body="Fixed now", channel=Channel.EMAIL)
    email = OutboundEmail.objects.get()
    assert email.related.get("conversation_id") == conversation.pk
    OutboundEmail.objects.filter(pk=email.pk).update(status="failed", last_error="550 mailbox <b>unavailable</b>")
    page = other_client.get(reverse("followups:conversation", args=[conversation.pk])).content.decode()
    assert 'id="outbound-emails"' in page
    assert "550 mailbox &lt;b&gt;unavailable&lt;/b&gt;" in page
