"""The search box: Korean substring search on PostgreSQL, grouping, highlighting, indexes."""

import pytest
from django.db import connection

from clients import search
from clients.models import Client, Contact, Note
from clients.search import SearchHit, make_snippet, text_filter
from clients.services import client_archive, note_add
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_the_database_is_postgresql():
    # The Korean search promise is about PostgreSQL; make sure that is what we test.
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize("query", ["유지보수", "계약 갱신", "갱신", "문의"])
def test_a_korean_note_is_found_by_a_substring(owner, query):
    client = ClientFactory(account_owner=owner)
    note = note_add(client=client, author=owner, body="유지보수 계약 갱신 문의")
    note_add(client=client, author=owner, body="디자인 시안 확인")
    assert list(text_filter(Note.objects.all(), ["body"], query)) == [note]


def test_a_korean_word_inside_a_longer_word_is_found(owner):
    client = ClientFactory(account_owner=owner)
    note = note_add(client=client, author=owner, body="유지보수계약서를 보냈습니다")
    assert list(text_filter(Note.objects.all(), ["body"], "계약서")) == [note]
    # A short word is re-checked as a substring when a longer word narrowed the rows.
    assert list(text_filter(Note.objects.all(), ["body"], "보냈습니다 계약")) == [note]


def test_a_two_character_korean_word_is_found_inside_a_longer_word(owner):
    client = ClientFactory(account_owner=owner)
    note = note_add(client=client, author=owner, body="계약서를 보냈고 계약을 갱신합니다")
    compound = note_add(client=client, author=owner, body="유지보수계약 재갱신")
    note_add(client=client, author=owner, body="디자인 시안")
    assert set(text_filter(Note.objects.all(), ["body"], "계약")) == {note, compound}
    assert set(text_filter(Note.objects.all(), ["body"], "갱신 계약")) == {note, compound}
    assert list(text_filter(Note.objects.all(), ["body"], "보수 시안")) == []


def test_a_two_character_word_is_found_on_small_tables_too(owner):
    client = ClientFactory(account_owner=owner, name="(주)한빛물류")
    ContactFactory(client=client, name="Kim Haneul", email="haneul@hanbit.example")
    assert list(text_filter(Client.objects.all(), ["name", "notes"], "물류")) == [client]
    assert [c.name for c in text_filter(Contact.objects.all(), ["name", "email", "phone"], "ne")] == ["Kim Haneul"]


def test_every_word_must_match_somewhere(owner):
    client = ClientFactory(account_owner=owner)
    note_add(client=client, author=owner, body="유지보수 계약 갱신 문의")
    assert list(text_filter(Note.objects.all(), ["body"], "계약 해지")) == []


def test_words_in_another_order_are_found_by_full_text(owner):
    client = ClientFactory(account_owner=owner)
    note = note_add(client=client, author=owner, body="Server migration planned for March")
    assert list(text_filter(Note.objects.all(), ["body"], "march migration")) == [note]


def test_contacts_are_found_by_name_email_and_phone(owner):
    kim = ContactFactory(name="김하늘", email="haneul@hanbit.example", phone="010-2345-6789")
    ContactFactory(name="Emma Collins", email="emma@blue.example", phone="+1 415 555 0100")
    fields = ["name", "email", "phone"]
    for query in ["하늘", "HANEUL@hanbit", "2345-6789"]:
        assert list(text_filter(Contact.objects.all(), fields, query, exhaustive=True)) == [kim], query


def test_an_empty_query_matches_nothing(owner):
    ClientFactory(account_owner=owner)
    assert list(text_filter(Note.objects.all(), ["body"], "   ")) == []
    assert search.search_all("  ") == []


def test_search_uses_the_trigram_and_full_text_indexes(owner):
    with connection.cursor() as cursor:
        # Tiny tables would be scanned sequentially; forbid that to see the index choice.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = text_filter(Note.objects.all(), ["body"], "유지보수").explain()
        mixed_plan = text_filter(Note.objects.all(), ["body"], "유지보수 계약").explain()
        contact_plan = text_filter(Contact.objects.all(), ["name", "email", "phone"], "kim -lee").explain()
        short_plan = text_filter(Note.objects.all(), ["body"], "계약 갱신").explain()
        single_plan = text_filter(Note.objects.all(), ["body"], "계").explain()
    assert "note_body_trgm" in plan and "Seq Scan" not in plan
    # A long and a short word: the planner picks one index or both, never a sequential scan.
    assert ("note_body_trgm" in mixed_plan or "note_body_bigram" in mixed_plan) and "Seq Scan" not in mixed_plan
    # Two-character words go through the bigram index only (never a sequential scan).
    assert "note_body_bigram" in short_plan and "Seq Scan" not in short_plan
    # One character alone: a word prefix through the full-text index.
    assert "note_fts" in single_plan and "Seq Scan" not in single_plan
    # Not only plain words ("-lee"): the full-text index is asked as well.
    for index in ["contact_name_trgm", "contact_email_trgm", "contact_phone_trgm", "contact_fts"]:
        assert index in contact_plan


