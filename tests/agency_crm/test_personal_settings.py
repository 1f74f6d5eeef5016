"""Per-person settings at /settings/ (issue 17): every colleague sets their own language, name
order, summary email interval, instant notices and signature; managers see everyone's."""

import pytest

from agency_crm.preferences.models import Preferences
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _save(client, **values):
    data = {"language": "", "name_order": "auto", "email_interval_minutes": "", "signature": ""}
    data.update(values)
    return client.post("/settings/", data)


def test_a_colleague_saves_korean_and_the_ui_follows_them_on_their_next_login(client, owner):
    client.force_login(owner)
    assert "Your settings" in client.get("/settings/").content.decode()
    response = _save(client, language="ko", email_interval_minutes="120", instant_kinds=["conversation.assigned"])
    assert response.status_code == 302 and response["Location"] == "/settings/"
    prefs = Preferences.objects.get(user=owner)
    assert (prefs.language, prefs.email_interval_minutes, prefs.instant_kinds) == ("ko", 120, ["conversation.assigned"])
    assert "내 설정" in client.get("/settings/").content.decode()
    # Another device: a fresh login, an English browser; the saved language wins.
    client.logout()
    response = client.post("/accounts/login/", {"username": owner.username, "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "받은 메시지" in page


def test_the_language_switcher_saves_the_choice_for_a_signed_in_colleague(client, owner):
    client.force_login(owner)
    client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert Preferences.objects.get(user=owner).language == "ko"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert Preferences.objects.get(user=owner).language == "en"
    assert "Inbox" in client.get("/").content.decode()


def test_the_name_order_is_the_readers_choice(client, owner):
    client.force_login(owner)
    _save(client, name_order="given_first")
    assert "Minji Park" in client.get("/").content.decode()
    _save(client, name_order="family_first")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Park Minji" in page  # the owner's own name in the menu, family name first


def test_a_bad_interval_or_notice_kind_is_refused_with_a_message(client, owner):
    client.force_login(owner)
    response = _save(client, email_interval_minutes="7", instant_kinds=["nonsense"])
    assert response.status_code == 200
    assert not Preferences.objects.filter(user=owner).exists()
    assert "Select a valid choice" in response.content.decode()


def test_a_signature_is_plain_text(client, owner):
    client.force_login(owner)
    _save(client, signature="<script>alert(1)</script>\n박민지 드림")
    page = client.get("/settings/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_managers_see_everyones_settings_and_staff_do_not(client, manager, owner):
    Preferences.objects.create(user=owner, language="ko", email_interval_minutes=240, instant_kinds=["email.failed"])
    client.force_login(owner)
    assert client.get("/settings/people/").status_code == 403
    client.force_login(manager)
    page = client.get("/settings/people/").content.decode()
    assert "Minji Park" in page and "Korean" in page and "240 minutes" in page
    assert "An email could not be delivered" in page


def test_a_reply_by_email_carries_the_senders_signature(owner):
    from agency_crm.outbox.models import OutboundEmail
    from agency_crm.preferences.services import preferences_save
    from followups.conversations.models import Channel
    from followups.conversations.services import conversation_reply, conversation_start, message_receive
    from tests.factories import ClientFactory, ContactFactory

    preferences_save(user=owner, changes={"signature": "Minji Park\nProject lead"})
    customer = ClientFactory(account_owner=owner)
    contact = ContactFactory(client=customer, email="buyer@customer.example")
    conversation = conversation_start(
        client=customer, subject="Menu", channel=Channel.EMAIL, actor=owner, contact=contact
    )
    message_receive(conversation=conversation, body="Hello?", channel=Channel.EMAIL, contact=contact)
    conversation_reply(conversation=conversation, author=owner, body="Hello!", channel=Channel.EMAIL)
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.REPLY)
    assert "Hello!\n\n-- \nMinji Park\nProject lead" in email.text_body
    assert "Project lead" in email.html_body
