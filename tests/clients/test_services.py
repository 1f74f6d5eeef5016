"""Client services: every change a colleague should know about lands on the timeline."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clients.models import Client, Note, TimelineEvent
from clients.services import (
    client_archive,
    client_create,
    client_restore,
    client_update,
    contact_create,
    note_add,
    parse_tag_names,
)
from clients.timeline import timeline_record
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def kinds(client):
    return list(TimelineEvent.objects.filter(client=client).order_by("id").values_list("kind", flat=True))


def test_client_create_records_the_client_and_its_contacts(owner, other_staff):
    client = client_create(
        actor=owner,
        name="한빛 물류",
        account_owner=owner,
        backup_owner=other_staff,
        tags=["물류", "유지보수"],
        contacts=[{"name": "김하늘", "email": "haneul@hanbit.example", "phone": "010-2345-6789"}],
    )
    assert sorted(client.tags.values_list("name", flat=True)) == ["물류", "유지보수"]
    assert client.contacts.get().email == "haneul@hanbit.example"
    assert kinds(client) == ["client.created"]


def test_client_create_refuses_the_same_person_as_owner_and_backup(owner):
    with pytest.raises(ValidationError):
        client_create(actor=owner, name="X", account_owner=owner, backup_owner=owner)
    assert not Client.objects.exists()


def test_the_database_refuses_backup_equal_to_owner(owner):
    client = ClientFactory(account_owner=owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.filter(pk=client.pk).update(backup_owner=owner)


def test_client_create_rejects_a_javascript_website(owner):
    with pytest.raises(ValidationError) as error:
        client_create(actor=owner, name="X", account_owner=owner, website="javascript:alert(1)")
    assert "website" in error.value.message_dict


def test_status_change_is_on_the_timeline_with_from_and_to(owner, other_staff):
    client = ClientFactory(account_owner=owner, status=Client.Status.PROSPECT)
    client_update(client=client, actor=other_staff, changes={"status": Client.Status.ACTIVE})
    event = TimelineEvent.objects.get(client=client, kind="client.status_changed")
    assert event.actor == other_staff
    assert event.summary == "Status changed from Prospect to Active"
    assert event.data == {"from": "prospect", "to": "active"}


def test_owner_change_is_on_the_timeline(owner, other_staff, manager):
    client = ClientFactory(account_owner=owner)
    client_update(client=client, actor=manager, changes={"account_owner": other_staff, "backup_owner": owner})
    owner_event = TimelineEvent.objects.get(client=client, kind="client.owner_changed")
    assert owner_event.summary == "Account owner changed from Minji Park to Junho Lee"
    assert owner_event.data == {"from": owner.pk, "to": other_staff.pk}
    backup_event = TimelineEvent.objects.get(client=client, kind="client.backup_changed")
    assert backup_event.summary == "Backup owner set to Minji Park"


def test_an_unchanged_save_records_nothing(owner):
    client = ClientFactory(account_owner=owner, name="Same")
    client_update(client=client, actor=owner, changes={"name": "Same"}, tags=[])
    assert kinds(client) == []


def test_other_field_changes_are_summarised(owner):
    client = ClientFactory(account_owner=owner)
    client_update(client=client, actor=owner, changes={"website": "https://example.com"}, tags=["web"])
    event = TimelineEvent.objects.get(client=client)
    assert event.kind == "client.updated" and event.data == {"fields": ["website", "tags"]}


def test_archive_and_restore_keep_history_and_are_idempotent(owner, manager):
    client = ClientFactory(account_owner=owner)
    note_add(client=client, author=owner, body="keep me")
    assert client_archive(client=client, actor=manager) is True
    assert client_archive(client=client, actor=manager) is False
    assert not Client.objects.active().filter(pk=client.pk).exists()
    assert Note.objects.filter(client=client).count() == 1
    assert client_restore(client=client, actor=manager) is True
    assert Client.objects.active().filter(pk=client.pk).exists()
    assert kinds(client) == ["note.added", "client.archived", "client.restored"]


def test_note_add_and_call_logging(owner):
    client = ClientFactory(account_owner=owner)
    note_add(client=client, author=owner, body="Asked about the renewal")
    call = note_add(client=client, author=owner, body="Called 김하늘", kind=Note.Kind.CALL)
    assert kinds(client) == ["note.added", "call.logged"]
    event = TimelineEvent.objects.get(kind="call.logged")
    assert event.body == "Called 김하늘" and event.data == {"note_id": call.pk}
    assert event.url == f"/clients/{client.pk}/#note-{call.pk}"


def test_note_add_refuses_empty_text(owner):
    with pytest.raises(ValidationError):
        note_add(client=ClientFactory(account_owner=owner), author=owner, body="   ")


def test_contact_create_validates_email_and_phone(owner):
    client = ClientFactory(account_owner=owner)
    with pytest.raises(ValidationError) as error:
        contact_create(client=client, actor=owner, name="X", email="not-an-email", phone="call me")
    assert set(error.value.message_dict) == {"email", "phone"}


def test_parse_tag_names():
    assert parse_tag_names(" web, 유지보수 ;web,, ") == ["web", "유지보수"]


def test_timeline_record_accepts_any_apps_kind(owner):
    client = ClientFactory(account_owner=UserFactory())
    event = timeline_record(client=client, kind="inquiry.won", summary="x" * 600, actor=owner)
    assert event.kind == "inquiry.won" and len(event.summary) == 500
