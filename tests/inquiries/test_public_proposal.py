"""The client's signed link: read by GET, accepted by POST exactly once, tamper- and expiry-proof."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import timezone

from clients.models import TimelineEvent
from inquiries import services
from inquiries.models import Inquiry, Proposal
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(owner, settings):
    settings.AGENCY_HOURLY_RATE = D(100000)
    inquiry = InquiryFactory(
        owner=owner, title="치과 예약 앱", assumptions="Hosting is paid by the client\n<b>No</b> CMS"
    )
    for title, priority, (o, m, p) in [
        ("온라인 예약", "must", (10, 20, 30)),  # E 20
        ("관리자 화면", "must", (20, 40, 60)),  # E 40
        ("카카오 알림톡", "should", (5, 10, 15)),  # E 10
        ("<script>alert('x')</script>", "could", (10, 30, 50)),  # E 30
        ("Native iOS app", "wont", (100, 200, 300)),
    ]:
        ScopeItemFactory(
            inquiry=inquiry, title=title, priority=priority, optimistic_hours=o, likely_hours=m, pessimistic_hours=p
        )
    return services.proposal_send(inquiry=inquiry, actor=owner)


def _url(proposal):
    return f"/p/{proposal.link_token}/"


def _want(proposal, title):
    return next(i["id"] for i in proposal.snapshot["items"] if i["title"] == title)


def test_the_client_reads_needs_wants_outs_and_assumptions_without_logging_in(client, proposal):
    response = client.get(_url(proposal))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ["온라인 예약", "관리자 화면", "카카오 알림톡", "Native iOS app", "Hosting is paid by the client"]:
        assert text in body
    assert "KRW 6,000,000" in body  # the car: 60 h
    assert "KRW 10,000,000" in body  # the flying car: 100 h
    assert "KRW 1,000,000" in body  # the SMS want on its own
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert "<b>No</b>" not in body
    assert "csrfmiddlewaretoken" in body
    assert 'name="robots" content="noindex' in body


def test_opening_the_link_changes_nothing(client, proposal):
    client.get(_url(proposal))
    client.head(_url(proposal))
    proposal.refresh_from_db()
    assert not proposal.is_accepted
    assert proposal.inquiry.status == Inquiry.Status.PROPOSAL_SENT


def test_accept_the_car_plus_one_want(client, proposal):
    sms = _want(proposal, "카카오 알림톡")
    response = client.post(_url(proposal) + "accept/", {"name": "박지훈", "wants": [sms]})
    assert response.status_code == 302 and response["Location"] == _url(proposal)
    proposal.refresh_from_db()
    inquiry = Inquiry.objects.get(pk=proposal.inquiry_id)
    assert inquiry.status == Inquiry.Status.WON
    assert inquiry.accepted_total == D(7_000_000)
    assert proposal.accepted_item_ids == [sms] and proposal.accepted_by_name == "박지훈"
    body = client.get(_url(proposal)).content.decode()
    assert "KRW 7,000,000" in body and 'data-testid="accept"' not in body
    assert TimelineEvent.objects.filter(client=inquiry.client, kind="proposal.accepted").count() == 1


def test_a_replayed_or_second_accept_changes_nothing(client, proposal):
    url = _url(proposal) + "accept/"
    client.post(url, {"name": "First", "wants": []})
    events = TimelineEvent.objects.count()
    replay = client.post(url, {"name": "First", "wants": []})
    second = client.post(url, {"name": "Second", "wants": [_want(proposal, "카카오 알림톡")]})
    assert replay.status_code == second.status_code == 409
    assert "already been accepted" in second.content.decode()
    proposal.refresh_from_db()
    assert proposal.accepted_by_name == "First" and proposal.accepted_total == D(6_000_000)
    assert TimelineEvent.objects.count() == events


def test_accept_is_post_only(client, proposal):
    assert client.get(_url(proposal) + "accept/").status_code == 405
    proposal.refresh_from_db()
    assert not proposal.is_accepted


def test_accept_needs_the_csrf_token(proposal):
    browser = HttpClient(enforce_csrf_checks=True)
    response = browser.post(_url(proposal) + "accept/", {"name": "No token"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert not proposal.is_accepted
    # With the token from the page it works.
    browser.get(_url(proposal))
    token = browser.cookies["csrftoken"].value
    response = browser.post(_url(proposal) + "accept/", {"name": "With token", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_accept_needs_a_name_and_offered_items_only(client, proposal):
    response = client.post(_url(proposal) + "accept/", {"name": "  "})
    assert response.status_code == 400
    wont = next(i["id"] for i in proposal.snapshot["items"] if i["priority"] == "wont")
    response = client.post(_url(proposal) + "accept/", {"name": "X", "wants": [wont]})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert not proposal.is_accepted


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: "x" + t,  # payload changed
        lambda t: t.split(":")[0],  # signature cut off
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_link_shows_a_friendly_page_and_changes_nothing(client, proposal, mangle):
    token = mangle(proposal.link_token)
    response = client.get(f"/p/{token}/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    response = client.post(f"/p/{token}/accept/", {"name": "Mallory"})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert not proposal.is_accepted


def test_a_link_signed_for_an_unknown_proposal_is_404(client, proposal):
    token = services.proposal_link_token(key="no-such-proposal")
    assert client.get(f"/p/{token}/").status_code == 404


def test_an_expired_link_shows_a_friendly_page_and_changes_nothing(client, proposal, settings):
    settings.PROPOSAL_LINK_MAX_AGE_DAYS = 30
    with time_machine.travel(timezone.now() + timedelta(days=29, hours=23)):
        assert client.get(_url(proposal)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=30, minutes=1)):
        response = client.get(_url(proposal))
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        response = client.post(_url(proposal) + "accept/", {"name": "Late"})
        assert response.status_code == 410
    proposal.refresh_from_db()
    assert not proposal.is_accepted


def test_an_old_version_stays_readable_but_cannot_be_accepted(client, proposal, owner):
    inquiry = proposal.inquiry
    ScopeItemFactory(inquiry=inquiry, title="새 기능", priority="must")
    v2 = services.proposal_send(inquiry=inquiry, actor=owner)
    old = client.get(_url(proposal)).content.decode()
    assert "새 기능" not in old and "A newer version" in old and 'data-testid="accept"' not in old
    assert client.post(_url(proposal) + "accept/", {"name": "X"}).status_code == 409
    assert "새 기능" in client.get(_url(v2)).content.decode()
    assert not Proposal.objects.filter(accepted_at__isnull=False).exists()


def test_staff_see_the_frozen_version_after_editing(owner_client, proposal):
    item = proposal.inquiry.scope_items.get(title="온라인 예약")
    item.title = "온라인 예약 v2"
    item.save()
    body = owner_client.get(f"/inquiries/{proposal.inquiry_id}/proposals/1/").content.decode()
    assert "온라인 예약 v2" not in body and "온라인 예약" in body


def test_the_public_page_runs_a_constant_number_of_queries(client, proposal, django_assert_num_queries):
    # the proposal by its key (+ inquiry, client), the latest version number
    with django_assert_num_queries(2):
        assert client.get(_url(proposal)).status_code == 200


def test_the_staff_proposal_page_runs_a_constant_number_of_queries(owner_client, proposal, django_assert_num_queries):
    # session, user, the version (+ inquiry, client, contact, sender), and the navigation's role
    # check (user permissions, group permissions)
    with django_assert_num_queries(5):
        assert owner_client.get(f"/inquiries/{proposal.inquiry_id}/proposals/1/").status_code == 200
