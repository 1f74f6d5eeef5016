"""The contact form (issue 18): what a visitor's post becomes, the spam filters that keep what they
catch, the rate limits (429), framing of the embedded form, and the managers' pages."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from clients.models import Client, Contact
from followups.models import Conversation, UnknownSender, WebFormSettings, WebSubmission
from followups.webform.spam import fill_token
from tests.factories import ClientFactory, ContactFactory, ManagerFactory

SEOUL = dt.timezone(dt.timedelta(hours=9))
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=SEOUL)  # a business day


@pytest.fixture
def manager(db):
    # The triage client's owner answers visitors nobody knows.
    return ManagerFactory(username="boss", first_name="서연", last_name="김")


def visitor_ip() -> str:
    """A fresh address per test, so rate counters in the shared cache never carry over."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def shown(seconds_ago: float) -> str:
    """The token of a form shown `seconds_ago` (signed then, as the page would have been)."""
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=seconds_ago), tick=False):
        return fill_token()


def post(client, data=None, *, url="/contact/", seconds_ago=10, ip=None, **extra):
    form = {
        "name": "Lee Hana",
        "email": f"hana.{uuid.uuid4().hex[:8]}@visitor.example",
        "phone": "010-1234-5678",
        "company": "Hana Bakery",
        "message": "We need an online ordering page for our bakery.\nCan you help?",
        "consent": "on",
        "website": "",
        "started": shown(seconds_ago),
        **(data or {}),
    }
    return client.post(url, form, REMOTE_ADDR=ip or visitor_ip(), **extra), form


def test_the_form_is_in_the_visitors_language_with_every_field(client, db):
    page = client.get("/contact/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    for field in ("name", "email", "phone", "company", "message", "attachments", "consent", "website", "started"):
        assert f'name="{field}"' in page
    assert "문의하기" in page or "연락" in page  # the heading in Korean
    assert 'name="started"' in page and 'class="hp-field"' in page
    english = client.get("/contact/?lang=en").content.decode()
    assert "Contact us" in english


def test_an_unknown_visitor_becomes_a_prospect_with_a_running_clock_and_an_acknowledgement(client, manager):
    with time_machine.travel(MONDAY_10, tick=False):
        response, form = post(client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"].startswith("/contact/thanks/")
    submission = WebSubmission.objects.get()
    assert submission.status == "accepted" and submission.language == "en"
    contact = Contact.objects.get(email=form["email"])
    assert contact.client.status == Client.Status.PROSPECT and contact.client.name == "Hana Bakery"
    assert contact.client.account_owner == manager and contact.phone == "010-1234-5678"
    conversation = Conversation.objects.get(client=contact.client)
    assert conversation.channel == "web_form" and conversation.status == "waiting_on_us"
    assert conversation.subject == "We need an online ordering page for our bakery."
    assert conversation.reply_due_at == dt.datetime(2026, 11, 30, 18, 0, tzinfo=SEOUL)  # 8 business hours
    (ack,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT)
    assert ack.to == [form["email"]] and ack.language == "en"
    assert "We will answer by Mon 30 Nov 2026, 18:00 KST." in ack.text_body
    assert "/my/" in ack.text_body  # the self-service link


def test_the_acknowledgement_is_in_korean_for_a_korean_visitor(client, manager):
    with time_machine.travel(MONDAY_10, tick=False):
        post(client, HTTP_ACCEPT_LANGUAGE="ko")
    (ack,) = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT)
    assert ack.language == "ko"
    assert "2026년 11월 30일 (월) 오후 6:00 KST" in ack.text_body


def test_a_known_address_joins_its_contacts_client(client, manager):
    contact = ContactFactory(email="Minji@Customer.example", preferred_language="ko")
    post(client, {"email": "minji@customer.example"})
    conversation = Conversation.objects.get()
    assert conversation.client == contact.client and conversation.contact == contact
    assert Client.objects.filter(status=Client.Status.PROSPECT).count() == 0


def test_the_manager_may_send_unknown_visitors_to_triage(client, manager):
    WebFormSettings.objects.update_or_create(pk=1, defaults={"unknown_visitors": "triage"})
    _response, form = post(client)
    conversation = Conversation.objects.get()
    assert conversation.client.is_placeholder
    assert UnknownSender.objects.get(conversation=conversation).address == form["email"]
    assert not Contact.objects.filter(email=form["email"]).exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"website": "http://spam.example"}, "honeypot"),
        ({"started": "forged"}, "bad_token"),
        ({"started": ""}, "bad_token"),
    ],
)
def test_what_the_filters_catch_is_kept_not_answered(client, manager, change, reason):
    response, _form = post(client, change)
    assert response.status_code == 302  # the same thank-you page: a robot learns nothing
    submission = WebSubmission.objects.get()
    assert submission.status == "filtered" and submission.filter_reason == reason
    assert not Conversation.objects.exists() and not OutboundEmail.objects.exists()


def test_a_too_fast_submission_gets_the_form_back(client, manager):
    # A person who was quick loses nothing (tests/followups/webform/test_fill_token.py).
    response, _form = post(client, seconds_ago=1)
    assert response.status_code == 400 and not WebSubmission.objects.exists()


def test_an_expired_form_is_filtered(client, manager, settings):
    post(client, seconds_ago=settings.CONTACT_FORM_MAX_AGE_SECONDS + 60)
    assert WebSubmission.objects.get().filter_reason == "bad_token"


