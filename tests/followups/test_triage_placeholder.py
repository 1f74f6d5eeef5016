"""The triage placeholder "Unknown senders (triage)" is not a customer (issue 14, point 8): it holds
unknown senders' conversations until someone attaches them, and stays out of the client list, its
count, the CSV export, search and every picker; triage has its own page."""

import pytest

from clients.models import Client, Contact
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource
from tests.followups.care_factories import default_checkin_plans  # noqa: F401
from tests.followups.factories import ClientFactory, ContactFactory

from .mailin_support import build_email

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def triage(manager):
    """A stranger's email (the triage client is created), plus a real customer of the same owner."""
    email = mail_ingest(
        raw=build_email(from_="Stranger <new.lead@somewhere.example>", subject="Website quote?").as_bytes(),
        source=MailSource.IMAP,
    ).email
    placeholder = email.conversation.client
    # Someone once added a contact to it by hand: it must not be offered either.
    ContactFactory(client=placeholder, name="Unknown Kim", email="kim@unknown.example")
    customer = ClientFactory(name="Unknown Pleasures Records", account_owner=manager)
    ContactFactory(client=customer, name="Unknown Lee", email="lee@records.example")
    return {"placeholder": placeholder, "customer": customer, "conversation": email.conversation}


def test_the_triage_client_is_marked_as_a_placeholder(triage):
    assert triage["placeholder"].is_placeholder
    assert not triage["customer"].is_placeholder
    assert list(Client.objects.customers()) == [triage["customer"]]


def test_it_is_not_in_the_client_list_or_its_count(manager_client, triage):
    response = manager_client.get("/clients/")
    assert [c.name for c in response.context["page"]] == ["Unknown Pleasures Records"]
    assert response.context["page"].paginator.count == 1
    assert "Unknown senders (triage)" not in response.content.decode()


def test_it_is_not_in_the_csv_export(manager_client, triage):
    csv_text = b"".join(manager_client.get("/clients/export.csv").streaming_content).decode()
    assert "Unknown Pleasures Records" in csv_text
    assert "Unknown senders" not in csv_text and "Unknown Kim" not in csv_text


def test_it_is_not_found_by_the_client_and_contact_search(manager_client, triage):
    html = manager_client.get("/search/", {"q": "Unknown"}).content.decode()
    # The words found are highlighted: <mark>Unknown</mark> Pleasures Records.
    assert "</mark> Pleasures Records" in html and "</mark> Lee" in html
    assert "senders (triage)" not in html and "</mark> Kim" not in html


def test_it_is_not_offered_by_the_inbox_contact_picker(manager_client, triage):
    html = manager_client.get("/inbox/contacts/", {"q": "Unknown"}).content.decode()
    assert "Unknown Lee" in html and "Unknown Kim" not in html
    kim = Contact.objects.get(name="Unknown Kim")
    response = manager_client.get("/inbox/", {"contact": kim.pk})
    assert "Unknown Kim" not in response.content.decode()


def test_it_is_not_offered_by_the_inquiry_form(manager_client, triage):
    form = manager_client.get("/inquiries/new/").context["form"]
    assert list(form.fields["client"].queryset) == [triage["customer"]]
    assert [c.name for c in form.fields["contact"].queryset] == ["Unknown Lee"]
    response = manager_client.post(
        "/inquiries/new/",
        {"title": "Sneaky", "client": triage["placeholder"].pk, "source": "email", "problem": "x", "owner": 1},
    )
    assert "client" in response.context["form"].errors


def test_it_is_not_offered_by_the_checkin_start_form(manager_client, triage):
    html = manager_client.get("/checkins/").content.decode()
    assert "Unknown Pleasures Records" in html and "Unknown senders (triage)" not in html


def test_it_is_not_offered_when_attaching_an_unknown_sender(manager_client, triage):
    html = manager_client.get(triage["conversation"].get_absolute_url()).content.decode()
    assert "Unknown Lee" in html and "Unknown Kim" not in html


def test_triage_has_its_own_page(manager_client, triage):
    html = manager_client.get("/mail/unknown-senders/").content.decode()
    assert "new.lead@somewhere.example" in html and "Website quote?" in html
    assert triage["conversation"].get_absolute_url() in html
    # The placeholder's own page says what it is and points there.
    html = manager_client.get(f"/clients/{triage['placeholder'].pk}/").content.decode()
    assert "/mail/unknown-senders/" in html


def test_the_triage_page_has_a_constant_number_of_queries(manager_client, triage, django_assert_num_queries):
    for n in range(5):
        mail_ingest(raw=build_email(from_=f"s{n}@strangers.example").as_bytes(), source=MailSource.IMAP)
    manager_client.get("/")
    # 1 session, 2 user, 3-4 the user's and group permissions (navigation: is_manager), 5 COUNT,
    # 6 the page of unknown senders with their conversations and owners, 7 the "could not import"
    # count of the mail navigation.
    with django_assert_num_queries(7):
        html = manager_client.get("/mail/unknown-senders/").content.decode()
    assert html.count('data-unknown-sender="') == 6


def test_a_reply_in_triage_goes_only_to_its_own_sender(manager_client, triage):
    """The placeholder's contacts are strangers to each other: the composer offers no other."""
    conversation = triage["conversation"]
    form = manager_client.get(conversation.get_absolute_url()).context["reply_form"]
    expected = [conversation.contact_id] if conversation.contact_id else []
    assert [pk for pk, _label in form.fields["to"].choices] == expected
    kim = Contact.objects.get(name="Unknown Kim")
    conversation.contact = kim
    conversation.save()
    form = manager_client.get(conversation.get_absolute_url()).context["reply_form"]
    assert [pk for pk, _label in form.fields["to"].choices] == [kim.pk]
    stranger = ContactFactory(client=triage["placeholder"], name="Unknown Park", email="park@unknown.example")
    response = manager_client.post(
        f"/conversations/{conversation.pk}/reply/", {"channel": "email", "body": "Hi", "to": [stranger.pk]}
    )
    assert response.status_code == 400  # not a choice
