"""Inbound email pages: received mail, one email, attachment downloads, the "could not import"
list, and the unknown-sender triage on the conversation page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from clients.models import Client, TimelineEvent
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import InboundEmail, MailImportFailure, MailSource, UnknownSender
from followups.models import Conversation, ResponseWait
from tests.followups.factories import ClientFactory, ContactFactory

from .mailin_support import build_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def contact(owner):
    client = ClientFactory(name="Hanbit Logistics", account_owner=owner)
    return ContactFactory(client=client, name="Kim Minji", email="minji@customer.example")


def ingest(message):
    return mail_ingest(raw=message.as_bytes(), source=MailSource.IMAP).email


def test_the_received_mail_page_takes_a_constant_number_of_queries(
    other_client, contact, manager, django_assert_num_queries
):
    ingest(build_email(from_="minji@customer.example"))
    url = reverse("followups:mail_list")
    # session, user, the user's permissions (navigation: is_manager), the user's group
    # permissions, paginator count, the page of emails (conversation and client joined,
    # attachments counted), the mailbox state, the "could not import" count.
    expected = 8
    with django_assert_num_queries(expected):
        assert other_client.get(url).status_code == 200
    for n in range(5):
        message = build_email(from_="stranger@x.example" if n % 2 else "minji@customer.example", subject=f"S{n}")
        message.add_attachment(b"data", maintype="application", subtype="pdf", filename="a.pdf")
        ingest(message)
    ingest(build_email(from_="MAILER-DAEMON@mx.example", subject="bounce"))
    with django_assert_num_queries(expected):
        response = other_client.get(url)
    assert len(response.context["page"].object_list) == 7


def test_the_mail_page_filters_come_from_an_allow_list(other_client, contact):
    ingest(build_email(from_="minji@customer.example", subject="person"))
    ingest(build_email(from_="minji@customer.example", subject="robot", headers={"Auto-Submitted": "auto-replied"}))
    url = reverse("followups:mail_list")
    subjects = lambda response: [e.subject for e in response.context["page"].object_list]  # noqa: E731
    assert subjects(other_client.get(url, {"show": "automatic"})) == ["robot"]
    assert subjects(other_client.get(url, {"show": "customer"})) == ["person"]
    assert sorted(subjects(other_client.get(url, {"show": "'; DROP TABLE"}))) == ["person", "robot"]


def test_hostile_subject_and_html_are_shown_as_text_and_in_a_sandbox(other_client, contact):
    email = ingest(
        build_email(
            from_="minji@customer.example",
            subject="<script>alert('subject')</script>",
            body=None,
            html="<p>Hi</p><script>alert('body')</script><img src=x onerror=alert(1)><img src='https://t.example/p.gif'>",
        )
    )
    response = other_client.get(reverse("followups:mail_detail", args=[email.pk]))
    page = response.content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;subject&#x27;)&lt;/script&gt;" in page
    assert 'sandbox=""' in page
    assert "onerror" not in page and "t.example" not in page
    assert email.html_body.strip() == "<p>Hi</p><img><img>"

    conversation_page = other_client.get(email.conversation.get_absolute_url()).content.decode()
    assert "<script>alert(" not in conversation_page


def test_attachments_download_as_attachments_never_inline(other_client, contact):
    message = build_email(from_="minji@customer.example")
    message.add_attachment(b"<svg onload='alert(1)'/>", maintype="image", subtype="svg+xml", filename="logo.svg")
    message.add_attachment(b"<html><script>alert(1)</script>", maintype="text", subtype="html", filename="x.html")
    email = ingest(message)
    svg, html = email.attachments.order_by("id")

    for attachment, content in ((svg, b"<svg onload='alert(1)'/>"), (html, b"<html><script>alert(1)</script>")):
        response = other_client.get(reverse("followups:mail_attachment", args=[attachment.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert attachment.filename in response["Content-Disposition"]
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == content


def test_unknown_or_unstored_attachments_give_404(other_client, contact, settings):
    settings.MAILIN_MAX_ATTACHMENT_BYTES = 10
    message = build_email(from_="minji@customer.example")
    message.add_attachment(b"x" * 100, maintype="application", subtype="zip", filename="big.zip")
    big = ingest(message).attachments.get()
    assert other_client.get(reverse("followups:mail_attachment", args=[big.pk])).status_code == 404
    assert other_client.get(reverse("followups:mail_attachment", args=[999999])).status_code == 404
    assert other_client.get(reverse("followups:mail_detail", args=[999999])).status_code == 404


def test_the_could_not_import_list_shows_failures_and_retries_them(other_client, contact, django_assert_num_queries):
    get_user_model().objects.exclude(username="other").update(is_active=False)
    other = get_user_model().objects.get(username="other")
    other.is_active = False
    other.save()
    for n in range(3):
        mail_ingest(raw=build_email(from_=f"s{n}@x.example", subject=f"<b>fail {n}</b>").as_bytes(), source="imap")
    other.is_active = True
    other.save()
    other_client.force_login(other)
    url = reverse("followups:mail_failures")
    # session, user, permissions, group permissions, paginator count, the page of failures.
    with django_assert_num_queries(6):
        response = other_client.get(url)
    page = response.content.decode()
    assert "&lt;b&gt;fail 0&lt;/b&gt;" in page and "<b>fail" not in page
    failure = MailImportFailure.objects.order_by("id").first()

    original = other_client.get(reverse("followups:mail_failure_download", args=[failure.pk]))
    assert original["Content-Disposition"].startswith("attachment;")
    assert b"fail 0" in b"".join(original.streaming_content)

    response = other_client.post(reverse("followups:mail_failure_retry", args=[failure.pk]))
    email = InboundEmail.objects.get()
    assert response.status_code == 302 and response["Location"] == email.conversation.get_absolute_url()
    failure.refresh_from_db()
    assert failure.resolved_at is not None
    assert len(other_client.get(url).context["page"].object_list) == 2
    assert other_client.post(reverse("followups:mail_failure_retry", args=[999999])).status_code == 404
    assert other_client.get(reverse("followups:mail_failure_retry", args=[failure.pk])).status_code == 405


def test_staff_attach_an_unknown_sender_to_an_existing_contact(other_client, other_staff, contact, manager):
    email = ingest(build_email(from_="Minji at home <minji.home@gmail.example>", subject="From my phone"))
    conversation = email.conversation
    triage_client = conversation.client
    page = other_client.get(conversation.get_absolute_url()).content.decode()
    assert "Unknown sender" in page and "minji.home@gmail.example" in page

    response = other_client.post(
        reverse("followups:attach_sender", args=[conversation.pk]), {"action": "attach", "contact": contact.pk}
    )

    assert response.status_code == 302
    conversation = Conversation.objects.get(pk=conversation.pk)
    assert (conversation.client, conversation.contact, conversation.owner) == (
        contact.client,
        contact,
        contact.client.account_owner,
    )
    assert conversation.messages.get().author_contact == contact
    assert UnknownSender.objects.get(conversation=conversation).resolved_by == other_staff
    assert not TimelineEvent.objects.filter(client=triage_client, data__conversation_id=conversation.pk).exists()
    assert TimelineEvent.objects.filter(client=contact.client, kind="conversation.sender_attached").exists()
    assert ResponseWait.objects.get(conversation=conversation).is_open
    assert "Unknown sender" not in other_client.get(conversation.get_absolute_url()).content.decode()
    # Attaching twice is refused.
    other_client.post(
        reverse("followups:attach_sender", args=[conversation.pk]), {"action": "attach", "contact": contact.pk}
    )
    assert Conversation.objects.get(pk=conversation.pk).client == contact.client


def test_staff_create_a_client_from_an_unknown_sender(other_client, other_staff, manager):
    conversation = ingest(build_email(from_="Lee Jiwoo <jiwoo@newco.example>")).conversation

    other_client.post(
        reverse("followups:attach_sender", args=[conversation.pk]),
        {"action": "create", "client_name": "NewCo", "contact_name": "Lee Jiwoo", "account_owner": other_staff.pk},
    )

    client = Client.objects.get(name="NewCo")
    contact = client.contacts.get()
    assert (contact.name, contact.email) == ("Lee Jiwoo", "jiwoo@newco.example")
    conversation = Conversation.objects.get(pk=conversation.pk)
    assert (conversation.client, conversation.contact, conversation.owner) == (client, contact, other_staff)
    # The next email from this address finds the new contact.
    assert ingest(build_email(from_="jiwoo@newco.example")).conversation.contact == contact


def test_an_invalid_triage_form_changes_nothing(other_client, manager):
    conversation = ingest(build_email(from_="x@y.example")).conversation
    response = other_client.post(
        reverse("followups:attach_sender", args=[conversation.pk]), {"action": "create", "client_name": ""}
    )
    assert response.status_code == 302
    assert UnknownSender.objects.get(conversation=conversation).is_open
    assert other_client.post(reverse("followups:attach_sender", args=[999999]), {}).status_code == 404
