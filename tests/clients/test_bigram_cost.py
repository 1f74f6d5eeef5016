"""The planner uses the bigram indexes for a two-character word even when it matches a large
share of a table (clients.0010 gives gonggam_bigrams its real cost)."""

import pytest
from django.db import connection

from clients.search import text_filter
from followups.knowledge.models import ARTICLE_SEARCH_FIELDS, Article
from followups.knowledge.services import article_create

pytestmark = pytest.mark.django_db


def test_the_function_is_costed_high():
    with connection.cursor() as cursor:
        cursor.execute("SELECT procost FROM pg_proc WHERE proname = 'gonggam_bigrams'")
        assert cursor.fetchone()[0] == 1000


def test_a_common_two_character_word_is_found_through_the_bigram_index(owner):
    # A new, empty table for this test alone (TRUNCATE is rolled back with the test): its size and
    # statistics otherwise include what earlier tests of the session left (dead rows, ANALYZE's
    # in-place page counts), and the planner once chose a sequential scan on them.
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE followups_article CASCADE")
    for n in range(300):
        body = "무료배송 안내" if n % 2 else "세금계산서 발행"
        article_create(actor=owner, values={"title": f"문서 {n}", "body": body})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE followups_article")
    plan = text_filter(Article.objects.current(), ARTICLE_SEARCH_FIELDS, "배송").order_by("-updated_at")[:10].explain()
    assert "article_body_bigram" in plan, plan
