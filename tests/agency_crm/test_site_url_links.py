"""Absolute links are built from SITE_URL, never from the request's Host header (issue 15): with
a wildcard ALLOWED_HOSTS, a `Host: evil.example` request must not put evil.example into a
password reset email or a proposal link."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from inquiries import services
from tests.factories import UserFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forged_host(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://crm.example.com"
    return {"HTTP_HOST": "evil.example"}


def test_the_password_reset_link_comes_from_site_url(client, forged_host, mailoutbox):
    user = UserFactory(username="minji", email="minji@agency.example")
    response = client.post(reverse("password_reset"), {"email": user.email}, **forged_host)
    assert response.status_code == 302
    (email,) = mailoutbox
    assert "evil.example" not in email.subject + email.body
    (link,) = [line for line in email.body.splitlines() if "/accounts/reset/" in line]
    assert link.startswith("https://crm.example.com/accounts/reset/")
    # ...and it is a working link: it leads to the set-password form.
    page = client.get(urlsplit(link).path, follow=True)
    assert page.status_code == 200 and "new_password1" in page.content.decode()


def test_the_proposal_link_shown_to_staff_comes_from_site_url(owner_client, owner, forged_host):
    inquiry = InquiryFactory(owner=owner)
    ScopeItemFactory(inquiry=inquiry)
    proposal = services.proposal_send(inquiry=inquiry, actor=owner)
    response = owner_client.get(reverse("inquiries:proposal", args=[inquiry.pk, proposal.number]), **forged_host)
    assert response.context["public_url"] == "https://crm.example.com" + proposal.get_public_url()
    assert "evil.example" not in response.content.decode()
