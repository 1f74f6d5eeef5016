"""Who may change a client's owners (issue 15): managers anyone's; the account owner may hand the
client to a colleague and choose its backup; the backup owner may hand their backup place on;
nobody else. Fields a user may not change are disabled, and a forged POST is refused with 403."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from clients.models import Client, TimelineEvent
from clients.services import client_update
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup(db):
    return UserFactory(username="backup", first_name="Hana", last_name="Choi")


@pytest.fixture
def account(owner, backup):
    return ClientFactory(account_owner=owner, backup_owner=backup, name="Blue Harbor", status="active")


def _post(client, account, **changes):
    data = {
        "name": account.name,
        "kind": account.kind,
        "status": account.status,
        "response_tier": account.response_tier,
        "account_owner": account.account_owner_id,
        "backup_owner": account.backup_owner_id or "",
        "website": account.website,
        "notes": account.notes,
        "tags_text": "",
    }
    data.update(changes)
    return client.post(f"/clients/{account.pk}/edit/", data)


def _owners(account):
    account = Client.objects.get(pk=account.pk)
    return account.account_owner_id, account.backup_owner_id


def test_a_colleague_cannot_make_herself_account_owner(other_client, other_staff, account, owner, backup):
    assert _post(other_client, account, account_owner=other_staff.pk).status_code == 403
    assert _owners(account) == (owner.pk, backup.pk)
    assert not TimelineEvent.objects.filter(kind="client.owner_changed").exists()


def test_a_colleague_cannot_make_herself_backup_owner(other_client, other_staff, account, owner, backup):
    assert _post(other_client, account, backup_owner=other_staff.pk).status_code == 403
    assert _post(other_client, account, backup_owner="").status_code == 403
    assert _owners(account) == (owner.pk, backup.pk)


def test_a_colleague_still_edits_the_other_details(other_client, account, owner, backup):
    assert _post(other_client, account, status="maintenance").status_code == 302
    assert Client.objects.get(pk=account.pk).status == "maintenance"
    assert _owners(account) == (owner.pk, backup.pk)


def test_a_colleague_sees_both_owner_fields_disabled(other_client, account):
    response = other_client.get(f"/clients/{account.pk}/edit/")
    form = response.context["form"]
    assert form.fields["account_owner"].disabled and form.fields["backup_owner"].disabled
    html = response.content.decode()
    for name in ("account_owner", "backup_owner"):
        assert re.search(rf'<select name="{name}"[^>]* disabled', html), name


def test_the_account_owner_hands_the_client_to_a_colleague_and_stays_backup(owner_client, owner, other_staff, account):
    response = owner_client.get(f"/clients/{account.pk}/edit/")
    assert not response.context["form"].fields["account_owner"].disabled
    assert not response.context["form"].fields["backup_owner"].disabled
    assert _post(owner_client, account, account_owner=other_staff.pk, backup_owner=owner.pk).status_code == 302
    assert _owners(account) == (other_staff.pk, owner.pk)


def test_the_backup_hands_their_place_on_but_cannot_take_the_client(client, backup, owner, other_staff, account):
    client.force_login(backup)
    form = client.get(f"/clients/{account.pk}/edit/").context["form"]
    assert form.fields["account_owner"].disabled and not form.fields["backup_owner"].disabled
    assert _post(client, account, account_owner=backup.pk, backup_owner="").status_code == 403
    assert _owners(account) == (owner.pk, backup.pk)
    assert _post(client, account, backup_owner=other_staff.pk).status_code == 302
    assert _owners(account) == (owner.pk, other_staff.pk)


def test_a_manager_reassigns_anything(manager_client, account, other_staff, backup):
    assert _post(manager_client, account, account_owner=backup.pk, backup_owner=other_staff.pk).status_code == 302
    assert _owners(account) == (backup.pk, other_staff.pk)


def test_the_service_refuses_an_owner_change_by_a_colleague(other_staff, account, owner, backup):
    with pytest.raises(PermissionDenied):
        client_update(client=account, actor=other_staff, changes={"account_owner": other_staff})
    with pytest.raises(PermissionDenied):
        client_update(client=account, actor=other_staff, changes={"backup_owner": None})
    assert _owners(account) == (owner.pk, backup.pk)
    # Unchanged owners pass through: editing details is open to every colleague.
    client_update(client=account, actor=other_staff, changes={"account_owner": owner, "notes": "x"})
