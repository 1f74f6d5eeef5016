"""Customer-only links (feedback, unsubscribe) are hidden wherever staff see an email (issue 15):
the outbox preview (text, HTML and headers), a customer's reply quoting our email in the
conversation and on the received-mail page. The stored email keeps them: the customer needs them.
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from agency_crm.outbox.redaction import hide_customer_links, hide_customer_links_html
from followups.care.checkins import checkin_handle_due
from followups.care.links import feedback_url, unsubscribe_url
from followups.conversations.services import message_receive
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource
from tests.agency_crm.factories import OutboundEmailFactory
from tests.followups.care_factories import (  # noqa: F401
    CheckinFactory,
    FeedbackRequestFactory,
    default_checkin_plans,
)
from tests.followups.factories import ConversationFactory
from tests.followups.mailin_support import build_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(owner):
    feedback = FeedbackRequestFactory(client__account_owner=owner, contact__email="emma@customer.example")
    return feedback, feedback_url(feedback), unsubscribe_url(feedback.contact)


def _token(url: str) -> str:
    return urlsplit(url).path.strip("/").split("/")[-1]


def test_the_outbox_preview_hides_feedback_and_unsubscribe_links(client, owner, manager, links):
    feedback, feedback_link, unsubscribe_link = links
    text = f"How are we doing?\n{feedback_link}\n\nUnsubscribe here:\n{unsubscribe_link}\nhttp://testserver/\n"
    html = f'<p><a href="{feedback_link}">{feedback_link}</a></p><p><a href="{unsubscribe_link}">stop</a></p>'
    email = OutboundEmailFactory(
        client=feedback.client,
        kind=OutboundEmail.Kind.CHECKIN,
        text_body=text,
        html_body=html,
        headers={"List-Unsubscribe": f"<{unsubscribe_link}>"},
    )
    for user in (owner, manager):
        client.force_login(user)
        page = client.get(reverse("outbox_detail", args=[email.pk])).content.decode()
        frame = client.get(reverse("outbox_html", args=[email.pk])).content.decode()  # the HTML preview
        for shown in (page, frame):
            assert _token(feedback_link) not in shown and _token(unsubscribe_link) not in shown
        assert page.count("[feedback link hidden]") == 1  # the text part
        assert page.count("[unsubscribe link hidden]") == 2  # the text part and the header
        assert frame.count("[feedback link hidden]") == 2 and frame.count("[unsubscribe link hidden]") == 1
        assert "http://testserver" in page  # other links, e.g. the agency's site, stay
    stored = OutboundEmail.objects.get(pk=email.pk)
    assert (stored.text_body, stored.html_body) == (text, html)
    assert stored.headers["List-Unsubscribe"] == f"<{unsubscribe_link}>"


def test_a_real_check_in_email_shows_no_token_to_staff(owner_client, owner):
    checkin = CheckinFactory(client__account_owner=owner, contact__email="emma@customer.example")
    checkin_handle_due(checkin_id=checkin.pk, now=timezone.now())
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.CHECKIN)
    assert "/feedback/" in email.text_body and "/unsubscribe/" in email.text_body
    page = owner_client.get(reverse("outbox_detail", args=[email.pk])).content.decode()
    assert "/feedback/" not in page and "/unsubscribe/" not in page


def test_a_reply_quoting_our_email_hides_the_links_in_the_conversation(owner_client, owner, links):
    feedback, feedback_link, _unsubscribe = links
    conversation = ConversationFactory(client=feedback.client, contact=feedback.contact)
    message_receive(
        conversation=conversation, body=f"Thanks!\n\n> Tell us how we did: {feedback_link}", channel="email"
    )
    page = owner_client.get(reverse("followups:conversation", args=[conversation.pk])).content.decode()
    assert _token(feedback_link) not in page and "[feedback link hidden]" in page
    assert "Thanks!" in page


def test_the_received_mail_page_hides_quoted_links(owner_client, settings, tmp_path, links):
    settings.MEDIA_ROOT = tmp_path
    _feedback, feedback_link, unsubscribe_link = links
    message = build_email(
        from_="emma@customer.example",
        body=f"Fine, thanks.\n> {feedback_link}\n> {unsubscribe_link}",
        html=f'<p>Fine</p><blockquote><a href="{feedback_link}">rate us</a></blockquote>',
    )
    inbound = mail_ingest(raw=message.as_bytes(), source=MailSource.IMAP).email
    page = owner_client.get(reverse("followups:mail_detail", args=[inbound.pk])).content.decode()
    assert _token(feedback_link) not in page and _token(unsubscribe_link) not in page
    assert "[feedback link hidden]" in page and "[unsubscribe link hidden]" in page


def test_hiding_covers_any_host_and_leaves_other_links_alone(links):
    _feedback, feedback_link, _unsubscribe = links
    token = _token(feedback_link)
    text = (
        f"a http://testserver/feedback/{token}/ b https://crm.example.com/feedback/{token} "
        f"c /feedback/{token}/. d https://example.com/p/abc:def/ e https://example.com/feedbackform/"
    )
    hidden = hide_customer_links(text)
    assert token not in hidden
    assert hidden.count("[feedback link hidden]") == 3
    assert hidden.endswith("d https://example.com/p/abc:def/ e https://example.com/feedbackform/")
    assert "[feedback link hidden]." in hidden  # the sentence's full stop stays


def test_the_html_variant_escapes_its_label(links):
    _feedback, feedback_link, _unsubscribe = links
    html = hide_customer_links_html(f'<a href="{feedback_link}">x</a>')
    assert html == '<a href="[feedback link hidden]">x</a>'
    assert hide_customer_links("") == "" and hide_customer_links(None) == ""
