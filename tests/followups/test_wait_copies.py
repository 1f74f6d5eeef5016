"""Each wait carries copies of its conversation's owner, client and channel (the dashboard reads
them from one index): the clock sets them, and every handover moves them, so the figures move
with the work."""

import pytest
import time_machine

from followups.conversations.services import conversation_reassign, conversations_reassign
from followups.dashboard import selectors
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource
from followups.mailin.triage import unknown_sender_attach
from followups.models import ResponseWait
from tests.followups.dashboard_data import NOW, build_known_conversations
from tests.followups.factories import ClientFactory, ContactFactory

from .mailin_support import build_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(owner, other_staff):
    with time_machine.travel(NOW, tick=False):
        yield build_known_conversations(minji=owner, junho=other_staff)


def _out_of_step():
    return [
        wait.pk
        for wait in ResponseWait.objects.select_related("conversation")
        if (wait.owner_id, wait.client_id, wait.channel)
        != (wait.conversation.owner_id, wait.conversation.client_id, wait.conversation.channel)
    ]


def _by_owner():
    filters = selectors.DashboardFilters()
    start, end = selectors.period_bounds(period=filters.period, now=NOW)
    breakdown = selectors.response_breakdown(filters=filters, start=start, end=end)
    return {owner: fig.first.count + fig.next.count for owner, fig in breakdown.by_owner.items()}, breakdown


def test_the_clock_writes_the_copies(known):
    assert ResponseWait.objects.count() > 0
    assert _out_of_step() == []


def test_handing_one_conversation_over_moves_its_figures(known, owner, other_staff, manager):
    before, first = _by_owner()
    c1 = known["c1"]  # Minji's: a first response and a next reply
    with time_machine.travel(NOW, tick=False):
        assert conversation_reassign(conversation=c1, to_user=other_staff, actor=manager)
    after, second = _by_owner()
    assert after[owner.pk] == before[owner.pk] - 2
    assert after[other_staff.pk] == before[other_staff.pk] + 2
    assert second.total == first.total
    assert _out_of_step() == []


def test_offboarding_moves_every_open_conversations_figures(known, owner, other_staff, manager):
    with time_machine.travel(NOW, tick=False):
        conversations_reassign(from_user=other_staff, to_user=owner, actor=manager)
    assert _out_of_step() == []


def test_attaching_an_unknown_sender_moves_the_waits_to_the_client(owner, other_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        email = mail_ingest(raw=build_email(from_="new@nowhere.example").as_bytes(), source=MailSource.IMAP).email
        conversation = email.conversation
        client = ClientFactory(account_owner=other_staff)
        unknown_sender_attach(conversation=conversation, contact=ContactFactory(client=client), actor=owner)
    wait = ResponseWait.objects.get(conversation=conversation)
    assert (wait.owner_id, wait.client_id) == (other_staff.pk, client.pk)
    assert _out_of_step() == []


def test_the_admin_cannot_change_hands_behind_the_figures_back(admin_client, known):
    conversation = known["c1"]
    page = admin_client.get(f"/admin/followups/conversation/{conversation.pk}/change/").content.decode()
    assert 'name="owner"' not in page and 'name="client"' not in page
    assert 'name="subject"' in page
