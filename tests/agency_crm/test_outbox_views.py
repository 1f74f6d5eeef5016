"""The staff outbox pages: list with a status filter, preview, and the retry button."""

import datetime as dt

import pytest
from django.urls import reverse

from agency_crm.outbox import OutboundEmail
from clients.models import TimelineEvent
from tests.agency_crm.factories import OutboundEmailFactory
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

Status = OutboundEmail.Status


def test_anonymous_visitors_are_sent_to_login(client):
    email = OutboundEmailFactory()
    for url in (reverse("outbox_list"), reverse("outbox_detail", args=[email.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert client.post(reverse("outbox_retry", args=[email.pk])).status_code == 302


def test_the_list_shows_every_email_newest_first(owner_client):
    old = OutboundEmailFactory(subject="First")
    new = OutboundEmailFactory(subject="Second", status=Status.FAILED, last_error="550 no such user")
    response = owner_client.get(reverse("outbox_list"))
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"]] == [new.pk, old.pk]
    assert b"550 no such user" in response.content
    assert response.context["counts"]["failed"] == 1


def test_the_status_filter_comes_from_an_allow_list(owner_client):
    sent = OutboundEmailFactory(status=Status.SENT, sent_at="2026-01-01T00:00:00Z")
    OutboundEmailFactory(status=Status.FAILED)
    response = owner_client.get(reverse("outbox_list"), {"status": "sent"})
    assert [e.pk for e in response.context["page"]] == [sent.pk]
    response = owner_client.get(reverse("outbox_list"), {"status": "'; drop table"})
    assert response.status_code == 200
    assert response.context["status"] is None
    assert len(response.context["page"]) == 2


def test_the_list_has_a_constant_number_of_queries(owner_client, owner, django_assert_num_queries):
    for n in range(3):
        OutboundEmailFactory(client=ClientFactory(name=f"Client {n}", account_owner=owner))
    owner_client.get(reverse("outbox_list"))  # warm up
    for n in range(20):
        OutboundEmailFactory(client=ClientFactory(name=f"More {n}", account_owner=owner))
    # 1 session, 2 user, 3 count for the paginator, 4 counts per status, 5-6 the user's own and
    # group permissions (the manager menu check), 7 the page's emails with their clients joined.
    with django_assert_num_queries(7):
        response = owner_client.get(reverse("outbox_list"))
    assert len(response.context["page"]) == 23


def test_the_list_is_paginated(owner_client):
    OutboundEmailFactory.create_batch(51)
    response = owner_client.get(reverse("outbox_list"), {"page": 2})
    assert len(response.context["page"]) == 1
    assert owner_client.get(reverse("outbox_list"), {"page": "x"}).status_code == 200


def test_customer_text_in_the_list_is_escaped(owner_client):
    OutboundEmailFactory(subject="<script>alert(1)</script>", to=["a@example.com"])
    content = owner_client.get(reverse("outbox_list")).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_the_preview_shows_html_only_inside_a_sandboxed_iframe(owner_client):
    email = OutboundEmailFactory(
        subject="Hello <b>there</b>",
        text_body="Plain <i>text</i> & more",
        html_body='<p>Hi</p><img src=x onerror="alert(1)"><script>alert(2)</script>',
        headers={"Auto-Submitted": "auto-generated"},
    )
    response = owner_client.get(reverse("outbox_detail", args=[email.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    # The HTML part is not in the page: an iframe with an empty sandbox loads it from its own
    # address, which has a policy of its own (tests/agency_crm/test_security_headers.py).
    assert "alert(" not in content
    assert f'sandbox="" referrerpolicy="no-referrer" title="HTML preview" src="/outbox/{email.pk}/html/"' in content
    assert "Plain &lt;i&gt;text&lt;/i&gt; &amp; more" in content
    assert "Hello &lt;b&gt;there&lt;/b&gt;" in content
    assert "auto-generated" in content
    assert "Retry sending" not in content


def test_a_retrying_email_shows_when_the_outbox_gives_up(owner_client, settings):
    settings.OUTBOX_GIVE_UP_AFTER = 3 * 24 * 3600
    first = dt.datetime(2025, 11, 17, 9, 0, tzinfo=dt.UTC)
    email = OutboundEmailFactory(
        attempts=5, first_attempt_at=first, next_attempt_at=first + dt.timedelta(minutes=31), last_error="451"
    )
    response = owner_client.get(reverse("outbox_detail", args=[email.pk]))
    # Three days after the first attempt, shown in Asia/Seoul (09:00 UTC is 18:00 there).
    assert "gives up Thu 20 Nov 2025, 18:00" in response.content.decode()


def test_an_unknown_email_is_404(owner_client):
    assert owner_client.get(reverse("outbox_detail", args=[999999])).status_code == 404
    assert owner_client.post(reverse("outbox_retry", args=[999999])).status_code == 404


def test_staff_can_retry_a_failed_email(owner_client, owner, django_capture_on_commit_callbacks):
    customer = ClientFactory(account_owner=owner)
    email = OutboundEmailFactory(client=customer, status=Status.FAILED, attempts=6, last_error="550 rejected")
    page = owner_client.get(reverse("outbox_detail", args=[email.pk])).content.decode()
    assert "Retry sending" in page

    with django_capture_on_commit_callbacks() as callbacks:
        response = owner_client.post(reverse("outbox_retry", args=[email.pk]))

    assert response.status_code == 302
    assert response.url == reverse("outbox_detail", args=[email.pk])
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.PENDING, 0)
    assert len(callbacks) == 1  # delivery queued after the commit
    event = TimelineEvent.objects.get(client=customer, kind="email.retried")
    assert event.actor == owner


def test_retry_refuses_get_and_emails_that_did_not_fail(owner_client):
    email = OutboundEmailFactory(status=Status.SENT, sent_at="2026-01-01T00:00:00Z")
    assert owner_client.get(reverse("outbox_retry", args=[email.pk])).status_code == 405
    owner_client.post(reverse("outbox_retry", args=[email.pk]))
    email.refresh_from_db()
    assert email.status == Status.SENT


def test_the_user_menu_links_to_the_outbox(owner_client):
    content = owner_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("outbox_list")}"' in content


def test_the_related_partial_lists_an_objects_mail_with_failures_visible():
    from django.template.loader import render_to_string

    from agency_crm.outbox.selectors import outbox_for_related

    OutboundEmailFactory(related={"conversation_id": 1}, subject="Re: <one>")
    OutboundEmailFactory(related={"conversation_id": 1}, subject="Re: two", status=Status.FAILED, last_error="550 gone")
    OutboundEmailFactory(related={"conversation_id": 2}, subject="Other conversation")
    html = render_to_string(
        "agency_crm/outbox_related.html", {"outbound_emails": outbox_for_related(conversation_id=1)}
    )
    assert "Re: &lt;one&gt;" in html
    assert "550 gone" in html
    assert "Other conversation" not in html
