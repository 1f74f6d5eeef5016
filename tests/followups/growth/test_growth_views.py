"""The growth item pages: the check-in page's panel, Start an inquiry from this, Not now, Drop, and
the client page's list (who may, odd input, query counts)."""

import pytest
from django.contrib.messages import get_messages

from followups.care.models import Checkin
from followups.growth.models import GrowthItem
from inquiries.models import Inquiry
from tests.followups.care_factories import default_checkin_plans  # noqa: F401
from tests.followups.growth.support import delivered_inquiry

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(owner):
    inquiry, _items = delivered_inquiry(owner=owner)
    checkins = list(Checkin.objects.filter(schedule__inquiry=inquiry).order_by("sequence"))
    return inquiry, checkins


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_checkin_page_asks_about_each_open_want(owner_client, delivered):
    _inquiry, (first, *_rest) = delivered
    body = owner_client.get(f"/checkins/{first.pk}/").content.decode()
    panel = body.split('data-testid="growth-items"', 1)[1].split("</section>", 1)[0]
    assert "Last time they wanted: <strong>실시간 배송 추적</strong> — ask whether now is the time." in panel
    assert panel.count("data-growth-item=") == 3
    assert "Won&#x27;t have this time" in panel and "KRW 6,333,333" in panel
    assert f"/growth/{GrowthItem.objects.get(title='실시간 배송 추적').pk}/start/?checkin={first.pk}" in panel


def test_the_checkin_page_takes_the_same_queries_for_one_want_or_many(
    owner_client, owner, delivered, django_assert_num_queries
):
    _inquiry, (first, *_rest) = delivered
    owner_client.get(f"/checkins/{first.pk}/")
    # 1 session, 2 user, 3 the check-in with client, contact, owner, plan, inquiry, conversation,
    # 4-5 the user's and group permissions (owner change, navigation), 6 the colleagues of the
    # hand-over picker, 7 the growth items with their inquiries.
    with django_assert_num_queries(7):
        owner_client.get(f"/checkins/{first.pk}/")
    other, _items = delivered_inquiry(owner=owner, client=first.client)
    assert GrowthItem.objects.filter(client=first.client).count() == 6
    with django_assert_num_queries(7):
        response = owner_client.get(f"/checkins/{first.pk}/")
    assert response.content.decode().count("data-growth-item=") == 6


def test_the_checkin_list_links_each_checkin_to_its_page(owner_client, delivered):
    _inquiry, (first, *_rest) = delivered
    assert f'href="/checkins/{first.pk}/"' in owner_client.get("/checkins/").content.decode()


def test_growth_pages_need_a_login(client, delivered):
    _inquiry, (first, *_rest) = delivered
    item = GrowthItem.objects.first()
    for url in (f"/checkins/{first.pk}/", f"/growth/{item.pk}/start/"):
        assert client.get(url).url.startswith("/accounts/login/")
    for url in (f"/growth/{item.pk}/not-now/", f"/growth/{item.pk}/drop/", f"/growth/{item.pk}/start/"):
        assert client.post(url, {"checkin": first.pk}).url.startswith("/accounts/login/")
    assert GrowthItem.objects.filter(status="open").count() == 3 and Inquiry.objects.count() == 1


def test_unknown_ids_are_not_found(other_client):
    assert other_client.get("/checkins/999999/").status_code == 404
    assert other_client.get("/growth/999999/start/").status_code == 404
    assert other_client.post("/growth/999999/drop/").status_code == 404


