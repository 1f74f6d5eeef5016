"""Staff pages: list, create, detail, scope items, status, discovery, send."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from clients.models import Client
from inquiries import services
from inquiries.models import DiscoveryQuestion, Inquiry, Proposal, ScopeItem
from tests.factories import ClientFactory, UserFactory
from tests.inquiries.factories import DiscoveryQuestionFactory, InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db


def _item(inquiry, title, priority, o, m, p, **kw):
    return ScopeItemFactory(
        inquiry=inquiry, title=title, priority=priority, optimistic_hours=o, likely_hours=m, pessimistic_hours=p, **kw
    )


# --- list ----------------------------------------------------------------------------------------
def test_list_runs_a_constant_number_of_queries(owner_client, owner, django_assert_num_queries):
    for _ in range(3):
        inquiry = InquiryFactory(owner=owner)
        _item(inquiry, "a", "must", 1, 2, 3)
    InquiryFactory(owner=UserFactory(), status="won")

    def load():
        # session, user, owners for the filter, status counts, page count, page rows (with
        # client, owner, contact and the item count), and the navigation's role check (user
        # permissions, group permissions)
        with django_assert_num_queries(8):
            return owner_client.get("/inquiries/")

    response = load()
    assert response.status_code == 200
    for _ in range(10):
        inquiry = InquiryFactory()
        _item(inquiry, "b", "could", 1, 2, 3)
    response = load()
    assert response.content.decode().count('href="/inquiries/') >= 14


def test_list_filters_by_status_and_owner(owner_client, owner, other_staff):
    mine = InquiryFactory(owner=owner, title="Mine in discovery", status="discovery")
    InquiryFactory(owner=other_staff, title="Theirs in discovery", status="discovery")
    InquiryFactory(owner=owner, title="Mine and won", status="won")
    body = owner_client.get("/inquiries/", {"status": "discovery", "owner": owner.pk}).content.decode()
    assert mine.title in body and "Theirs in discovery" not in body and "Mine and won" not in body


def test_unknown_filter_values_are_ignored(owner_client, owner):
    InquiryFactory(owner=owner, title="Visible")
    response = owner_client.get("/inquiries/", {"status": "drop table", "owner": "x", "sort": "-password"})
    assert response.status_code == 200 and "Visible" in response.content.decode()


# --- create --------------------------------------------------------------------------------------
def test_staff_record_an_inquiry_for_a_new_prospect(owner_client, owner):
    response = owner_client.post(
        "/inquiries/new/",
        {
            "title": "예약 시스템",
            "new_client_name": "강남 요가",
            "new_contact_name": "한지민",
            "new_contact_email": "jimin@yoga.example",
            "source": "kakao",
            "problem": "전화로만 예약을 받아요",
            "goal": "노쇼 줄이기",
            "owner": owner.pk,
            "budget_min": "5000000",
            "budget_max": "10000000",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inquiries/{inquiry.pk}/"
    assert inquiry.client.name == "강남 요가" and inquiry.client.status == Client.Status.PROSPECT
    assert inquiry.contact.name == "한지민"


def test_create_needs_a_client_or_a_prospect_name(owner_client, owner):
    response = owner_client.post(
        "/inquiries/new/", {"title": "x", "problem": "y", "source": "email", "owner": owner.pk}
    )
    assert response.status_code == 200
    assert "Choose a client or enter the name of a new prospect." in response.content.decode()
    assert not Inquiry.objects.exists()


def test_inverted_budget_and_non_positive_rate_are_rejected(owner_client, owner):
    client = ClientFactory()
    response = owner_client.post(
        "/inquiries/new/",
        {
            "title": "x",
            "client": client.pk,
            "problem": "y",
            "source": "email",
            "owner": owner.pk,
            "budget_min": "10",
            "budget_max": "5",
            "hourly_rate": "0",
        },
    )
    body = response.content.decode()
    assert "The upper budget cannot be below the lower one." in body
    assert "The hourly rate must be positive." in body
    assert not Inquiry.objects.exists()


# --- detail --------------------------------------------------------------------------------------
def test_detail_runs_a_constant_number_of_queries(owner_client, owner, django_assert_num_queries):
    inquiry = InquiryFactory(owner=owner)
    DiscoveryQuestionFactory()
    _item(inquiry, "a", "must", 1, 2, 3)
    services.proposal_send(inquiry=inquiry, actor=owner)

    def load():
        # session, user, inquiry (+client, contact, owner), scope items, proposals (+sent_by),
        # discovery answers, active discovery questions, the growth item it was started from
        # (followups' growth_origin tag), the navigation's role check (user permissions, group
        # permissions), and the Tasks card: the inquiry's open tasks and the colleagues a task can
        # be for
        with django_assert_num_queries(12):
            return owner_client.get(f"/inquiries/{inquiry.pk}/")

    assert load().status_code == 200
    for n in range(5):
        _item(inquiry, f"more {n}", "should", 1, 2, 3)
        DiscoveryQuestionFactory()
    services.proposal_send(inquiry=inquiry, actor=owner)
    assert load().status_code == 200


def test_unknown_inquiry_is_404(owner_client):
    assert owner_client.get("/inquiries/999999/").status_code == 404
    assert owner_client.get("/inquiries/999999/proposals/1/").status_code == 404


def test_detail_shows_car_and_flying_car_and_warns_about_too_many_musts(owner_client, owner, settings):
    settings.AGENCY_HOURLY_RATE = D(100000)
    settings.TEAM_CAPACITY_HOURS_PER_WEEK = D(40)
    inquiry = InquiryFactory(owner=owner)
    _item(inquiry, "로그인", "must", 10, 20, 30)  # E 20
    _item(inquiry, "예약", "must", 20, 40, 60)  # E 40
    _item(inquiry, "알림", "should", 5, 10, 15)  # E 10 -> musts 60/70 = 85.7%
    body = owner_client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "로그인" in body and "예약" in body
    assert 'data-testid="must-share-warning"' in body and "85.7%" in body
    assert "KRW 6,000,000" in body  # car: 60 h
    assert "KRW 7,000,000" in body  # flying car: 70 h
    assert "40–80 h" in body  # car range: 60 ± 2 x 10
    # Another want brings Musts to 60 / 100 = 60%: no warning.
    _item(inquiry, "포인트", "could", 10, 30, 50)
    body = owner_client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert 'data-testid="must-share-warning"' not in body


def test_markup_in_customer_text_is_escaped(owner_client, owner):
    inquiry = InquiryFactory(owner=owner, title="<script>alert(1)</script>", problem="<b>bold</b>")
    _item(inquiry, "<img src=x onerror=alert(2)>", "must", 1, 2, 3, description="<i>x</i>")
    body = owner_client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "<b>bold</b>" not in body and "<i>x</i>" not in body


# --- scope items ---------------------------------------------------------------------------------
def _item_post(**overrides):
    data = {
        "title": "결제",
        "description": "카드 결제",
        "priority": "must",
        "phase": "first",
        "optimistic_hours": "8",
        "likely_hours": "12",
        "pessimistic_hours": "20",
    }
    return data | overrides


def test_adding_a_scope_item_with_korean_text(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    response = owner_client.post(f"/inquiries/{inquiry.pk}/items/add/", _item_post())
    assert response.status_code == 302
    item = ScopeItem.objects.get()
    assert (item.title, item.likely_hours) == ("결제", D(12))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"optimistic_hours": "-1"}, "Estimates cannot be negative."),
        ({"optimistic_hours": "13"}, "The optimistic estimate cannot be larger than the most likely one."),
        ({"pessimistic_hours": "10"}, "The most likely estimate cannot be larger than the pessimistic one."),
    ],
)
def test_bad_estimates_are_rejected_with_a_clear_message(owner_client, owner, overrides, message):
    inquiry = InquiryFactory(owner=owner)
    response = owner_client.post(f"/inquiries/{inquiry.pk}/items/add/", _item_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ScopeItem.objects.exists()


def test_editing_an_item_and_reordering(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    first = _item(inquiry, "first", "must", 1, 2, 3, position=0)
    second = _item(inquiry, "second", "must", 1, 2, 3, position=1)
    response = owner_client.post(
        f"/inquiries/{inquiry.pk}/items/{first.pk}/edit/", _item_post(title="first, renamed", priority="could")
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.title, first.priority) == ("first, renamed", "could")
    owner_client.post(f"/inquiries/{inquiry.pk}/items/{second.pk}/move/", {"direction": "up"})
    assert list(inquiry.scope_items.values_list("pk", flat=True)) == [second.pk, first.pk]
    assert owner_client.post(f"/inquiries/{inquiry.pk}/items/{second.pk}/move/", {"direction": "x"}).status_code == 404


def test_an_item_of_another_inquiry_is_404(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    other_item = _item(InquiryFactory(), "other", "must", 1, 2, 3)
    assert owner_client.get(f"/inquiries/{inquiry.pk}/items/{other_item.pk}/edit/").status_code == 404
    assert owner_client.post(f"/inquiries/{inquiry.pk}/items/{other_item.pk}/delete/").status_code == 404
    assert ScopeItem.objects.filter(pk=other_item.pk).exists()


def test_deleting_an_item(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    item = _item(inquiry, "gone", "must", 1, 2, 3)
    assert owner_client.get(f"/inquiries/{inquiry.pk}/items/{item.pk}/delete/").status_code == 405
    owner_client.post(f"/inquiries/{inquiry.pk}/items/{item.pk}/delete/")
    assert not ScopeItem.objects.exists()


# --- status, discovery, delivery ---------------------------------------------------------------------
def test_status_lost_requires_a_reason(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    response = owner_client.post(f"/inquiries/{inquiry.pk}/status/", {"status": "lost"})
    assert response.status_code == 400 and "Say why the inquiry was lost." in response.content.decode()
    owner_client.post(f"/inquiries/{inquiry.pk}/status/", {"status": "lost", "lost_reason": "Budget"})
    inquiry.refresh_from_db()
    assert inquiry.status == "lost"


def test_discovery_answers_and_progress(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    questions = [DiscoveryQuestionFactory(), DiscoveryQuestionFactory()]
    owner_client.post(f"/inquiries/{inquiry.pk}/discovery/", {f"q{questions[0].pk}": "사장님과 직원 3명"})
    body = owner_client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "사장님과 직원 3명" in body
    total = DiscoveryQuestion.objects.filter(is_active=True).count()  # the built-in six and ours
    assert f"1 of {total} answered" in body


def test_delivery_date_is_recorded_for_a_won_inquiry(owner_client, owner):
    inquiry = InquiryFactory(owner=owner, status="won")
    response = owner_client.post(f"/inquiries/{inquiry.pk}/delivered/", {"delivered_on": "2026-12-24"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.delivered_on.isoformat() == "2026-12-24"


# --- sending -------------------------------------------------------------------------------------
def test_sending_shows_the_link_to_copy_and_emails_the_contact(owner_client, owner):
    from agency_crm.outbox import OutboundEmail

    inquiry = InquiryFactory(owner=owner)
    _item(inquiry, "a", "must", 1, 2, 3)
    response = owner_client.post(f"/inquiries/{inquiry.pk}/proposals/send/", follow=True)
    proposal = Proposal.objects.get()
    assert response.redirect_chain[-1][0] == f"/inquiries/{inquiry.pk}/proposals/1/"
    link = f"http://testserver/p/{proposal.link_token}/"
    assert link in response.content.decode()
    email = OutboundEmail.objects.get(kind="proposal")
    assert email.to == [inquiry.contact.email] and link in email.text_body


def test_sending_without_a_must_shows_an_error(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    response = owner_client.post(f"/inquiries/{inquiry.pk}/proposals/send/", follow=True)
    assert "Add at least one Must item before sending a proposal." in response.content.decode()
    assert not Proposal.objects.exists()


def test_send_is_post_only(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    assert owner_client.get(reverse("inquiries:proposal_send", args=[inquiry.pk])).status_code == 405


def test_editing_an_inquiry_keeps_its_client(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    assert owner_client.get(f"/inquiries/{inquiry.pk}/edit/").status_code == 200
    response = owner_client.post(
        f"/inquiries/{inquiry.pk}/edit/",
        {
            "title": "Renamed",
            "contact": inquiry.contact_id,
            "source": "email",
            "problem": "p",
            "owner": owner.pk,
            "hourly_rate": "150000",
            "currency": "krw",
        },
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.title, inquiry.hourly_rate, inquiry.currency) == ("Renamed", D(150000), "KRW")


def test_a_contact_of_another_client_is_refused_on_edit(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    stranger = InquiryFactory().contact
    response = owner_client.post(
        f"/inquiries/{inquiry.pk}/edit/",
        {"title": "x", "contact": stranger.pk, "source": "email", "problem": "p", "owner": owner.pk},
    )
    assert response.status_code == 200
    inquiry.refresh_from_db()
    assert inquiry.contact_id != stranger.pk


def test_the_new_inquiry_page_refuses_methods_other_than_get_and_post(owner_client):
    # The method check belongs to the view (it once sat on a helper, which then handed the form
    # an HttpResponseNotAllowed as the preselected client: HEAD and PUT gave a 500).
    assert owner_client.head("/inquiries/new/").status_code == 405
    assert owner_client.put("/inquiries/new/").status_code == 405
