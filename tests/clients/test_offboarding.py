"""Staff offboarding: everything a leaver owns is handed over before the account is deactivated."""

import pytest
from django.contrib.auth import get_user_model

from clients import offboarding
from clients.models import Client, TimelineEvent
from clients.offboarding import StaffOffboardingError, staff_deactivate, staff_offboard
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(db):
    return UserFactory(username="leaver", first_name="Dana", last_name="Choi")


def test_offboarding_leaves_nothing_orphaned(leaver, owner, other_staff, manager):
    owned = [ClientFactory(account_owner=leaver) for _ in range(3)]
    owned_with_target_as_backup = ClientFactory(account_owner=leaver, backup_owner=owner)
    backup_of = ClientFactory(account_owner=other_staff, backup_owner=leaver)
    backup_where_target_owns = ClientFactory(account_owner=owner, backup_owner=leaver)
    archived = ClientFactory(account_owner=leaver, archived_at="2026-01-01T00:00Z")

    result = staff_offboard(user=leaver, to_user=owner, actor=manager)

    assert result.moved["clients_owned"] == 5 and result.moved["clients_backup"] == 2
    assert result.deactivated
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not Client.objects.filter(account_owner=leaver).exists()
    assert not Client.objects.filter(backup_owner=leaver).exists()
    # Every client has an active owner and never the same person as backup.
    for client in Client.objects.select_related("account_owner"):
        assert client.account_owner.is_active
        assert client.backup_owner_id != client.account_owner_id
    for client in [*owned, archived]:
        client.refresh_from_db()
        assert client.account_owner == owner
    owned_with_target_as_backup.refresh_from_db()
    assert (owned_with_target_as_backup.account_owner, owned_with_target_as_backup.backup_owner) == (owner, None)
    backup_of.refresh_from_db()
    assert backup_of.backup_owner == owner
    backup_where_target_owns.refresh_from_db()
    assert backup_where_target_owns.backup_owner is None


def test_each_reassignment_is_on_the_client_timeline(leaver, owner, manager):
    client = ClientFactory(account_owner=leaver)
    staff_offboard(user=leaver, to_user=owner, actor=manager)
    event = TimelineEvent.objects.get(client=client, kind="client.owner_changed")
    assert event.actor == manager
    assert event.summary == "Account owner changed from Dana Choi to Minji Park"
    assert "offboarding" in event.body


def test_work_cannot_go_to_an_inactive_person_or_the_leaver(leaver, manager):
    client = ClientFactory(account_owner=leaver)
    gone = UserFactory(is_active=False)
    for target in (gone, leaver):
        with pytest.raises(StaffOffboardingError):
            staff_offboard(user=leaver, to_user=target, actor=manager)
    client.refresh_from_db()
    leaver.refresh_from_db()
    assert client.account_owner == leaver and leaver.is_active


def test_deactivation_is_refused_while_anything_is_owned(leaver, manager):
    ClientFactory(backup_owner=leaver)
    with pytest.raises(StaffOffboardingError):
        staff_deactivate(user=leaver, actor=manager)
    leaver.refresh_from_db()
    assert leaver.is_active


def test_a_provider_that_leaves_work_behind_keeps_the_person_active(leaver, owner, manager):
    class StickyWork:
        key = "sticky"
        label = "Sticky"

        def count_for(self, user):
            return 1

        def items_for(self, user):
            return [("Sticky thing", "/")]

        def reassign(self, *, from_user, to_user, actor):
            return 0

    client = ClientFactory(account_owner=leaver)
    offboarding.register(StickyWork())
    try:
        result = staff_offboard(user=leaver, to_user=owner, actor=manager)
    finally:
        offboarding._providers.pop("sticky")
    client.refresh_from_db()
    leaver.refresh_from_db()
    # What could move moved (on the timeline); the person stays active while anything is theirs.
    assert client.account_owner == owner and leaver.is_active
    assert not result.deactivated and [(p.key, n) for p, n in result.remaining] == [("sticky", 1)]
    assert TimelineEvent.objects.filter(client=client, kind="client.owner_changed").exists()


def test_the_page_lists_everything_and_offboards(manager_client, leaver, owner):
    ClientFactory(account_owner=leaver, name="Owned <b>Co</b>")
    ClientFactory(account_owner=owner, backup_owner=leaver, name="Backed up Co")
    html = manager_client.get(f"/staff/{leaver.pk}/offboard/").content.decode()
    assert "Clients (account owner)" in html and "Clients (backup owner)" in html
    assert "Owned &lt;b&gt;Co&lt;/b&gt;" in html and "Backed up Co" in html
    response = manager_client.post(f"/staff/{leaver.pk}/offboard/", {"to_user": owner.pk, "confirm": "1"})
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert offboarding.owned_count(leaver) == 0


