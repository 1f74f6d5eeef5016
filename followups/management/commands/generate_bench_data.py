"""Build a realistic benchmark data set on PostgreSQL with COPY (`make bench` uses it).

    python manage.py generate_bench_data --clients 5000 --messages 1000000

Staff with Korean and English names, clients of every tier with one or two contacts, and
conversations spread over the last `--weeks` weeks on every channel, laid out backwards from now;
the response waits are what the real clock computes (see followups.benchdata). Refuses to run on a
database that already has conversations unless --append.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from followups.benchdata.load import load_bench_data
from followups.models import Conversation


class Command(BaseCommand):
    help = "Generate a large, realistic data set for `make bench` (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=5000)
        parser.add_argument("--messages", type=int, default=1_000_000)
        parser.add_argument(
            "--contacts", type=int, default=None, help="Contacts in all (default: one or two per client)."
        )
        parser.add_argument("--weeks", type=int, default=104, help="Spread conversations over this many weeks.")
        parser.add_argument("--open-waits", type=int, default=300, help="Unanswered questions at the end.")
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--append", action="store_true", help="Add to a database that has conversations.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_bench_data needs PostgreSQL (it loads rows with COPY).")
        if Conversation.objects.exists() and not options["append"]:
            raise CommandError("This database already has conversations; use an empty one or pass --append.")
        if options["clients"] < 1 or options["messages"] < 2:
            raise CommandError("Need at least one client and two messages.")
        started = time.monotonic()
        counts = load_bench_data(
            clients=options["clients"],
            messages=options["messages"],
            weeks=options["weeks"],
            open_waits=options["open_waits"],
            seed=options["seed"],
            now=timezone.now(),
            log=self.stdout.write,
            contacts=options["contacts"],
        )
        summary = "{conversations} conversations, {messages} messages, {waits} waits ({open} open)".format(**counts)
        self.stdout.write(self.style.SUCCESS(f"{summary} in {time.monotonic() - started:.0f}s"))