def test_make_snippet_centres_on_the_match():
    text = "가" * 300 + " 유지보수 계약 " + "나" * 300
    snippet = make_snippet(text, "계약", width=60)
    assert "계약" in snippet and snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= 62


def test_register_is_idempotent_by_key():
    class Provider:
        key = "test-kind"
        label = "Test"
        order = 99

        def search(self, query, limit):
            return [SearchHit(title=query, snippet="", url="/")]

    try:
        search.register(Provider())
        search.register(Provider())
        assert [p.key for p in search.providers()].count("test-kind") == 1
        groups = {p.key: hits for p, hits in search.search_all("hello")}
        assert groups["test-kind"] == [SearchHit(title="hello", snippet="", url="/")]
    finally:
        search._providers.pop("test-kind", None)


def test_search_page_groups_results_by_kind(owner_client, owner):
    client = ClientFactory(account_owner=owner, name="한빛 물류")
    ContactFactory(client=client, name="한빛 담당자")
    note_add(client=client, author=owner, body="한빛 유지보수 계약 갱신 문의")
    html = owner_client.get("/search/", {"q": "한빛"}).content.decode()
    assert 'data-kind="clients"' in html and 'data-kind="contacts"' in html and 'data-kind="notes"' in html
    assert html.index('data-kind="clients"') < html.index('data-kind="contacts"') < html.index('data-kind="notes"')
    assert "<mark>한빛</mark> 물류" in html
    assert f'href="/clients/{client.pk}/"' in html


def test_archived_clients_and_their_notes_are_not_found(owner_client, owner, manager):
    client = ClientFactory(account_owner=owner, name="Archived Co")
    note_add(client=client, author=owner, body="secret archived words")
    client_archive(client=client, actor=manager)
    html = owner_client.get("/search/", {"q": "archived"}).content.decode()
    assert "Archived Co" not in html
    assert "Nothing found" in html


def test_search_markup_in_data_is_escaped_and_still_highlighted(owner_client, owner):
    client = ClientFactory(account_owner=owner, name="<script>alert('x')</script> Acme")
    html = owner_client.get("/search/", {"q": "acme"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; <mark>Acme</mark>" in html
    assert client.name not in html


def test_search_page_queries_do_not_grow_with_hits(owner_client, owner, clients_search_only, django_assert_num_queries):
    for i in range(12):
        client = ClientFactory(account_owner=owner, name=f"계약 고객 {i}")
        ContactFactory(client=client, name=f"계약 담당 {i}")
        note_add(client=client, author=owner, body=f"계약 메모 {i}")
    owner_client.get("/")  # warm the session
    # 1 session, 2 user, 3 clients (by name, notes or tag), 4 their tags, 5 contacts (+client),
    # 6 notes (+client), 7-8 the user's and group permissions (manager check in the navigation).
    with django_assert_num_queries(8):
        response = owner_client.get("/search/", {"q": "계약"})
    assert response.content.decode().count('class="list-group-item"') == 30  # 10 per kind


def test_the_search_box_finds_a_contact_by_a_phone_number_typed_without_dashes(owner_client, owner):
    kim = ContactFactory(name="김하늘", phone="010-2345-6789", client=ClientFactory(name="한빛", account_owner=owner))
    ContactFactory(name="Emma Collins", phone="+1 415 555 0100")
    for query in ["01023456789", "2345 6789"]:
        hits = dict(search.search_all(query))
        contacts = next(found for provider, found in hits.items() if provider.key == "contacts")
        assert [hit.title for hit in contacts] == [kim.name], query
    assert search.phone_digits_match("하늘") is None
    assert search.phone_digits_match("12") is None


def test_query_words_lose_a_trailing_korean_particle():
    assert search.query_terms("배송이 계약서를 서울로 invoice 김") == ["배송", "계약서", "서울", "invoice", "김"]
    # A two-character word is left whole: "회의" is not "회" + particle.
    assert search.query_terms("회의 고객사의") == ["회의", "고객사"]
