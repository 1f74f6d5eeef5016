"""generate_bench_data (small scale): the stored waits equal what the real clock computes."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from followups.conversations.clock import conversation_recompute_clock
from followups.models import Conversation, Message, ResponseWait

pytestmark = pytest.mark.django_db

# The data are laid out backwards from "now", so each moment gives other threads: the requested
# counts must come out exact whatever the time of day (issue 13: 3001 messages at 16:40 UTC).
MOMENTS = [
    pytest.param("2026-12-02T02:30:00+09:00", id="night-in-seoul"),
    pytest.param("2026-12-07T09:05:00+09:00", id="monday-morning"),
    pytest.param("2026-12-31T23:30:00+09:00", id="last-day-of-the-year"),
    pytest.param("2026-12-25T11:00:00+09:00", id="christmas-holiday"),
    pytest.param("2026-12-02T16:40:00+00:00", id="issue-13-utc-afternoon"),
]

WAIT_FIELDS = (
    "kind",
    "started_at",
    "started_by_id",
    "reply_due_at",
    "closed_at",
    "closed_reason",
    "answered_by_id",
    "calendar_seconds",
    "business_seconds",
    "met_target",
)


def _state(conversation):
    waits = list(
        ResponseWait.objects.filter(conversation=conversation).order_by("started_at", "id").values_list(*WAIT_FIELDS)
    )
    conversation.refresh_from_db()
    return (
        waits,
        conversation.status,
        conversation.awaiting_since,
        conversation.reply_due_at,
        conversation.last_message_at,
    )


@pytest.mark.parametrize("moment", MOMENTS)
def test_generated_waits_match_a_replay_by_the_real_clock(capsys, moment):
    with time_machine.travel(dt.datetime.fromisoformat(moment), tick=False):
        call_command("generate_bench_data", clients=30, messages=3000, open_waits=10, seed=7)
    assert "3000 messages" in capsys.readouterr().out
    assert Message.objects.count() == 3000
    assert (
        Conversation.objects.filter(status="waiting_on_us").count()
        == ResponseWait.objects.filter(closed_at__isnull=True).count()
    )
    # A mix of channels, directions, languages and tiers.
    assert Message.objects.values("channel").distinct().count() >= 4
    assert Message.objects.filter(body__contains="배송").exists() and Message.objects.filter(body__icontains="invoice")
    assert Conversation.objects.values("client__response_tier").distinct().count() == 3
    assert ResponseWait.objects.filter(met_target=False).exists() and ResponseWait.objects.filter(met_target=True)

    for conversation in Conversation.objects.select_related("client").order_by("?")[:60]:
        stored = _state(conversation)
        with transaction.atomic():
            conversation_recompute_clock(conversation=conversation)
            replayed = _state(conversation)
            transaction.set_rollback(True)
        assert replayed == stored, conversation.pk


@time_machine.travel(dt.datetime(2026, 12, 2, 16, 40, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("messages", [3, 5])
def test_a_few_messages_come_out_exact_without_open_waits(messages):
    # Without open-wait budget every thread ends with our answer, so an odd remainder cannot be
    # filled by a lone question: the generator must plan around it and still stop at the count.
    call_command("generate_bench_data", clients=2, messages=messages, open_waits=0, seed=11)
    assert Message.objects.count() == messages
    assert not ResponseWait.objects.filter(closed_at__isnull=True).exists()


@time_machine.travel(dt.datetime(2026, 12, 2, 16, 40, tzinfo=dt.UTC), tick=False)
def test_sequences_continue_after_the_loaded_ids(owner):
    call_command("generate_bench_data", clients=5, messages=200, seed=3)
    highest = Conversation.objects.order_by("-id").values_list("id", flat=True).first()
    conversation = Conversation.objects.create(
        client_id=Conversation.objects.values_list("client_id", flat=True).first(),
        subject="after the load",
        channel="email",
        owner=owner,
    )
    assert conversation.pk > highest
    assert Conversation.objects.values("owner").annotate(n=Count("id")).count() > 1


@time_machine.travel(dt.datetime(2026, 12, 2, 16, 40, tzinfo=dt.UTC), tick=False)
def test_refuses_a_database_with_conversations():
    call_command("generate_bench_data", clients=2, messages=20, seed=1)
    with pytest.raises(CommandError, match="already has conversations"):
        call_command("generate_bench_data", clients=2, messages=20)