def test_start_shows_the_want_prefilled_and_creates_the_inquiry(other_client, other_staff, delivered):
    inquiry, (first, *_rest) = delivered
    item = GrowthItem.objects.get(title="실시간 배송 추적")
    response = other_client.get(f"/growth/{item.pk}/start/", {"checkin": first.pk})
    form = response.context["form"]
    assert form["title"].value() == "실시간 배송 추적"
    assert form["source"].value() == "email"  # the check-in is an email
    assert form["problem"].value().startswith("Last time they wanted: 실시간 배송 추적.")
    assert "40 / 60 / 100 h" in response.content.decode()
    data = {"title": "배송 추적 v2", "source": "phone", "problem": "지금 필요해요", "checkin": first.pk}
    response = other_client.post(f"/growth/{item.pk}/start/", data)
    new = Inquiry.objects.exclude(pk=inquiry.pk).get()
    assert response.url == f"/inquiries/{new.pk}/"
    assert (new.title, new.owner, new.source) == ("배송 추적 v2", other_staff, "phone")
    assert GrowthItem.objects.get(pk=item.pk).started_inquiry == new
    origin = other_client.get(response.url).content.decode().split('data-testid="growth-origin"', 1)[1]
    assert origin.split("</p>", 1)[0].count("실시간 배송 추적") == 1 and f"/inquiries/{inquiry.pk}/" in origin
    # Once started, the page sends you back to the check-in.
    response = other_client.get(f"/growth/{item.pk}/start/", {"checkin": first.pk})
    assert response.url == f"/checkins/{first.pk}/"


def test_start_with_missing_or_odd_fields_shows_the_form_again(other_client, delivered):
    inquiry, (first, *_rest) = delivered
    item = GrowthItem.objects.get(title="Reviews page")
    good = {"title": "x", "source": "phone", "problem": "p"}
    for data in (
        {**good, "title": ""},
        {**good, "source": "fax"},
        {**good, "title": "x" * 201},
        {**good, "problem": ""},
    ):
        response = other_client.post(f"/growth/{item.pk}/start/", {**data, "checkin": "abc"})
        assert response.status_code == 400
    assert Inquiry.objects.count() == 1 and GrowthItem.objects.get(pk=item.pk).is_open


def test_not_now_needs_the_checkin_of_the_items_client(other_client, owner, delivered):
    _inquiry, (first, second, _third) = delivered
    item = GrowthItem.objects.get(title="Staff rota")
    _other, _items = delivered_inquiry(owner=owner)
    stranger = Checkin.objects.exclude(client=first.client).first()
    for checkin in ("", "abc", "٣", stranger.pk, 999999):
        response = other_client.post(f"/growth/{item.pk}/not-now/", {"checkin": checkin})
        assert response.url == f"/clients/{first.client_id}/"
        assert "choose it from a check-in" in _messages(response)[-1]
    assert GrowthItem.objects.get(pk=item.pk).resurface_on is None
    response = other_client.post(f"/growth/{item.pk}/not-now/", {"checkin": first.pk})
    assert response.url == f"/checkins/{first.pk}/"
    body = other_client.get(f"/checkins/{first.pk}/").content.decode()
    assert "Staff rota" not in body
    assert "Staff rota" in other_client.get(f"/checkins/{second.pk}/").content.decode()


def test_drop_from_the_client_page_and_twice(other_client, delivered):
    inquiry, _checkins = delivered
    item = GrowthItem.objects.get(title="Reviews page")
    response = other_client.post(f"/growth/{item.pk}/drop/")
    assert response.url == f"/clients/{inquiry.client_id}/"
    response = other_client.post(f"/growth/{item.pk}/drop/")
    assert "already been dealt with" in _messages(response)[-1]
    assert GrowthItem.objects.get(pk=item.pk).status == "dropped"


def test_get_on_the_actions_is_refused(other_client, delivered):
    item = GrowthItem.objects.first()
    assert other_client.get(f"/growth/{item.pk}/drop/").status_code == 405
    assert other_client.get(f"/growth/{item.pk}/not-now/").status_code == 405


def test_the_client_page_lists_the_growth_items(owner_client, delivered):
    inquiry, _checkins = delivered
    GrowthItem.objects.filter(title="Reviews page").update(status="dropped", closed_at=inquiry.created_at)
    body = owner_client.get(f"/clients/{inquiry.client_id}/").content.decode()
    card = body.split('data-testid="client-growth-items"', 1)[1].split("</section>", 1)[0]
    assert card.count("data-growth-item=") == 3
    # Open ones first, each with its actions; the dropped one last, without.
    assert card.index("실시간 배송 추적") < card.index("Reviews page")
    assert card.count("/start/") == 2
