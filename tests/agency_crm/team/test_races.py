"""Under a real race (threads, PostgreSQL): one invitation link makes one account, and two
managers demoting each other at once leave one manager."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from agency_crm.outbox import OutboundEmail
from agency_crm.roles import active_managers
from agency_crm.team import invitations, links, members
from tests.concurrency import run_at_once
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _outcome(work):
    try:
        work()
        return "done"
    except (ValidationError, links.InvitationLinkError):
        return "refused"


def test_two_submissions_of_one_link_make_one_account():
    manager = ManagerFactory(username="boss")
    invitation = invitations.invitation_send(email="haneul@agency.example", role="staff", language="en", actor=manager)
    token = links.invitation_token(invitation)
    names = ["haneul", "haneul2", "haneul3"]  # list.pop is atomic: each thread its own name

    def accept():
        return _outcome(
            lambda: invitations.invitation_accept(
                token=token,
                username=names.pop(),
                first_name="Haneul",
                last_name="Kim",
                password="paper-lantern-harbor-77",
                language="en",
            )
        )

    assert sorted(run_at_once(accept, threads=3)) == ["done", "refused", "refused"]
    assert get_user_model().objects.filter(email="haneul@agency.example").count() == 1
    assert OutboundEmail.objects.filter(kind="invitation").count() == 1


def test_two_managers_demoting_each_other_at_once_leave_one():
    first, second = ManagerFactory(username="first"), ManagerFactory(username="second")
    pairs = [(first, second), (second, first)]

    def demote():
        actor, person = pairs.pop()
        return _outcome(lambda: members.member_set_role(person=person, role="staff", actor=actor))

    assert sorted(run_at_once(demote, threads=2)) == ["done", "refused"]
    assert len(active_managers()) == 1
