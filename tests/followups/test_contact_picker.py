"""The quick-log contact picker: /inbox/contacts/?q= (htmx fragment, or a page without JavaScript)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.conversations.selectors import CONTACT_PICKER_LIMIT
from tests.followups.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def search(client, q, **headers):
    return client.get(reverse("followups:contact_search"), {"q": q}, **{**HTMX, **headers})


def found_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="contact" value="(\d+)"', response.content.decode())]


@pytest.fixture
def haneul(db):
    return ContactFactory(
        client=ClientFactory(name="한빛 물류"), name="김하늘", email="haneul@hanbit.example", phone="010-1234-5678"
    )


def test_a_korean_given_name_finds_the_contact_by_part_of_the_full_name(other_client, haneul):
    ContactFactory(name="이서준")
    response = search(other_client, "하늘")
    assert response.status_code == 200
    assert found_ids(response) == [haneul.pk]
    content = response.content.decode()
    assert "김하늘" in content and "한빛 물류" in content and "haneul@hanbit.example" in content
    assert "010-1234-5678" in content
    assert "<html" not in content  # a fragment for htmx to swap in


@pytest.mark.parametrize("query", ["한빛", "물류", "HANBIT.example", "1234-56", "한빛 하늘"])
def test_the_client_name_email_and_phone_also_find_the_contact(other_client, haneul, query):
    ContactFactory(name="Someone else", client=ClientFactory(name="Blue Harbor Coffee"), phone="02-555-0000")
    assert found_ids(search(other_client, query)) == [haneul.pk]


@pytest.mark.parametrize("query", ["01012345678", "010 1234 5678", "12345678", "(010)1234-5678"])
def test_a_phone_number_typed_any_way_finds_the_contact(other_client, haneul, query):
    ContactFactory(name="Someone else", phone="02-1234-0000")
    assert found_ids(search(other_client, query)) == [haneul.pk]


def test_a_national_number_finds_the_international_form(other_client):
    abroad = ContactFactory(name="Jisoo", phone="+82 10-9876-5432")
    ContactFactory(name="Other", phone="010-9876-0000")
    assert found_ids(search(other_client, "01098765432")) == [abroad.pk]


def test_every_word_must_match(other_client, haneul):
    assert found_ids(search(other_client, "하늘 coffee")) == []
    assert "No customer of an active client matches" in search(other_client, "하늘 coffee").content.decode()


def test_contacts_of_archived_clients_are_not_offered(other_client, haneul):
    archived = ContactFactory(name="김하늘", client=ClientFactory(name="Closed Co", archived_at=timezone.now()))
    ids = found_ids(search(other_client, "하늘"))
    assert ids == [haneul.pk]
    assert archived.pk not in ids


def test_names_are_shown_as_text_not_markup(other_client):
    ContactFactory(
        name="<script>alert(1)</script>",
        client=ClientFactory(name='<img src=x onerror="alert(2)">'),
        email="x@example.com",
    )
    for headers in (HTMX, {"HTTP_HX_REQUEST": ""}):
        content = other_client.get(reverse("followups:contact_search"), {"q": "script"}, **headers).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in content  # markupsafe writes " as &#34;
        assert "<script>alert" not in content and "<img src=x" not in content


def test_markup_in_the_query_is_shown_as_text(other_client):
    content = search(other_client, "<b>nobody</b>").content.decode()
    assert "&lt;b&gt;nobody&lt;/b&gt;" in content and "<b>nobody" not in content


def test_results_are_capped_and_say_there_are_more(other_client):
    client = ClientFactory(name="Big Customer")
    ContactFactory.create_batch(CONTACT_PICKER_LIMIT + 5, client=client)
    response = search(other_client, "big")
    assert len(found_ids(response)) == CONTACT_PICKER_LIMIT == 20
    assert "Showing the first 20 matches" in response.content.decode()
    narrowed = search(other_client, "big contact")
    assert len(found_ids(narrowed)) == CONTACT_PICKER_LIMIT


def test_an_empty_query_offers_nobody_without_querying_contacts(other_client, haneul, django_assert_num_queries):
    # 1 session, 2 user, 3-4 user and group permissions (the navigation context processor):
    # no contact query for an empty box.
    with django_assert_num_queries(4):
        response = search(other_client, "  ")
    assert found_ids(response) == []
    assert "No customer" not in response.content.decode()


@pytest.mark.parametrize("query", ["many", "many people", "Pe"])
def test_a_search_is_five_queries_whatever_the_number_of_contacts(other_client, query, django_assert_num_queries):
    ContactFactory.create_batch(30, client=ClientFactory(name="Many People"))
    # 1 session, 2 user, 3-4 user and group permissions (the navigation context processor),
    # 5 the contacts matching every word (each word through the search indexes) with their
    # clients (at most 21 rows).
    with django_assert_num_queries(5):
        response = search(other_client, query)
    assert len(found_ids(response)) == 20


def test_the_picker_requires_login(client, haneul):
    response = search(client, "하늘")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "김하늘" not in response.content.decode()


def test_without_javascript_the_picker_is_a_page_that_hands_the_choice_to_the_inbox(other_client, haneul):
    response = other_client.get(reverse("followups:contact_search"), {"q": "하늘"})
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    content = response.content.decode()
    assert "<html" in content and "Choose the customer" in content
    assert f'action="{reverse("followups:inbox")}"' in content
    assert found_ids(response) == [haneul.pk]

    inbox = other_client.get(reverse("followups:inbox"), {"contact": haneul.pk})
    assert inbox.context["log_form"].chosen_contact == haneul
    assert re.search(rf'name="contact" value="{haneul.pk}" checked', inbox.content.decode())


def test_the_inbox_ignores_a_preselected_contact_of_an_archived_client(other_client):
    archived = ContactFactory(name="김하늘", client=ClientFactory(archived_at=timezone.now()))
    for value in (archived.pk, "abc", "999999"):
        response = other_client.get(reverse("followups:inbox"), {"contact": value})
        assert response.status_code == 200
        assert response.context["log_form"].chosen_contact is None
        assert 'name="contact" value=' not in response.content.decode()


def test_only_get_is_allowed(other_client):
    assert other_client.post(reverse("followups:contact_search"), {"q": "x"}).status_code == 405


def test_the_picker_speaks_korean(other_client, haneul):
    content = search(other_client, "없는이름", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "“없는이름”와(과) 일치하는 활성 고객사의 고객이 없습니다." in content
    page = other_client.get(reverse("followups:inbox"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "이름, 회사, 이메일 또는 전화번호의 일부를 입력한 뒤 고객을 선택하세요." in page


def test_a_customer_already_chosen_stays_chosen_when_searching_again(other_client, haneul):
    other = ContactFactory(name="이서준", client=ClientFactory(name="Blue Harbor"))
    response = other_client.get(reverse("followups:contact_search"), {"q": "서준", "contact": haneul.pk}, **HTMX)
    assert found_ids(response) == [haneul.pk, other.pk]
    content = response.content.decode()
    assert re.search(rf'value="{haneul.pk}" checked', content)
    assert not re.search(rf'value="{other.pk}" checked', content)
    # Found again by the new words, the chosen customer is listed once.
    assert found_ids(
        other_client.get(reverse("followups:contact_search"), {"q": "하늘", "contact": haneul.pk}, **HTMX)
    ) == [haneul.pk]
    # Nothing else matches: the chosen one stays, with the "no match" line.
    response = other_client.get(reverse("followups:contact_search"), {"q": "zzz", "contact": haneul.pk}, **HTMX)
    assert found_ids(response) == [haneul.pk] and "No customer of an active client matches" in response.content.decode()
    # An archived client's contact, or garbage, is not kept.
    assert found_ids(other_client.get(reverse("followups:contact_search"), {"q": "zzz", "contact": "x1"}, **HTMX)) == []
