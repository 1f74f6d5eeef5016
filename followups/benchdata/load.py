"""Load the whole benchmark data set: people, then conversations with the big tables' indexes off.

Secondary indexes of the big tables are dropped during the load and rebuilt afterwards (much faster
than maintaining trigram indexes row by row), then the tables are ANALYZEd.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.db import connection, transaction

from agency_crm.roles import ensure_role_groups
from clients.models import Client, Contact
from followups.conversations.hours import load_calendar
from followups.models import (
    Article,
    Conversation,
    Message,
    ResponsePolicy,
    ResponseWait,
    SavedReply,
    ensure_default_policies,
)

from .answers import bench_answers
from .bulk_copy import secondary_indexes
from .conversations import ConversationLoader
from .people import bench_clients, bench_staff


def load_bench_data(
    *,
    clients: int,
    messages: int,
    weeks: int,
    open_waits: int,
    seed: int,
    now: dt.datetime,
    log: Callable[[str], object] = print,
    contacts: int | None = None,
) -> dict:
    """Add `clients` clients and exactly `messages` messages laid out before `now` (PostgreSQL).

    Returns the counts: conversations, messages, waits and open (waits still open).
    """
    if clients < 1 or messages < 2:  # the loader never leaves a single message to write (see conversations)
        raise ValueError("Need at least one client and two messages.")
    rng = random.Random(seed)
    now = now.replace(microsecond=0)
    started = time.monotonic()
    ensure_role_groups()
    ensure_default_policies()
    calendar = load_calendar()
    policies = list(ResponsePolicy.objects.all())
    staff = bench_staff()
    client_rows = bench_clients(clients, staff, rng=rng, now=now, contacts=contacts)
    log(f"{len(staff)} staff, {len(client_rows)} clients ({time.monotonic() - started:.0f}s)")

    big_tables = [Message._meta.db_table, ResponseWait._meta.db_table, Conversation._meta.db_table]
    indexes = secondary_indexes(big_tables)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Rows are consistent by construction: skip millions of deferred FK trigger events.
            cursor.execute("SET LOCAL session_replication_role = replica")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        loader = ConversationLoader(rng=rng, now=now, calendar=calendar, policies=policies)
        counts = loader.load(
            staff=staff, clients=client_rows, messages=messages, weeks=weeks, open_waits=open_waits, log=log
        )
        log(f"rebuilding {len(indexes)} indexes ({time.monotonic() - started:.0f}s)")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
    answers = bench_answers(rng=rng, staff=staff)
    log(f"{answers['saved_replies']} saved replies, {answers['articles']} articles")
    # VACUUM also merges the pending lists of the GIN (trigram, bigram) indexes of the rows added
    # after the indexes were built (contacts, saved replies, articles), as autovacuum does on a
    # live database: unmerged, every search scanned them (2-4 ms per index at 100,000 contacts).
    # A test loads inside a transaction, where only ANALYZE may run.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        tables = [*big_tables, Client._meta.db_table, Contact._meta.db_table, Article._meta.db_table]
        for table in [*tables, SavedReply._meta.db_table]:
            cursor.execute(f"{command} {connection.ops.quote_name(table)}")
    return counts
