"""The messages search provider: two-character words as substrings through the bigram index."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients import search
from clients.search import text_filter
from followups.knowledge.services import article_create
from followups.models import Message
from tests.followups.factories import ConversationFactory, MessageFactory

pytestmark = pytest.mark.django_db


def messages_provider():
    return next(p for p in search.providers() if p.key == "messages")


def bodies(query):
    return sorted(text_filter(Message.objects.all(), ["body"], query).values_list("body", flat=True))


@pytest.fixture
def delivery_messages():
    conversation = ConversationFactory(subject="배송 문의")
    for body in ["재배송 요청드립니다", "무료배송 가능한가요?", "배송 조회가 안 돼요", "결제 오류", "배 송 띄어쓰기"]:
        MessageFactory(conversation=conversation, body=body)
    return conversation


def test_a_two_character_korean_word_is_found_inside_compounds(delivery_messages):
    assert bodies("배송") == ["무료배송 가능한가요?", "배송 조회가 안 돼요", "재배송 요청드립니다"]
    hits = messages_provider().search("배송", 10)
    assert sorted(hit.snippet for hit in hits) == ["무료배송 가능한가요?", "배송 조회가 안 돼요", "재배송 요청드립니다"]
    # A hit opens the whole thread at the message (the page otherwise shows only the newest).
    assert all(f"/conversations/{delivery_messages.pk}/?thread=all#message-" in hit.url for hit in hits)


def test_two_short_korean_words_must_both_be_found(delivery_messages):
    assert bodies("배송 요청") == ["재배송 요청드립니다"]
    assert bodies("요청 무료") == []


def test_a_two_character_english_word_is_found_case_insensitively():
    for body in ["Please check the iOS build", "INVOICE attached", "Thanks"]:
        MessageFactory(body=body)
    assert bodies("os") == ["Please check the iOS build"]
    # "vo": the bigram function folds only whitespace, never a letter (E'\v' is a plain "v" in SQL).
    assert bodies("Vo") == ["INVOICE attached"]
    assert bodies("qa") == []


def test_a_long_word_and_a_short_word_together(delivery_messages):
    MessageFactory(body="Invoice for the 무료배송 plan")
    MessageFactory(body="Invoice for hosting")
    assert bodies("invoice 배송") == ["Invoice for the 무료배송 plan"]
    assert bodies("배송 가능한가요") == ["무료배송 가능한가요?"]


def test_a_one_character_word_alone_is_matched_as_a_word_beginning():
    for body in ["김 과장님께 전달", "김하늘 님 문의", "이김 테스트"]:
        MessageFactory(body=body)
    assert bodies("김") == ["김 과장님께 전달", "김하늘 님 문의"]
    # With a longer word it is re-checked as a substring on the rows that word found.
    assert bodies("테스트 김") == ["이김 테스트"]


def test_the_websearch_syntax_still_works(delivery_messages):
    # Not plain words: the full-text search (whole words) is asked as well as the substrings.
    assert bodies("배송 -재배송") == ["배송 조회가 안 돼요"]
    assert bodies("결제 or 무료배송") == ["결제 오류", "무료배송 가능한가요?"]


def test_newest_matching_messages_come_first_and_are_limited():
    conversation = ConversationFactory()
    start = timezone.now() - dt.timedelta(days=30)
    for day in range(12):
        MessageFactory(conversation=conversation, body=f"무료배송 {day}", occurred_at=start + dt.timedelta(days=day))
    MessageFactory(conversation=conversation, body="다른 이야기", occurred_at=timezone.now())
    hits = messages_provider().search("배송", 10)
    assert [hit.snippet for hit in hits] == [f"무료배송 {day}" for day in range(11, 1, -1)]


def test_the_last_week_is_searched_first_and_older_matches_fill_the_rest():
    conversation = ConversationFactory()
    now = timezone.now()
    for hours in (1, 30, 100):  # three this week (RECENT_WINDOW is 7 days)
        at = now - dt.timedelta(hours=hours)
        MessageFactory(conversation=conversation, body=f"배송 최근 {hours}", occurred_at=at)
    for day in range(8, 20):  # twelve older ones
        MessageFactory(conversation=conversation, body=f"배송 예전 {day}", occurred_at=now - dt.timedelta(days=day))
    hits = messages_provider().search("배송", 10)
    assert [hit.snippet for hit in hits] == ["배송 최근 1", "배송 최근 30", "배송 최근 100"] + [
        f"배송 예전 {day}" for day in range(8, 15)
    ]


def test_a_busy_week_gives_its_newest_matches_and_no_older_one():
    conversation = ConversationFactory()
    now = timezone.now()
    for hours in range(1, 13):
        MessageFactory(conversation=conversation, body=f"배송 {hours}", occurred_at=now - dt.timedelta(hours=hours))
    MessageFactory(conversation=conversation, body="배송 옛날", occurred_at=now - dt.timedelta(days=40))
    # A future time (a mistyped date) is the newest of all, as on the conversation page.
    MessageFactory(conversation=conversation, body="배송 미래", occurred_at=now + dt.timedelta(days=3))
    hits = messages_provider().search("배송", 10)
    assert [hit.snippet for hit in hits] == ["배송 미래"] + [f"배송 {hours}" for hours in range(1, 10)]


def test_the_message_search_never_walks_the_time_index_backwards():
    MessageFactory(body="무료배송", occurred_at=timezone.now() - dt.timedelta(days=30))
    ids = search_ids_sql("배송")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")  # leave the planner only index scans
        cursor.execute("EXPLAIN " + ids[0], ids[1])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Backward" not in plan, plan
    assert "One-Time Filter" in plan, plan  # the older messages are read only when needed


def search_ids_sql(query):
    from followups.conversations.search import newest_matching_ids

    raw = newest_matching_ids(query, 10)
    return raw.sql, raw.params


def test_message_search_is_one_query_whatever_the_number_of_hits():
    def count_queries(query):
        with CaptureQueriesContext(connection) as queries:
            hits = messages_provider().search(query, 10)
        return len(queries), len(hits)

    ConversationFactory()
    MessageFactory(body="무료배송 하나")
    assert count_queries("배송") == (1, 1)
    for i in range(15):
        MessageFactory(body=f"재배송 {i}", conversation=ConversationFactory())
    assert count_queries("배송") == (1, 10)


def test_search_page_queries_do_not_grow_with_message_hits(owner_client, owner, django_assert_num_queries):
    for i in range(12):
        MessageFactory(body=f"무료배송 문의 {i}", conversation=ConversationFactory(subject=f"주문 {i}"))
        article_create(actor=owner, values={"title": f"배송 안내 {i}", "body": "택배", "tags": ""})
    owner_client.get("/")  # warm the session
    # 1 session, 2 user, 3 clients, 4 contacts, 5 notes, 6 inquiries, 7 scope items,
    # 8 articles (+category), 9 conversation subjects, 10 email subjects, 11 messages
    # (+conversation, client, authors), 12-13 the user's and group permissions.
    with django_assert_num_queries(13):
        response = owner_client.get("/search/", {"q": "배송"})
    html = response.content.decode()
    assert html.count('class="list-group-item"') == 20
    assert "무료<mark>배송</mark> 문의 11" in html


def test_message_markup_is_escaped_and_the_short_word_highlighted(owner_client):
    MessageFactory(body="<script>alert('배송')</script> 재배송")
    html = owner_client.get("/search/", {"q": "배송"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;<mark>배송</mark>&#x27;)&lt;/script&gt; 재<mark>배송</mark>" in html


def test_the_planner_uses_the_bigram_index_for_a_two_character_word():
    # The planner's inputs are this test's own: the table's statistics and size otherwise come
    # from whatever earlier tests of the session left (ANALYZE writes pg_class in place, and
    # rolled-back rows stay as dead space), and with one row and a stale estimate a full scan of
    # another index plus a filter looked cheaper (a failure on a clean clone, 2026-12-08).
    # TRUNCATE inside the test's transaction gives a new, empty table; it is rolled back with it.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE followups_message CASCADE")
    conversation = ConversationFactory()
    MessageFactory(conversation=conversation, body="무료배송")
    now = timezone.now()
    Message.objects.bulk_create(
        Message(
            conversation=conversation,
            direction=Message.Direction.FROM_CUSTOMER,
            channel=conversation.channel,
            body=f"견적 문의 {n}",
            occurred_at=now - dt.timedelta(minutes=n),
        )
        for n in range(1, 500)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE followups_message")
        # A small table would be scanned sequentially; forbid that to see the index choice.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = text_filter(Message.objects.all(), ["body"], "배송").explain()
        mixed_plan = text_filter(Message.objects.all(), ["body"], "배송 조회").explain()
    assert "message_body_bigram" in plan and "Seq Scan" not in plan
    # Two short words: both are looked up in the index (one bitmap or two), nothing else.
    assert "message_body_bigram" in mixed_plan and "Seq Scan" not in mixed_plan


def test_the_bigram_function_keeps_two_character_pieces_without_whitespace():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gonggam_bigrams(%s), gonggam_bigrams(%s), gonggam_bigrams(%s)", ["무료배송 요청\tVo", "a", ""]
        )
        pairs, single, empty = cursor.fetchone()
    assert sorted(pairs) == sorted(["무료", "료배", "배송", "요청", "VO"])
    assert single == [] and empty == []


def test_a_korean_word_with_a_particle_finds_what_the_word_finds(delivery_messages):
    # "배송이" (delivery + subject particle) is searched as "배송", as the suggested answers do.
    assert bodies("배송이") == bodies("배송") == ["무료배송 가능한가요?", "배송 조회가 안 돼요", "재배송 요청드립니다"]
    assert bodies("배송은 요청을") == ["재배송 요청드립니다"]
    assert len(messages_provider().search("배송이", 10)) == 3


def test_knowledge_base_snippets_are_plain_text_without_markdown(owner):
    body = (
        "## 배송 안내\n\n**무료배송**은 _3만 원_ 이상입니다.\n\n"
        "| 지역 | 기간 |\n|---|---|\n| 서울 | 1일 |\n\n- `택배` 조회"
    )
    article_create(actor=owner, values={"title": "배송", "body": body, "tags": ""})
    articles = next(p for p in search.providers() if p.key == "articles")
    [hit] = articles.search("배송", 10)
    assert hit.snippet == "배송 안내 무료배송은 3만 원 이상입니다. 지역 기간 서울 1일 택배 조회"


def test_a_conversation_hit_shows_its_last_message_date_in_the_reader_format():
    from django.utils import translation

    conversation = ConversationFactory(subject="배송 지연 문의")
    Conversation = type(conversation)
    last = dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.UTC)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=last)
    conversations = next(p for p in search.providers() if p.key == "conversations")
    with translation.override("ko"):
        [hit] = conversations.search("배송", 10)
        assert hit.meta.endswith("2026년 11월 5일 (목)")
    with translation.override("en"):
        [hit] = conversations.search("배송", 10)
        assert hit.meta.endswith("Thu 5 Nov 2026")
