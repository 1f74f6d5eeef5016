"""The team page and the audit list read in a constant number of queries, whatever the size of
the team or of its history."""

import pytest

from agency_crm.team import invitations, members
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _grow(manager, n):
    for i in range(n):
        person = UserFactory()
        email = f"new{person.pk}-{i}@agency.example"
        invitations.invitation_send(email=email, role="staff", language="en", actor=manager)
        members.member_set_role(person=person, role="manager", actor=manager)


@pytest.mark.parametrize("size", [1, 6])
def test_the_team_page_reads_in_constant_queries(manager_client, manager, django_assert_num_queries, size):
    _grow(manager, size)
    # session, user, the user's permissions and their groups' (manager_required), the members
    # with role and two-factor flags, their settings, the open invitations, the sign-in policy.
    with django_assert_num_queries(8):
        page = manager_client.get("/settings/people/")
    assert page.status_code == 200
    assert page.content.decode().count('data-invitation="') == size


@pytest.mark.parametrize("size", [1, 6])
def test_the_audit_list_reads_in_constant_queries(manager_client, manager, django_assert_num_queries, size):
    _grow(manager, size)
    # session, user, permissions (2), the count for the pages, the page's events.
    with django_assert_num_queries(6):
        page = manager_client.get("/settings/people/audit/")
    assert page.content.decode().count('data-kind="') == size * 2
