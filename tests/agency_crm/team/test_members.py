"""Changing a colleague's role and deactivating them: the last active manager stays, work is
handed over first (the offboarding page), a deactivated person cannot log in, and every change is
on the audit list in the reader's language."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from agency_crm.roles import is_manager
from agency_crm.team import members
from agency_crm.team.models import TeamEvent
from clients.offboarding import staff_offboard
from tests.factories import PASSWORD, ClientFactory, ManagerFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_a_manager_makes_a_colleague_a_manager_and_back(manager_client, manager, owner):
    assert manager_client.post(f"/settings/people/{owner.pk}/role/", {"role": "manager"}).status_code == 302
    assert is_manager(_fresh(owner)) and _fresh(owner).is_staff
    assert manager_client.post(f"/settings/people/{owner.pk}/role/", {"role": "staff"}).status_code == 302
    assert not is_manager(_fresh(owner)) and not _fresh(owner).is_staff
    texts = [e.text for e in TeamEvent.objects.filter(kind="role.changed").order_by("pk")]
    assert texts == [
        "Seoyeon Kim changed the role of Minji Park from Staff to Manager",
        "Seoyeon Kim changed the role of Minji Park from Manager to Staff",
    ]


def test_the_last_active_manager_cannot_be_made_staff(manager_client, manager):
    response = manager_client.post(f"/settings/people/{manager.pk}/role/", {"role": "staff"}, follow=True)
    assert "last active manager: make someone else a manager first." in response.content.decode()
    assert is_manager(_fresh(manager))
    assert not TeamEvent.objects.filter(kind="role.changed").exists()


def test_with_a_second_manager_the_first_may_step_down(manager_client, manager):
    ManagerFactory(username="second")
    assert members.member_set_role(person=manager, role="staff", actor=manager) is True
    assert not is_manager(_fresh(manager))


def test_the_last_active_manager_cannot_be_deactivated(manager_client, manager):
    page = manager_client.get(f"/settings/people/{manager.pk}/deactivate/").content.decode()
    assert 'id="last-manager"' in page and 'id="deactivate-form"' not in page
    response = manager_client.post(f"/settings/people/{manager.pk}/deactivate/", follow=True)
    assert "last active manager and cannot be deactivated" in response.content.decode()
    assert _fresh(manager).is_active


def test_a_colleague_who_owns_work_is_offered_the_hand_over_first(manager_client, owner):
    ClientFactory(account_owner=owner)
    page = manager_client.get(f"/settings/people/{owner.pk}/deactivate/").content.decode()
    assert f'href="/staff/{owner.pk}/offboard/"' in page and 'id="deactivate-form"' not in page
    manager_client.post(f"/settings/people/{owner.pk}/deactivate/")
    assert _fresh(owner).is_active
    with pytest.raises(ValidationError, match="still owns work"):
        members.member_deactivate(person=owner, actor=owner)


def test_deactivation_stops_login_and_ends_open_sessions(manager_client, manager, owner):
    from django.test import Client

    client = Client()
    theirs = Client()
    theirs.force_login(owner)
    assert theirs.get("/clients/").status_code == 200
    assert manager_client.post(f"/settings/people/{owner.pk}/deactivate/").status_code == 302
    assert not _fresh(owner).is_active
    assert theirs.get("/clients/").status_code == 302  # their session no longer signs them in
    response = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert TeamEvent.objects.get(kind="person.deactivated").text == "Seoyeon Kim deactivated Minji Park"


def test_the_offboarding_hand_over_is_on_the_audit_list(manager, owner, other_staff):
    ClientFactory(account_owner=owner)
    staff_offboard(user=owner, to_user=other_staff, actor=manager)
    event = TeamEvent.objects.get(kind="person.deactivated")
    assert event.person == owner
    assert event.text == "Seoyeon Kim handed the work of Minji Park to Junho Lee and deactivated the account"


def test_the_audit_list_reads_in_the_readers_language_and_filters_by_person(manager_client, manager, owner):
    members.member_set_role(person=owner, role="manager", actor=manager)
    event = TeamEvent.objects.get()
    with translation.override("ko"):
        assert event.text == "Seoyeon Kim 님이 Minji Park 님의 역할을 직원에서 관리자로 바꿨습니다"
    page = manager_client.get(f"/settings/people/audit/?person={owner.pk}").content.decode()
    assert "changed the role of Minji Park from Staff to Manager" in page
    assert "Nothing yet." in manager_client.get(f"/settings/people/audit/?person={manager.pk}").content.decode()


def test_staff_cannot_change_roles_or_deactivate(other_client, owner):
    assert other_client.post(f"/settings/people/{owner.pk}/role/", {"role": "manager"}).status_code == 403
    assert other_client.post(f"/settings/people/{owner.pk}/deactivate/").status_code == 403
    assert not is_manager(_fresh(owner)) and _fresh(owner).is_active
