"""Sending a proposal says who it goes to, shows the link the email carried, and the customer gets
a confirmation after accepting, in their language (issue 14.1 and 14.9)."""

import re
from decimal import Decimal as D

import pytest
from django.test import Client as HttpClient

from agency_crm.outbox import OutboundEmail
from inquiries import services
from inquiries.models import Proposal
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry(owner, settings):
    settings.SITE_URL = "https://crm.example.com"
    settings.AGENCY_HOURLY_RATE = D(100000)
    inquiry = InquiryFactory(
        owner=owner, title="치과 예약 앱", contact__name="박지훈", contact__email="jh@clinic.example"
    )
    ScopeItemFactory(
        inquiry=inquiry,
        title="온라인 예약",
        priority="must",
        optimistic_hours=10,
        likely_hours=20,
        pessimistic_hours=30,
    )
    ScopeItemFactory(
        inquiry=inquiry,
        title="카카오 알림톡",
        priority="should",
        optimistic_hours=5,
        likely_hours=10,
        pessimistic_hours=15,
    )
    ScopeItemFactory(
        inquiry=inquiry,
        title="<b>Admin</b>",
        priority="could",
        optimistic_hours=5,
        likely_hours=10,
        pessimistic_hours=15,
    )
    return inquiry


def _email_link(email: OutboundEmail) -> str:
    return re.search(r"https://crm\.example\.com/p/[^\s\"<]+/", email.text_body).group(0)


def test_the_inquiry_page_says_who_the_proposal_will_be_emailed_to(owner_client, inquiry):
    body = owner_client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "It will be emailed to 박지훈 &lt;jh@clinic.example&gt;." in body


def test_without_an_email_address_the_page_says_to_send_the_link_yourself(owner_client, inquiry):
    inquiry.contact.email = ""
    inquiry.contact.save()
    body = owner_client.get(f"/inquiries/{inquiry.pk}/").content.decode()
    assert "has no email address" in body


def test_after_sending_the_page_names_the_recipient_and_shows_the_link_the_email_carried(owner_client, inquiry):
    response = owner_client.post(f"/inquiries/{inquiry.pk}/proposals/send/", follow=True)
    body = response.content.decode()
    assert "Proposal version 1 was emailed to 박지훈 &lt;jh@clinic.example&gt;." in body
    assert "Copy the link below and send it" not in body
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.PROPOSAL)
    link = _email_link(email)
    assert f'value="{link}"' in body  # the same link, built from SITE_URL, not from the request's host
    assert "a.m.." not in body and "p.m.." not in body


def test_without_an_email_address_sending_asks_staff_to_send_the_link(owner_client, inquiry):
    inquiry.contact.email = ""
    inquiry.contact.save()
    body = owner_client.post(f"/inquiries/{inquiry.pk}/proposals/send/", follow=True).content.decode()
    assert "has no email address: copy the link below and send it yourself." in body
    assert not OutboundEmail.objects.filter(kind=OutboundEmail.Kind.PROPOSAL).exists()


def test_the_emails_html_part_links_to_the_proposal(owner, inquiry):
    services.proposal_send(inquiry=inquiry, actor=owner)
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.PROPOSAL)
    link = _email_link(email)
    assert f'<a href="{link}"' in email.html_body


@pytest.mark.parametrize(
    ("language", "subject", "next_step"),
    [
        ("en", "Thank you: we received your acceptance of 치과 예약 앱", "will contact you within one business day"),
        ("ko", "감사합니다: 치과 예약 앱 제안서 수락을 접수했습니다", "1영업일 안에 연락드려"),
    ],
)
def test_the_customer_gets_a_confirmation_of_what_they_accepted(owner, inquiry, language, subject, next_step):
    inquiry.contact.preferred_language = language
    inquiry.contact.save()
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    want = next(i["id"] for i in proposal.snapshot["items"] if i["title"] == "카카오 알림톡")
    HttpClient().post(f"/p/{proposal.link_token}/accept/", {"name": "박지훈", "wants": [want]})
    proposal.refresh_from_db()
    assert proposal.is_accepted
    confirmation = OutboundEmail.objects.get(related__proposal_id=proposal.pk, template="proposal_accepted")
    assert confirmation.to == ["jh@clinic.example"]
    assert confirmation.language == language
    assert confirmation.subject == subject
    assert "온라인 예약" in confirmation.text_body and "카카오 알림톡" in confirmation.text_body
    assert "&lt;b&gt;Admin" not in confirmation.text_body  # not chosen, so not listed
    assert "KRW 3,000,000" in confirmation.text_body  # 20 h + 10 h at KRW 100,000
    assert next_step in confirmation.text_body
    assert "<b>Admin</b>" not in confirmation.html_body


def test_accepting_twice_sends_one_confirmation(owner, inquiry):
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    services.proposal_accept(proposal=proposal, accepted_by_name="박지훈", want_ids=[])
    with pytest.raises(services.ProposalNotAcceptable):
        services.proposal_accept(proposal=Proposal.objects.get(pk=proposal.pk), accepted_by_name="x", want_ids=[])
    assert OutboundEmail.objects.filter(template="proposal_accepted").count() == 1
