"""Benchmark: one reminders beat run over many open waits, few of them due.

    DATABASE_URL=postgres://postgres@localhost:5432/gonggam_bench_reminders \
        .venv/bin/python benchmarks/bench_reminders.py --waits 200000

Fills a dedicated benchmark database (its name must contain "bench"; it is created and migrated
when missing, and its conversation tables are emptied first) with `--waits` open waits, of which
`--due` (default 1%) have crossed a reminder level, then times:

- the query of the beat run (the indexed range scan on reminder_schedule.next_at, first batch),
  with its EXPLAIN ANALYZE plan;
- the whole run (`reminders_run`: claim each due row with SKIP LOCKED, record the Reminder and its
  notifications, move the schedule on, then write the batched emails to the outbox).

Rows are generated in SQL (INSERT ... SELECT over generate_series, copying one template row of
each table) so 2,000,000 waits take a minute or two, not an hour. A table is printed and the
figures are written to benchmarks/results/reminders-<waits>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency_crm.settings")
DEFAULT_URL = "postgres://postgres@localhost:5432/gonggam_bench_reminders"


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to fill {name!r}: the benchmark database's name must contain 'bench'")
    conn = psycopg2.connect(
        host=parts.hostname or "localhost",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()


def copy_sql(model, template_id: int, overrides: dict[str, str], source: str, where: str = "TRUE") -> str:
    """INSERT INTO <model> (every column but id) SELECT the template row's values, with some
    columns replaced by SQL expressions, once per row of `source`."""
    table = model._meta.db_table
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.column == "id":
            continue
        columns.append(f'"{field.column}"')
        values.append(overrides.get(field.column, f't."{field.column}"'))
    # Only model column names, integers and the benchmark's own expressions are interpolated.
    select = f'SELECT {", ".join(values)} FROM "{table}" t, {source} WHERE t.id = {template_id} AND {where}'  # noqa: S608
    return f'INSERT INTO "{table}" ({", ".join(columns)}) {select}'


def fill(waits: int, due: int, owners: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from clients.models import Client, Contact
    from followups.models import (
        Conversation,
        Message,
        Notification,
        NotificationMailbox,
        Reminder,
        ReminderSchedule,
        ResponsePolicy,
        ResponseWait,
    )
    from tests.factories import UserFactory

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE followups_notification, followups_reminder, followups_reminderschedule, "
            "followups_responsewait, followups_message, followups_conversation, "
            "agency_crm_outboundemail, followups_notificationmailbox CASCADE"
        )
    assert not NotificationMailbox.objects.exists()
    # Count around the clock, so the run reminds whatever the hour the benchmark runs at.
    policy, _ = ResponsePolicy.objects.update_or_create(
        tier="", defaults={"first_response_minutes": 480, "next_reply_minutes": 960, "around_the_clock": True}
    )
    people = [UserFactory(username=f"bench{n}", email=f"bench{n}@agency.example") for n in range(owners)]
    client = Client.objects.filter(name="Bench client").first() or Client.objects.create(
        name="Bench client", account_owner=people[0]
    )
    contact = Contact.objects.filter(client=client).first() or Contact.objects.create(
        client=client, name="Bench contact", email="contact@customer.example"
    )
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.create(
            client=client, contact=contact, subject="Bench 0", channel="email", owner=people[0], status="waiting_on_us"
        )
        message = Message.objects.create(
            conversation=conversation, direction="in", channel="email", body="Hello", occurred_at=now
        )
        wait = ResponseWait.objects.create(
            conversation=conversation,
            kind="first",
            policy=policy,
            target_minutes=480,
            started_at=now,
            started_by=message,
            reply_due_at=now,
        )
        ReminderSchedule.objects.create(wait=wait, basis_started_at=now, basis_reply_due_at=now, due_at=now)
    owner_ids = "ARRAY[" + ",".join(str(p.pk) for p in people) + "]"
    with connection.cursor() as cursor:
        started = time.perf_counter()
        # Conversations 2..N, owners spread over the people; one customer message each.
        cursor.execute(
            copy_sql(
                Conversation,
                conversation.pk,
                {"subject": "'Bench ' || g", "owner_id": f"({owner_ids})[1 + g % {owners}]"},
                f"generate_series(1, {waits - 1}) g",
            )
        )
        cursor.execute(
            copy_sql(
                Message,
                message.pk,
                {"conversation_id": "c.id"},
                "followups_conversation c",
                f"c.id <> {conversation.pk}",
            )
        )
        # One open wait per message; due times spread over the next days.
        cursor.execute(
            copy_sql(
                ResponseWait,
                wait.pk,
                {
                    "conversation_id": "m.conversation_id",
                    "started_by_id": "m.id",
                    "started_at": "m.occurred_at - interval '1 hour'",
                    "reply_due_at": "m.occurred_at + interval '1 hour' + (m.id % 7200) * interval '1 minute'",
                },
                "followups_message m",
                f"m.id <> {message.pk}",
            )
        )
        # The schedules: `due` of them crossed their due level five minutes ago, the rest are
        # due later (warning, due and escalation still to come).
        cursor.execute(
            """
            INSERT INTO followups_reminderschedule
                (wait_id, basis_started_at, basis_reply_due_at, warning_at, due_at, escalation_at,
                 next_level, next_at, snooze_reason, snooze_note, updated_at)
            SELECT w.id, w.started_at, w.reply_due_at, w.started_at + interval '6 hours',
                   CASE WHEN r.n <= %(due)s THEN now() - interval '5 minutes' ELSE w.reply_due_at END,
                   w.reply_due_at + interval '2 hours',
                   CASE WHEN r.n <= %(due)s THEN 2 ELSE 1 END,
                   CASE WHEN r.n <= %(due)s THEN now() - interval '5 minutes'
                        ELSE w.started_at + interval '6 hours' + interval '1 hour' END,
                   '', '', now()
            FROM (SELECT id, row_number() OVER (ORDER BY random()) AS n FROM followups_responsewait
                  WHERE id <> %(template)s) r
            JOIN followups_responsewait w ON w.id = r.id
            """,
            {"due": due, "template": wait.pk},
        )
        cursor.execute("DELETE FROM followups_reminderschedule WHERE wait_id = %s", [wait.pk])
        cursor.execute(
            "UPDATE followups_responsewait SET closed_at = now(), closed_reason = 'answered' WHERE id = %s", [wait.pk]
        )
        cursor.execute("ANALYZE")
        print(f"generated {waits:,} waits ({due:,} due) in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    assert Reminder.objects.count() == 0 and Notification.objects.count() == 0


def measure(waits: int, due: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from followups.models import Notification, Reminder, ReminderSchedule
    from followups.reminders.services import RUN_BATCH, reminders_due_ids, reminders_run

    now = timezone.now()
    queryset = (
        ReminderSchedule.objects.filter(next_at__isnull=False, next_at__lte=now)
        .order_by("next_at")
        .values_list("pk", flat=True)[:RUN_BATCH]
    )
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        ids = reminders_due_ids(now=now)
        timings.append(time.perf_counter() - started)
    query_seconds = min(timings)

    executed = []

    def count_queries(execute, sql, params, many, context):
        executed.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_queries):
        started = time.perf_counter()
        counts = reminders_run()
        run_seconds = time.perf_counter() - started
    return {
        "waits": waits,
        "due": due,
        "first_batch_rows": len(ids),
        "query_ms": round(query_seconds * 1000, 2),
        "run_seconds": round(run_seconds, 3),
        "run_ms_per_due_row": round(run_seconds * 1000 / max(due, 1), 3),
        "run_queries": len(executed),
        "counts": counts,
        "reminders": Reminder.objects.count(),
        "notifications": Notification.objects.count(),
        "uses_partial_index": "reminder_schedule_next_idx" in plan,
        "plan": plan,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--waits", type=int, default=200_000)
    parser.add_argument("--due", type=int, default=None, help="due waits (default: 1%% of --waits)")
    parser.add_argument("--owners", type=int, default=20)
    parser.add_argument("--no-fill", action="store_true", help="reuse the data of the previous run")
    args = parser.parse_args()
    due = args.due if args.due is not None else max(args.waits // 100, 1)

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not args.no_fill:
        fill(args.waits, due, args.owners)
    result = measure(args.waits, due)

    print(f"{'open waits':>12} {'due':>8} {'query (ms)':>11} {'run (s)':>9} {'ms/due row':>11} {'queries':>8}")
    print(
        f"{result['waits']:>12,} {result['due']:>8,} {result['query_ms']:>11} {result['run_seconds']:>9} "
        f"{result['run_ms_per_due_row']:>11} {result['run_queries']:>8}"
    )
    print(f"reminders={result['reminders']} notifications={result['notifications']} counts={result['counts']}")
    print(f"partial index used: {result['uses_partial_index']}")
    print(result["plan"])
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"reminders-{args.waits}-due{due}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
