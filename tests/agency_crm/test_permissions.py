"""The one rule for changing who owns work (agency_crm.permissions.may_change_owner): managers
reassign anything, an owner may hand their own item to a colleague, nobody else may change it;
and every view that can change an owner asks it."""

from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from agency_crm import permissions
from agency_crm.permissions import may_change_owner
from tests.factories import ClientFactory, UserFactory
from tests.followups.care_factories import CheckinFactory, default_checkin_plans  # noqa: F401
from tests.followups.factories import ConversationFactory
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.django_db


def test_managers_may_change_any_owner_even_of_unowned_work(manager, owner):
    assert may_change_owner(manager, owner)
    assert may_change_owner(manager, None)


def test_an_owner_may_change_their_own_item_given_as_user_or_id(owner):
    assert may_change_owner(owner, owner)
    assert may_change_owner(owner, owner.pk)


def test_nobody_else_may(owner, other_staff):
    assert not may_change_owner(other_staff, owner)
    assert not may_change_owner(other_staff, owner.pk)
    assert not may_change_owner(other_staff, None)
    assert not may_change_owner(AnonymousUser(), None)
    assert not may_change_owner(None, owner)


def test_a_deactivated_owner_or_manager_may_not(owner, manager):
    owner.is_active = manager.is_active = False
    assert not may_change_owner(owner, owner)
    assert not may_change_owner(manager, owner)


def test_the_reassign_work_permission_is_what_makes_a_manager(owner, other_staff):
    lead = UserFactory(username="lead")
    lead.user_permissions.add(Permission.objects.get(codename="reassign_work", content_type__app_label="agency_crm"))
    assert may_change_owner(type(lead).objects.get(pk=lead.pk), owner)


@pytest.fixture
def spy():
    with mock.patch.object(permissions, "may_change_owner", wraps=permissions.may_change_owner) as spy:
        yield spy


def _targets(owner):
    client = ClientFactory(account_owner=owner)
    return {
        "client": (f"/clients/{client.pk}/edit/", {"name": "x"}),
        "inquiry": (f"/inquiries/{InquiryFactory(owner=owner).pk}/edit/", {"title": "x"}),
        "conversation": (f"/conversations/{ConversationFactory(client=client, owner=owner).pk}/owner/", {}),
        "checkin": (f"/checkins/{CheckinFactory(client=client).pk}/owner/", {}),
    }


@pytest.mark.parametrize("kind", ["client", "inquiry", "conversation", "checkin"])
def test_every_view_that_changes_an_owner_asks_the_one_rule(other_client, owner, other_staff, spy, kind):
    url, data = _targets(owner)[kind]
    response = other_client.post(url, {**data, "owner": other_staff.pk, "account_owner": other_staff.pk})
    assert response.status_code == 403
    assert spy.called, f"{kind}: the view decided without agency_crm.permissions.may_change_owner"
