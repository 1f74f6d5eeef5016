"""Search finds conversation subjects, email subjects and client tags too (issue 14, point 7), with
the same speed rules as message bodies: substring matching served by trigram / bigram / full-text
indexes, one query per kind whatever the number of hits."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients import search
from clients.models import Client, Tag
from clients.search import text_filter
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import InboundEmail, MailSource
from followups.models import Conversation
from tests.followups.factories import ClientFactory, ContactFactory, ConversationFactory, MessageFactory

from .mailin_support import build_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def hits_of(kind, query):
    return next((hits for provider, hits in search.search_all(query) if provider.key == kind), [])


def test_a_conversation_is_found_by_a_word_only_in_its_subject():
    conversation = ConversationFactory(subject="견적서 재발송 요청")
    MessageFactory(conversation=conversation, body="안녕하세요, 다시 보내주세요.")
    ConversationFactory(subject="로그인 오류")
    hits = hits_of("conversations", "견적")
    assert [hit.url for hit in hits] == [conversation.get_absolute_url()]
    assert [hit.title for hit in hits_of("conversations", "재발송")] == ["견적서 재발송 요청"]
    assert hits_of("messages", "견적") == []


def test_an_email_is_found_by_a_word_only_in_its_subject(owner):
    customer = ClientFactory(account_owner=owner, name="Hanbit Logistics")
    ContactFactory(client=customer, email="minji@customer.example")
    first = mail_ingest(
        raw=build_email(subject="Login page", body="It shows an error.").as_bytes(), source=MailSource.IMAP
    ).email
    # A reply in the same thread whose new subject word is nowhere else.
    reply = mail_ingest(
        raw=build_email(
            subject="Re: Login page — 세금계산서 too", body="See above.", in_reply_to=first.message_id
        ).as_bytes(),
        source=MailSource.IMAP,
    ).email
    assert reply.conversation_id == first.conversation_id
    hits = hits_of("emails", "세금계산서")
    assert [hit.url for hit in hits] == [f"/mail/{reply.pk}/"]
    assert [hit.title for hit in hits_of("emails", "계산")] == ["Re: Login page — 세금계산서 too"]
    assert hits_of("messages", "세금계산서") == []


def test_a_client_is_found_by_its_tag(owner):
    tagged = ClientFactory(account_owner=owner, name="Hanbit Logistics")
    tagged.tags.set([Tag.objects.create(name="유지보수"), Tag.objects.create(name="web")])
    ClientFactory(account_owner=owner, name="Blue Harbor")
    assert [hit.title for hit in hits_of("clients", "유지보수")] == ["Hanbit Logistics"]
    # Two characters inside the tag (the bigram index), and no duplicate rows for two tags.
    assert [hit.title for hit in hits_of("clients", "보수")] == ["Hanbit Logistics"]
    assert hits_of("clients", "web")[0].snippet.endswith("Tags: web, 유지보수")


def test_the_search_page_shows_subject_and_tag_hits(owner_client, owner):
    tagged = ClientFactory(account_owner=owner, name="Hanbit Logistics")
    tagged.tags.set([Tag.objects.create(name="유지보수")])
    ConversationFactory(client=tagged, subject="유지보수 계약 연장")
    html = owner_client.get("/search/", {"q": "유지보수"}).content.decode()
    assert 'data-kind="clients"' in html and 'data-kind="conversations"' in html
    assert "<mark>유지보수</mark> 계약 연장" in html


def test_search_page_queries_do_not_grow_with_subject_hits(owner_client, owner, django_assert_num_queries):
    tag = Tag.objects.create(name="배송관리")
    for i in range(12):
        client = ClientFactory(account_owner=owner, name=f"고객 {i}")
        client.tags.add(tag)
        ConversationFactory(client=client, subject=f"무료배송 문의 {i}")
        InboundEmail.objects.create(message_id=f"<m{i}@x>", source="imap", threaded_by="new", subject=f"재배송 {i}")
    owner_client.get("/")
    # 1 session, 2 user, 3 clients (by name, notes or tag), 4 their tags, 5 contacts, 6 notes,
    # 7 inquiries, 8 scope items, 9 articles, 10 conversations (+client), 11 email subjects
    # (+conversation, client), 12 messages, 13-14 the user's and group permissions.
    with django_assert_num_queries(14):
        html = owner_client.get("/search/", {"q": "배송"}).content.decode()
    assert html.count('class="list-group-item"') == 30  # clients, conversations, emails: 10 each


def test_each_kind_is_one_query_whatever_the_number_of_hits(owner):
    tag = Tag.objects.create(name="무료배송")
    for i in range(15):
        ConversationFactory(subject=f"무료배송 {i}")
        InboundEmail.objects.create(message_id=f"<m{i}@x>", source="imap", threaded_by="new", subject=f"재배송 {i}")
        ClientFactory(account_owner=owner).tags.add(tag)
    # Clients take a second query for their tags (shown in the snippet).
    for kind, expected in (("conversations", 1), ("emails", 1), ("clients", 2)):
        with CaptureQueriesContext(connection) as queries:
            hits = next(p for p in search.providers() if p.key == kind).search("배송", 10)
        assert (len(queries), len(hits)) == (expected, 10), kind


def test_the_planner_uses_the_subject_and_tag_indexes():
    ConversationFactory(subject="무료배송")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # GIN indexes are read by bitmap scans; without this an almost empty table may be read
        # through any other index in full (e.g. inbound_recent_idx), which says nothing.
        cursor.execute("SET LOCAL enable_indexscan = off")
        plans = {
            "conversation_subject_bigram": text_filter(Conversation.objects.all(), ["subject"], "배송").explain(),
            "conversation_subject_trgm": text_filter(Conversation.objects.all(), ["subject"], "무료배송").explain(),
            "inbound_subject_bigram": text_filter(InboundEmail.objects.all(), ["subject"], "배송").explain(),
            "inbound_subject_trgm": text_filter(InboundEmail.objects.all(), ["subject"], "invoice").explain(),
            "tag_name_bigram": text_filter(Tag.objects.all(), ["name"], "보수").explain(),
        }
    for index, plan in plans.items():
        assert index in plan and "Seq Scan" not in plan, (index, plan)
    assert Client.objects.count() >= 1
