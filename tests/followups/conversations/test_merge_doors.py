"""After a merge, the customer's ways back into the source lead to the target: an email answering
the source (its reply address or subject token, or our email's Message-ID), a reply on the
self-service page opened before the merge; and that page no longer lists the tombstone. And two
merges of one pair in opposite directions at once: the rows are locked in id order, one wins."""

import pytest

from agency_crm.outbox import OutboundEmail
from followups.conversations.services import conversation_merge, conversation_reply, conversation_start, message_receive
from followups.conversations.tokens import conversation_token, reply_address
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import InboundEmail, MailSource
from followups.models import Channel, Message
from followups.portal.selectors import portal_conversations
from followups.portal.services import portal_reply
from tests.followups.factories import ClientFactory, ContactFactory
from tests.followups.mailin_support import build_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(owner):
    contact = ContactFactory(client=ClientFactory(account_owner=owner), email="minji@customer.example")
    threads = []
    for channel, subject in ((Channel.KAKAO, "카톡 문의"), (Channel.EMAIL, "Order")):
        conversation = conversation_start(
            client=contact.client, contact=contact, subject=subject, channel=channel, actor=owner
        )
        message_receive(conversation=conversation, body=subject, channel=channel)
        threads.append(conversation)
    source, target = threads
    conversation_reply(conversation=source, author=owner, body="메일로 보내 주세요", channel=Channel.EMAIL)
    conversation_merge(source=source, target=target, actor=owner)
    return contact, source, target


def ingest(**headers):
    raw = build_email(from_="minji@customer.example", **headers).as_bytes()
    return InboundEmail.objects.get(pk=mail_ingest(raw=raw, source=MailSource.IMAP).email.pk)


def test_an_email_answering_the_source_lands_in_the_target(merged):
    _contact, source, target = merged
    ours = OutboundEmail.objects.get()
    assert ingest(in_reply_to=ours.message_id).conversation == target
    assert ingest(to=reply_address(source.pk)).conversation == target
    assert ingest(subject=f"Re: 카톡 [#{conversation_token(source.pk)}]").conversation == target
    assert not Message.objects.filter(conversation=source).exists()


def test_the_self_service_page_forgets_the_tombstone_and_a_reply_to_it_reaches_the_target(merged):
    contact, source, target = merged
    assert list(portal_conversations(contact)) == [target]
    message = portal_reply(contact=contact, conversation=source, body="아직 안 왔어요")
    assert message.conversation == target


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_merging_a_pair_in_opposite_directions_neither_deadlock_nor_both_win(owner):
    import itertools
    import threading

    from django.core.exceptions import ValidationError

    from followups.models import Conversation, ensure_default_policies
    from tests.concurrency import run_at_once

    ensure_default_policies()
    contact = ContactFactory(client=ClientFactory(account_owner=owner))
    pair = []
    for subject in ("A", "B"):
        conversation = conversation_start(
            client=contact.client, contact=contact, subject=subject, channel=Channel.EMAIL, actor=owner
        )
        message_receive(conversation=conversation, body=subject, channel=Channel.EMAIL)
        pair.append(conversation)
    turns, lock = itertools.count(), threading.Lock()

    def merge():
        with lock:
            source, target = pair if next(turns) == 0 else pair[::-1]
        try:
            conversation_merge(source=source, target=target, actor=owner)
        except ValidationError as error:
            return error.messages[0]
        return "merged"

    outcomes = run_at_once(merge)
    assert outcomes.count("merged") == 1
    assert any("merged into another" in outcome for outcome in outcomes if outcome != "merged")
    assert Conversation.objects.filter(merged_into__isnull=False).count() == 1
    assert Message.objects.filter(conversation__merged_into__isnull=True).count() == 2
