"""Benchmark: the pipeline board (/inquiries/board/) at 5,000 inquiries, target under 150 ms.

    .venv/bin/python benchmarks/bench_board.py --inquiries 5000      # part of `make bench`

Fills a dedicated database (BENCH_BOARD_DATABASE_URL, default .../gonggam_bench_board; its name
must contain "bench"; created and migrated when missing; its inquiries are replaced) with
`--inquiries` inquiries across the stages, 3 scope items each, 20 owners and 500 clients, then
times the board in-process with DEBUG off (median and p95 over `--repeat` requests, the query
count and the time in SQL), unfiltered and stale only. Exits 1 when a median is over the target.
The same page's query count is asserted constant at two small sizes in
tests/inquiries/board/test_board_page.py. Results: benchmarks/results/board-*.json.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_reminders import ensure_database  # noqa: E402 - benchmarks/ is the script's own folder
from results_file import write_result  # noqa: E402
from run import SqlTimer, percentile  # noqa: E402

TARGET_MS = 150
DEFAULT_URL = "postgres://postgres@localhost:5432/gonggam_bench_board"
# Roughly an agency's pipeline after a few years: most inquiries are decided.
STATUS_WEIGHTS = {
    "new": 4,
    "discovery": 5,
    "scoped": 4,
    "proposal_sent": 6,
    "won": 35,
    "lost": 40,
    "on_hold": 6,
}


def fill(inquiries: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from clients.models import Client
    from inquiries.models import Inquiry, ScopeItem
    from tests.factories import ManagerFactory, UserFactory

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE inquiries_scopeitem, inquiries_proposal, board_loss, inquiries_inquiry CASCADE")
    rng = random.Random(33)
    ManagerFactory(username="bench_board_manager")
    owners = [UserFactory(username=f"board{n}", first_name="Owner", last_name=f"{n}") for n in range(20)]
    clients = list(Client.objects.filter(name__startswith="Board client "))
    if not clients:
        clients = Client.objects.bulk_create(
            Client(name=f"Board client {n}", account_owner=owners[n % 20]) for n in range(500)
        )
    now = timezone.now()
    statuses = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()), k=inquiries)
    with transaction.atomic():
        rows = Inquiry.objects.bulk_create(
            Inquiry(
                title=f"Inquiry {n}",
                client=clients[n % len(clients)],
                owner=owners[n % len(owners)],
                source=rng.choice(Inquiry.Source.values),
                problem="Bench",
                status=status,
                lost_reason="Price" if status == "lost" else "",
                status_changed_at=now - dt.timedelta(days=rng.randint(0, 400)),
                currency="USD" if n % 10 == 0 else "",
                budget_min=Decimal(1_000_000) if n % 3 == 0 else None,
                budget_max=Decimal(5_000_000) if n % 3 == 0 else None,
            )
            for n, status in enumerate(statuses)
        )
        ScopeItem.objects.bulk_create(
            ScopeItem(
                inquiry=inquiry,
                title=f"Item {k}",
                priority=("must", "should", "could")[k],
                optimistic_hours=Decimal(4 + k),
                likely_hours=Decimal(8 + k),
                pessimistic_hours=Decimal(20 + k),
                position=k,
            )
            for inquiry in rows
            for k in range(3)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inquiries_inquiry; ANALYZE inquiries_scopeitem")


def measure(client, url: str, repeat: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)
    timings, sql_timings = [], []
    for _ in range(repeat):
        sql = SqlTimer()
        with connection.execute_wrapper(sql):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        sql_timings.append(sql.total * 1000)
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        # On a shared machine the fastest request is the one least slowed by the neighbours.
        "min_ms": round(min(timings), 1),
        "queries": query_count,
        "sql_ms": round(statistics.median(sql_timings), 1),
        "repeat": repeat,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inquiries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-fill", action="store_true", help="reuse the data of the previous run")
    args = parser.parse_args(argv)

    url = os.environ.get("BENCH_BOARD_DATABASE_URL", DEFAULT_URL)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency_crm.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from inquiries.models import Inquiry

    call_command("migrate", verbosity=0)
    if not args.no_fill:
        fill(args.inquiries)
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench_board_manager"))
    results = {
        name: measure(client, page, args.repeat, args.warmup)
        for name, page in {"board": "/inquiries/board/", "board_stale": "/inquiries/board/?stale=1"}.items()
    }
    size = Inquiry.objects.count()
    print(f"\n{size:,} inquiries")
    print(f"{'page':<14}{'median ms':>11}{'p95 ms':>10}{'min ms':>8}{'queries':>9}{'SQL ms':>9}  url")
    over = False
    for name, row in results.items():
        flag = "" if row["median_ms"] < TARGET_MS else f"  > {TARGET_MS} ms"
        over = over or bool(flag)
        print(
            f"{name:<14}{row['median_ms']:>11}{row['p95_ms']:>10}{row['min_ms']:>8}{row['queries']:>9}{row['sql_ms']:>9}"
            f"  {row['url']}{flag}"
        )
    write_result(
        ROOT / "benchmarks" / "results", "board", {"inquiries": size, "target_median_ms": TARGET_MS, "pages": results}
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
