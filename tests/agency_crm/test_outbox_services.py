"""outbox_enqueue: rendering in the customer's language inside the agency layout, the stored row,
headers, and delivery scheduled only when the caller's transaction commits."""

import pytest
from django.db import transaction
from django.utils.translation import gettext_lazy

from agency_crm.outbox import OutboundEmail, outbox_enqueue, outbox_enqueue_rendered
from agency_crm.outbox.services import email_render
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def enqueue(**overrides):
    kwargs = {
        "to": ["jiwoo@customer.example"],
        "subject": "Re: Login page",
        "template": "message",
        "context": {"body": "Hello Jiwoo,\nWe fixed it."},
        "kind": "reply",
    }
    kwargs.update(overrides)
    return outbox_enqueue(**kwargs)


def test_enqueue_stores_a_pending_row_with_both_parts_and_the_signature(settings):
    settings.AGENCY_NAME = "Hanbit Studio"
    settings.MANAGEMENT_EMAIL = "ceo@hanbit.example"
    client = ClientFactory()

    email = enqueue(client=client, related={"conversation_id": 7})

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert email.attempts == 0
    assert email.to == ["jiwoo@customer.example"]
    assert email.client == client
    assert email.related == {"conversation_id": 7}
    assert email.text_body.startswith("Hello Jiwoo,\nWe fixed it.\n\n-- \nHanbit Studio\n")
    assert "ceo@hanbit.example" in email.text_body
    assert "reaches our management directly" in email.text_body
    assert "<p>Hello Jiwoo,<br>We fixed it.</p>" in email.html_body
    assert 'href="mailto:ceo@hanbit.example"' in email.html_body
    assert "Hanbit Studio" in email.html_body
    assert OutboundEmail.objects.filter(related__conversation_id=7).get() == email


def test_message_id_uses_the_configured_domain_and_is_unique(settings):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "crm.hanbit.example"
    first, second = enqueue(), enqueue()
    assert first.message_id.startswith("<") and first.message_id.endswith("@crm.hanbit.example>")
    assert first.message_id != second.message_id


def test_the_text_part_is_not_html_escaped_and_the_html_part_is():
    email = enqueue(context={"body": "Tom & Jerry's <script>alert(1)</script>"})
    assert "Tom & Jerry's <script>alert(1)</script>" in email.text_body
    assert "<script>" not in email.html_body
    assert "Tom &amp; Jerry&#x27;s &lt;script&gt;alert(1)&lt;/script&gt;" in email.html_body


def test_customer_mail_is_rendered_in_the_contacts_language():
    email = enqueue(language="ko", subject=gettext_lazy("Change password"))
    assert email.language == "ko"
    # The layout's own strings and a lazy subject follow the requested language, not the
    # language of whoever triggered the email.
    assert email.subject == "비밀번호 변경"
    assert '<html lang="ko">' in email.html_body


def test_an_unknown_language_falls_back_to_the_default(settings):
    assert enqueue(language="fr").language == settings.LANGUAGE_CODE


def test_a_reply_carries_in_reply_to_and_references():
    email = enqueue(in_reply_to="<c2@customer.example>", references=["<c1@customer.example>"])
    assert email.in_reply_to == "<c2@customer.example>"
    assert email.references == ["<c1@customer.example>", "<c2@customer.example>"]


def test_automatic_mail_is_marked_auto_submitted_and_checkins_can_be_unsubscribed():
    email = enqueue(kind="checkin", automatic=True, unsubscribe_url="https://crm.example/u/abc")
    assert email.headers["Auto-Submitted"] == "auto-generated"
    assert email.headers["List-Unsubscribe"] == "<https://crm.example/u/abc>"
    staff_reply = enqueue()
    assert "Auto-Submitted" not in staff_reply.headers


def test_a_subject_cannot_inject_headers():
    email = enqueue(subject="Hello\r\nBcc: victim@example.com")
    assert email.subject == "Hello Bcc: victim@example.com"


@pytest.mark.parametrize(
    "overrides",
    [
        {"to": []},
        {"to": ["not an address"]},
        {"to": ["ok@example.com"], "reply_to": "nope"},
        {"kind": "spam"},
        {"unsubscribe_url": "javascript:alert(1)"},
    ],
)
def test_bad_input_is_refused_before_anything_is_stored(overrides):
    with pytest.raises(ValueError):
        enqueue(**overrides)
    assert not OutboundEmail.objects.exists()


def test_without_an_html_template_the_text_is_shown_escaped_in_the_layout(tmp_path, settings):
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "only_text.txt").write_text("Dear {{ name }}, <b>not bold</b>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    text, html = email_render(template="only_text", context={"name": "Kim & Lee"}, language="en")
    assert text.startswith("Dear Kim & Lee, <b>not bold</b>")
    assert "<p>Dear Kim &amp; Lee, &lt;b&gt;not bold&lt;/b&gt;</p>" in html


def test_delivery_is_queued_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue()
    assert len(callbacks) == 1


def test_a_rolled_back_action_leaves_no_email_and_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue()
            raise RuntimeError("the action failed")
    assert callbacks == []
    assert not OutboundEmail.objects.exists()


def test_enqueue_rendered_takes_ready_parts():
    email = outbox_enqueue_rendered(
        to=["a@example.com"], subject="Weekly review", text="Numbers", html="<p>Numbers</p>", kind="weekly_review"
    )
    assert (email.text_body, email.html_body, email.kind) == ("Numbers", "<p>Numbers</p>", "weekly_review")
