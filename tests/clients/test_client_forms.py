"""Creating and editing clients and contacts: crispy forms with clear field errors."""

import pytest

from clients.models import Client, Contact, TimelineEvent
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


def client_data(owner, **extra):
    data = {
        "name": "한빛 물류",
        "kind": "company",
        "status": "prospect",
        "response_tier": "standard",
        "account_owner": owner.pk,
        "backup_owner": "",
        "website": "https://hanbit.example",
        "notes": "",
        "tags_text": "물류, 유지보수",
        "contact-name": "",
        "contact-email": "",
        "contact-phone": "",
        "contact-kakao_id": "",
        "contact-role": "",
        "contact-preferred_language": "ko",
        "contact-accepts_checkins": "on",
    }
    data.update(extra)
    return data


def test_create_a_client_with_a_first_contact(owner_client, owner):
    response = owner_client.post(
        "/clients/new/",
        client_data(owner, **{"contact-name": "김하늘", "contact-email": "haneul@hanbit.example"}),
    )
    client = Client.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/clients/{client.pk}/"
    assert client.account_owner == owner
    assert sorted(client.tags.values_list("name", flat=True)) == ["물류", "유지보수"]
    assert client.contacts.get().name == "김하늘"


def test_create_without_a_contact(owner_client, owner):
    owner_client.post("/clients/new/", client_data(owner))
    assert Client.objects.count() == 1 and not Contact.objects.exists()


@pytest.mark.parametrize("website", ["javascript:alert(1)", "data:text/html,hi", "ftp://files.example"])
def test_unsafe_websites_are_rejected(owner_client, owner, website):
    response = owner_client.post("/clients/new/", client_data(owner, website=website))
    assert response.status_code == 200
    assert "website" in response.context["form"].errors
    assert not Client.objects.exists()


def test_invalid_contact_email_and_phone_get_field_errors(owner_client, owner):
    response = owner_client.post(
        "/clients/new/",
        client_data(owner, **{"contact-name": "X", "contact-email": "nope", "contact-phone": "call me maybe"}),
    )
    errors = response.context["contact_form"].errors
    assert "email" in errors and "phone" in errors
    html = response.content.decode()
    assert "Enter a valid email address." in html and "010-1234-5678" in html
    assert not Client.objects.exists()


def test_backup_owner_must_differ(owner_client, owner):
    response = owner_client.post("/clients/new/", client_data(owner, backup_owner=owner.pk))
    assert "backup_owner" in response.context["form"].errors


def test_edit_records_the_status_change(other_client, owner, other_staff):
    client = ClientFactory(account_owner=owner, name="Blue Harbor", status="prospect")
    data = client_data(owner, name="Blue Harbor", status="active", tags_text="")
    response = other_client.post(f"/clients/{client.pk}/edit/", data)
    assert response.status_code == 302
    event = TimelineEvent.objects.get(client=client, kind="client.status_changed")
    assert event.actor == other_staff


def test_add_and_edit_a_contact(owner_client, owner):
    client = ClientFactory(account_owner=owner)
    data = {"name": "Emma", "email": "emma@blue.example", "phone": "+1 415 555 0100", "preferred_language": "en"}
    assert owner_client.post(f"/clients/{client.pk}/contacts/new/", data).status_code == 302
    contact = client.contacts.get()
    data["role"] = "CTO"
    owner_client.post(f"/clients/{client.pk}/contacts/{contact.pk}/edit/", data)
    contact.refresh_from_db()
    assert contact.role == "CTO"
    assert list(TimelineEvent.objects.filter(client=client).values_list("kind", flat=True).order_by("id")) == [
        "contact.added",
        "contact.updated",
    ]


def test_a_contact_of_another_client_gives_404(owner_client, owner):
    contact = ContactFactory()
    other = ClientFactory(account_owner=owner)
    assert owner_client.get(f"/clients/{other.pk}/contacts/{contact.pk}/edit/").status_code == 404