def test_the_leaver_is_not_offered_as_target(manager_client, leaver, owner):
    response = manager_client.post(f"/staff/{leaver.pk}/offboard/", {"to_user": leaver.pk})
    assert "to_user" in response.context["form"].errors
    leaver.refresh_from_db()
    assert leaver.is_active


def test_staff_cannot_offboard(owner_client, leaver):
    assert owner_client.get("/staff/").status_code == 403
    assert owner_client.post(f"/staff/{leaver.pk}/offboard/", {"to_user": leaver.pk}).status_code == 403
    assert get_user_model().objects.get(pk=leaver.pk).is_active


def test_unknown_or_inactive_people_give_404(manager_client):
    gone = UserFactory(is_active=False)
    assert manager_client.get("/staff/999999/offboard/").status_code == 404
    assert manager_client.get(f"/staff/{gone.pk}/offboard/").status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_the_offboarding_page_has_a_constant_number_of_queries(
    manager_client, leaver, owner, count, clients_offboarding_only, django_assert_num_queries
):
    for _ in range(count):
        ClientFactory(account_owner=leaver)
        ClientFactory(account_owner=owner, backup_owner=leaver)
    manager_client.get("/")
    # 1 session, 2 user, 3-4 the manager's permissions, 5 the leaver, 6 active staff for the
    # form, then per provider (owner, backup) a COUNT and the list of clients: 7-10.
    with django_assert_num_queries(10):
        html = manager_client.get(f"/staff/{leaver.pk}/offboard/").content.decode()
    assert html.count("<li><a href=") == 2 * count


def test_the_confirmation_lists_what_moves_and_what_loses_its_backup(manager_client, leaver, owner, other_staff):
    ClientFactory(account_owner=leaver, name="Moves Co")
    ClientFactory(account_owner=owner, backup_owner=leaver, name="Owner backs Co")
    ClientFactory(account_owner=leaver, backup_owner=owner, name="Backup owns Co")
    ClientFactory(account_owner=other_staff, backup_owner=leaver, name="Keeps backup Co")
    response = manager_client.post(f"/staff/{leaver.pk}/offboard/", {"to_user": owner.pk})
    html = response.content.decode()
    assert 'id="offboard-confirm"' in html and "Moves Co" in html
    lost = html[html.index('data-backup-lost="true"') :]
    lost = lost[: lost.index("</section>")]
    assert "Owner backs Co" in lost and "Backup owns Co" in lost
    assert "Keeps backup Co" not in lost and "Moves Co" not in lost
    # A new backup is offered, never the leaver nor the receiver.
    form = response.context["form"]
    assert set(form.fields["new_backup"].queryset) == {other_staff, response.wsgi_request.user}


def test_the_new_backup_is_given_to_every_client_that_would_lose_one(leaver, owner, other_staff, manager):
    owner_backs = ClientFactory(account_owner=owner, backup_owner=leaver)
    backup_owns = ClientFactory(account_owner=leaver, backup_owner=owner)
    keeps = ClientFactory(account_owner=manager, backup_owner=leaver)

    staff_offboard(user=leaver, to_user=owner, actor=manager, new_backup=other_staff)

    for client in (owner_backs, backup_owns):
        client.refresh_from_db()
        assert (client.account_owner, client.backup_owner) == (owner, other_staff)
    keeps.refresh_from_db()
    assert keeps.backup_owner == owner


def test_the_new_backup_cannot_be_the_receiver_or_the_leaver(manager_client, leaver, owner):
    ClientFactory(account_owner=owner, backup_owner=leaver)
    for backup in (owner, leaver):
        response = manager_client.post(
            f"/staff/{leaver.pk}/offboard/", {"to_user": owner.pk, "new_backup": backup.pk, "confirm": "1"}
        )
        assert "new_backup" in response.context["form"].errors
    leaver.refresh_from_db()
    assert leaver.is_active


def test_a_removed_backup_reads_as_removed_on_the_timeline(leaver, owner, manager):
    from django.utils import translation

    client = ClientFactory(account_owner=owner, backup_owner=leaver)
    staff_offboard(user=leaver, to_user=owner, actor=manager)
    event = TimelineEvent.objects.get(client=client, kind="client.backup_changed")
    with translation.override("ko"):
        text = event.text
    assert "—" not in text and "(으)로" not in text and "Dana Choi" in text
