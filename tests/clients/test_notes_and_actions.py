"""Everyday actions on the client page (issue 14, point 13): "New inquiry" and "Email this
contact", and notes that their author or a manager can edit or delete, audited on the timeline."""

import pytest
from django.test import Client as Browser

from clients.models import Note, TimelineEvent
from clients.services import note_add
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(owner):
    client = ClientFactory(account_owner=owner, name="Hanbit Logistics")
    ContactFactory(client=client, name="Kim Minji", email="minji@hanbit.example")
    ContactFactory(client=client, name="Park (no email)", email="")
    return client


def test_the_client_page_offers_new_inquiry_and_email_this_contact(owner_client, customer):
    html = owner_client.get(f"/clients/{customer.pk}/").content.decode()
    assert f'href="/inquiries/new/?client={customer.pk}"' in html
    with_email = customer.contacts.get(name="Kim Minji")
    without = customer.contacts.get(name="Park (no email)")
    assert f'href="/contacts/{with_email.pk}/email/"' in html
    assert f'href="/contacts/{without.pk}/email/"' not in html


def test_new_inquiry_from_the_client_page_starts_with_that_client(owner_client, customer):
    form = owner_client.get("/inquiries/new/", {"client": customer.pk}).context["form"]
    assert form["client"].value() == customer.pk
    # Only the client's contacts are offered then.
    assert [c.name for c in form.fields["contact"].queryset] == ["Kim Minji", "Park (no email)"]


def test_the_new_inquiry_page_still_allows_only_get_and_post(owner_client, customer):
    # The preselected client must not move the method check off the view.
    assert owner_client.put(f"/inquiries/new/?client={customer.pk}").status_code == 405
    assert owner_client.delete("/inquiries/new/").status_code == 405
    assert owner_client.get("/inquiries/new/", {"client": "99999999999999999999"}).status_code == 200


def test_the_author_edits_a_note_and_the_timeline_says_who_when_and_what(owner_client, owner, customer):
    note = note_add(client=customer, author=owner, body="Budget is 5M won")
    response = owner_client.post(f"/clients/{customer.pk}/notes/{note.pk}/edit/", {"body": "Budget is 7M won"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Budget is 7M won"
    edited = TimelineEvent.objects.get(client=customer, kind="note.edited")
    assert edited.actor == owner and edited.data == {
        "note_id": note.pk,
        "before": "Budget is 5M won",
        "after": "Budget is 7M won",
    }
    assert "Budget is 5M won" in edited.body and "Budget is 7M won" in edited.body
    # The note as shown on the timeline is the current text.
    assert TimelineEvent.objects.get(client=customer, kind="note.added").body == "Budget is 7M won"


def test_the_author_deletes_a_note_and_the_timeline_keeps_the_record(owner_client, owner, customer):
    note = note_add(client=customer, author=owner, body="Wrong client, sorry")
    response = owner_client.post(f"/clients/{customer.pk}/notes/{note.pk}/delete/")
    assert response.status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()
    assert not TimelineEvent.objects.filter(client=customer, kind="note.added").exists()
    deleted = TimelineEvent.objects.get(client=customer, kind="note.deleted")
    assert deleted.actor == owner and deleted.body == "Wrong client, sorry"


def as_user(user) -> Browser:
    browser = Browser()
    browser.force_login(user)
    return browser


def test_only_the_author_or_a_manager_may_change_a_note(owner, other_staff, manager, customer):
    other_client, manager_client = as_user(other_staff), as_user(manager)
    note = note_add(client=customer, author=owner, body="Mine")
    assert other_client.post(f"/clients/{customer.pk}/notes/{note.pk}/edit/", {"body": "Theirs"}).status_code == 403
    assert other_client.post(f"/clients/{customer.pk}/notes/{note.pk}/delete/").status_code == 403
    note.refresh_from_db()
    assert note.body == "Mine"
    html = other_client.get(f"/clients/{customer.pk}/").content.decode()
    assert f"/notes/{note.pk}/edit/" not in html
    manager_client.post(f"/clients/{customer.pk}/notes/{note.pk}/edit/", {"body": "Fixed by a manager"})
    note.refresh_from_db()
    assert note.body == "Fixed by a manager"
    assert TimelineEvent.objects.get(kind="note.edited").actor == manager


def test_the_author_sees_edit_and_delete_on_their_note(owner_client, owner, customer):
    note = note_add(client=customer, author=owner, body="Mine")
    html = owner_client.get(f"/clients/{customer.pk}/").content.decode()
    assert f'href="/clients/{customer.pk}/notes/{note.pk}/edit/"' in html
    assert f'action="/clients/{customer.pk}/notes/{note.pk}/delete/"' in html


def test_an_empty_edit_is_refused(owner_client, owner, customer):
    note = note_add(client=customer, author=owner, body="Keep me")
    response = owner_client.post(f"/clients/{customer.pk}/notes/{note.pk}/edit/", {"body": "   "})
    assert response.status_code == 200 and "body" in response.context["form"].errors
    note.refresh_from_db()
    assert note.body == "Keep me"


def test_a_note_of_another_client_is_404(owner_client, owner, customer):
    note = note_add(client=ClientFactory(account_owner=owner), author=owner, body="Elsewhere")
    assert owner_client.post(f"/clients/{customer.pk}/notes/{note.pk}/delete/").status_code == 404


def test_each_note_anchor_is_on_one_timeline_entry(owner, owner_client, customer):
    """A note's anchor (`#note-<id>`, the link of its timeline entry and search hit) is on its own
    entry only: not on the entry saying it was edited, nor on a conversation's internal note that
    happens to have the same id (two tables, two sequences)."""
    from clients.notes import note_edit
    from followups.conversations.services.notes import note_add as internal_note_add
    from tests.followups.factories import ConversationFactory

    note = note_add(client=customer, author=owner, body="First words")
    note_edit(note=note, actor=owner, body="Better words")
    conversation = ConversationFactory(client=customer)
    internal = internal_note_add(conversation=conversation, author=owner, body="For colleagues")
    html = owner_client.get(f"/clients/{customer.pk}/").content.decode()
    assert html.count(f'id="note-{note.pk}"') == 1
    anchored = html[html.index(f'id="note-{note.pk}"') :]
    assert anchored.index("Better words") < anchored.index("</li>")
    if internal.pk != note.pk:
        assert f'id="note-{internal.pk}"' not in html
