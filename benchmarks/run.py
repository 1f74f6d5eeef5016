"""Page timings for `make bench` (never part of `make test`).

Measures the server time of the main pages with Django's test Client in-process (DEBUG off, the
real middleware and templates, no network), as median and p95 over repeated requests, plus the
number of SQL queries of each page, on the benchmark database. Prints a table and writes JSON to
benchmarks/results/ so versions can be compared.

    make bench                                   # DATABASE_URL defaults to .../gonggam_bench
    make bench BENCH_ARGS="--generate --messages 1000000 --clients 5000 --repeat 30"

`--generate` migrates and fills an empty database with `manage.py generate_bench_data` first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_file import write_result  # noqa: E402 - benchmarks/ is the script's own folder

# A production-like configuration: DEBUG off (no query log, cached templates).
os.environ.setdefault("DATABASE_URL", "postgres://postgres@localhost:5432/gonggam_bench")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency_crm.settings")
# The API pages are timed with one token: its rate limit must not be what is measured.
os.environ.setdefault("API_RATE_PER_TOKEN", "1000000/m")

SEARCH_TERMS = {"search_ko": "배송", "search_en": "invoice"}
# Pages that browsers fetch with htmx: timed as htmx asks for them (the fragment, not a whole page).
TYPEAHEAD_WORDS = {"client": "물류", "name": "Smith", "family": "김", "two_words": "가온 커피"}
HTMX_PAGES = {"suggestions", *(f"typeahead_{name}" for name in TYPEAHEAD_WORDS)}
# The REST API's lists (agency_crm.api), timed with a personal access token of bench_manager's.
API_PAGES = {"api_conversations", "api_timeline"}
TARGET_MS = 200


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def pages() -> dict[str, str]:
    """The pages to time; the client and conversation are the busiest ones (the worst case)."""
    from django.db.models import Count

    from clients.models import Client
    from followups.models import Conversation, Message

    client = Client.objects.annotate(n=Count("conversations")).order_by("-n", "id").first()
    busiest = (
        Message.objects.values("conversation_id").annotate(n=Count("id")).order_by("-n", "conversation_id").first()
    )
    conversation = Conversation.objects.get(pk=busiest["conversation_id"]) if busiest else None
    if client is None or conversation is None:
        raise SystemExit("The benchmark database is empty: run with --generate.")
    return {
        # A small page in the same layout (navigation, bell, messages): the floor under every page.
        "notifications": "/notifications/",
        "dashboard": "/dashboard/",
        # The long periods' response figures are computed ahead by beat (dashboard-precompute);
        # main() runs that computation once before timing, and reports how long it took.
        "dashboard_52w": "/dashboard/?period=52w",
        # The same period filtered by owner is computed while the page loads (no snapshot).
        "dashboard_52w_owner": f"/dashboard/?period=52w&owner={conversation.owner_id}",
        "inbox": "/inbox/",
        # The quick-log type-ahead, as htmx asks for it while staff type (at 100,000 contacts with
        # `generate_bench_data --contacts 100000`): a client-name word, a common English name,
        # a one-character family name and two words.
        **{f"typeahead_{name}": f"/inbox/contacts/?q={quote(words)}" for name, words in TYPEAHEAD_WORDS.items()},
        "clients": "/clients/",
        "client": f"/clients/{client.pk}/",
        "conversation": f"/conversations/{conversation.pk}/",
        # The conversation page's suggested answers panel (loaded by htmx after the page; timed as
        # the fragment htmx asks for).
        "suggestions": f"/conversations/{conversation.pk}/suggestions/",
        "search_ko": f"/search/?q={SEARCH_TERMS['search_ko']}",
        "search_en": f"/search/?q={SEARCH_TERMS['search_en']}",
        # The API: the conversation list (first page, newest first) and the busiest client's
        # timeline (latest first), as an integration pulls them.
        "api_conversations": "/api/v1/conversations/",
        "api_timeline": f"/api/v1/clients/{client.pk}/timeline/",
    }


def measure(client, url: str, repeat: int, warmup: int, headers: dict | None = None) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    headers = headers or {}
    for _ in range(warmup):
        response = client.get(url, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    # Counting queries records every SQL statement: done in a separate request, not timed.
    with CaptureQueriesContext(connection) as queries:
        client.get(url, headers=headers)
    # Read now: the next request's request_started signal clears the connection's query log.
    query_count = len(queries)
    timings, sql_timings = [], []
    for _ in range(repeat):
        sql = SqlTimer()
        with connection.execute_wrapper(sql):
            started = time.perf_counter()
            client.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        sql_timings.append(sql.total * 1000)
    median_ms, sql_ms = statistics.median(timings), statistics.median(sql_timings)
    return {
        "url": url,
        "median_ms": round(median_ms, 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "min_ms": round(min(timings), 1),
        "queries": query_count,
        # The page's SQL (time spent in the database driver, round trips included) and how many
        # times the whole page takes: what is left is Python, templates and the framework.
        "sql_ms": round(sql_ms, 1),
        "page_per_sql": round(median_ms / sql_ms, 1) if sql_ms else None,
        "repeat": repeat,
    }


class SqlTimer:
    """A connection.execute_wrapper adding up the time of every SQL statement of a request."""

    def __init__(self):
        self.total = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - started


def profile(client, url: str, args, headers: dict | None) -> int:
    """cProfile over repeated requests of one page: where its time goes, written beside the timings."""
    import cProfile
    import io
    import pstats

    for _ in range(args.warmup):
        client.get(url, headers=headers or {})
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(url, headers=headers or {})
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).strip_dirs()
    text.write(f"{url}, {args.repeat} requests\n")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    print(text.getvalue())
    write_result(args.output, f"profile-{args.profile}", text.getvalue(), suffix="txt")
    return 0


def data_size() -> dict:
    from clients.models import Client
    from followups.models import Conversation, Message, ResponseWait

    # Planner estimates would be instant, but exact counts make results comparable.
    return {
        "clients": Client.objects.count(),
        "conversations": Conversation.objects.count(),
        "messages": Message.objects.count(),
        "waits": ResponseWait.objects.count(),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--generate", action="store_true", help="Migrate and fill an empty database first.")
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--only", default="", help="Comma-separated page names (default: all).")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument(
        "--profile", default="", help="Profile this page (cProfile over --repeat requests) instead of timing pages."
    )
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from followups.models import Conversation

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("Benchmarks run on PostgreSQL: set DATABASE_URL.")
    if args.generate:
        call_command("migrate", verbosity=0)
        if not Conversation.objects.exists():
            call_command("generate_bench_data", clients=args.clients, messages=args.messages)
    manager = get_user_model().objects.filter(username="bench_manager").first()
    if manager is None:
        raise SystemExit("No bench_manager user: run with --generate on an empty database.")

    client = Client()
    client.force_login(manager)
    selected = pages()
    if args.only:
        selected = {name: url for name, url in selected.items() if name in args.only.split(",")}
    if args.profile:
        headers = {"HX-Request": "true"} if args.profile in HTMX_PAGES else None
        return profile(client, selected[args.profile], args, headers)
    api_token = None
    if API_PAGES & set(selected):
        from agency_crm.api.scopes import SCOPES
        from agency_crm.api.tokens import personal_token_create

        call_command("migrate", "api", verbosity=0)  # a database generated before the API has no token table
        api_token, secret = personal_token_create(user=manager, name="make bench", scopes=SCOPES)
        api_headers = {"Authorization": f"Token {secret}"}
    size = data_size()
    if any(name.startswith("dashboard_52w") for name in selected):
        from followups.dashboard.services import dashboard_snapshots_refresh

        started = time.perf_counter()
        dashboard_snapshots_refresh()
        print(f"dashboard-precompute (the beat task): {time.perf_counter() - started:.1f} s")

    def headers_of(name: str) -> dict | None:
        if name in API_PAGES:
            return api_headers
        return {"HX-Request": "true"} if name in HTMX_PAGES else None

    try:
        results = {
            name: measure(client, url, args.repeat, args.warmup, headers_of(name)) for name, url in selected.items()
        }
    finally:
        if api_token is not None:
            api_token.delete()

    print(f"\n{size['messages']:,} messages, {size['conversations']:,} conversations, {size['clients']:,} clients")
    print(f"{'page':<20}{'median ms':>11}{'p95 ms':>10}{'queries':>9}{'SQL ms':>9}{'page/SQL':>10}  url")
    for name, row in results.items():
        flag = "" if row["median_ms"] < TARGET_MS else f"  > {TARGET_MS} ms"
        print(
            f"{name:<20}{row['median_ms']:>11}{row['p95_ms']:>10}{row['queries']:>9}{row['sql_ms']:>9}"
            f"{row['page_per_sql'] or '':>10}  {row['url']}{flag}"
        )

    print()
    write_result(
        args.output,
        "bench",
        {"data": size, "repeat": args.repeat, "target_median_ms": TARGET_MS, "pages": results},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