def test_a_manager_releases_a_filtered_message_into_the_inbox(client, manager_client, manager):
    post(client, {"website": "x", "name": "<script>alert(1)</script>"})
    submission = WebSubmission.objects.get()
    page = manager_client.get("/contact/filtered/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    response = manager_client.post(f"/contact/filtered/{submission.pk}/release/")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "released" and submission.released_by == manager
    assert submission.conversation.status == "waiting_on_us"
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT).count() == 1
    again = manager_client.post(f"/contact/filtered/{submission.pk}/release/", follow=True)
    assert "not in the filtered list" in again.content.decode()


def test_staff_who_are_not_managers_cannot_see_or_release_filtered_messages(owner_client, client, manager):
    post(client, {"website": "x"})
    submission = WebSubmission.objects.get()
    assert owner_client.get("/contact/filtered/").status_code == 403
    assert owner_client.post(f"/contact/filtered/{submission.pk}/release/").status_code == 403
    assert WebSubmission.objects.get().status == "filtered"


def test_thirty_posts_a_minute_from_one_address_are_refused_with_429(client, manager, settings):
    settings.CONTACT_FORM_RATE_PER_IP = "10/m"
    ip = visitor_ip()
    # The clock stands still: the limit counts per minute window, and on a busy machine the thirty
    # posts once spanned the end of a window (the eleventh of the new one got through).
    with time_machine.travel(timezone.now(), tick=False):
        codes = [post(client, ip=ip)[0].status_code for _ in range(30)]
    assert codes[:10] == [302] * 10
    assert set(codes[10:]) == {429}
    assert WebSubmission.objects.count() == 10
    page = post(client, ip=ip)[0].content.decode()
    assert "Too many requests" in page


def test_one_email_address_from_many_places_is_limited_too(client, manager, settings):
    settings.CONTACT_FORM_RATE_PER_EMAIL = "5/h"
    email = f"flood.{uuid.uuid4().hex[:8]}@visitor.example"
    codes = [post(client, {"email": email})[0].status_code for _ in range(8)]
    assert codes == [302] * 5 + [429] * 3
    assert WebSubmission.objects.filter(email=email).count() == 5


def test_length_limits_and_missing_consent_give_clear_errors_and_store_nothing(client, manager):
    response, _form = post(client, {"message": "x" * 5001, "consent": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 5000 characters" in page and "This field is required" in page
    assert 'value="Lee Hana"' in page  # what the visitor typed stays in the form
    assert not WebSubmission.objects.exists()


def test_attachments_are_stored_and_limited(client, manager, settings):
    files = [SimpleUploadedFile("brief.pdf", b"%PDF-1.4 brief", content_type="application/pdf")]
    response, _form = post(client, {"attachments": files})
    assert response.status_code == 302
    (attachment,) = WebSubmission.objects.get().attachments.all()
    assert attachment.filename == "brief.pdf" and attachment.size == 14
    settings.CONTACT_FORM_MAX_FILES = 1
    two = [SimpleUploadedFile(f"f{i}.txt", b"x") for i in range(2)]
    response, _form = post(client, {"attachments": two})
    assert response.status_code == 400 and "Attach at most 1 files." in response.content.decode()


def test_the_embedded_form_may_be_framed_only_by_the_allowed_origins(client, db, settings):
    settings.CONTACT_FORM_ALLOWED_ORIGINS = ["https://www.agency.example"]
    embedded = client.get("/contact/embed/")
    assert "frame-ancestors https://www.agency.example" in embedded["Content-Security-Policy"]
    assert "X-Frame-Options" not in embedded
    assert "navbar" not in embedded.content.decode()
    page = client.get("/contact/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"] and page["X-Frame-Options"] == "DENY"
    settings.CONTACT_FORM_ALLOWED_ORIGINS = []
    assert "frame-ancestors 'none'" in client.get("/contact/embed/")["Content-Security-Policy"]


def test_managers_get_the_embed_snippet_and_choose_what_happens_to_unknown_visitors(manager_client, settings):
    settings.SITE_URL = "https://crm.agency.example"
    page = manager_client.get("/contact/settings/").content.decode()
    assert "&lt;iframe src=&quot;https://crm.agency.example/contact/embed/&quot;" in page or (
        '&lt;iframe src="https://crm.agency.example/contact/embed/"' in page
    )
    response = manager_client.post("/contact/settings/", {"unknown_visitors": "triage"})
    assert response.status_code == 302
    assert WebFormSettings.load().unknown_visitors == "triage"


def test_a_visitor_whose_message_cannot_be_processed_is_kept_for_release(client, db):
    # No staff account exists to own a prospect: the post is kept, not lost.
    response, form = post(client)
    assert response.status_code == 302
    submission = WebSubmission.objects.get()
    assert submission.status == "filtered" and submission.filter_reason == "error"
    assert submission.email == form["email"]
    ClientFactory()  # brings a staff account; releasing now works
    ManagerFactory(username="late-boss")
    from followups.webform.services import submission_release

    assert submission_release(submission=submission, actor=None).status == "released"


def test_staff_see_what_the_visitor_gave_on_the_conversation_page(client, owner_client, manager):
    files = [SimpleUploadedFile("brief<1>.pdf", b"%PDF-1.4 brief", content_type="application/pdf")]
    post(client, {"company": "<b>Hana</b> Bakery", "attachments": files})
    conversation = Conversation.objects.get()
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "010-1234-5678" in page and "&lt;b&gt;Hana&lt;/b&gt; Bakery" in page
    (attachment,) = WebSubmission.objects.get().attachments.all()
    assert f"/contact/attachments/{attachment.pk}/" in page
    download = owner_client.get(f"/contact/attachments/{attachment.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 brief"
