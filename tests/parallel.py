"""pytest-xdist: each worker gets Redis databases of its own (loaded with `-p tests.parallel`).

pytest-django already gives every worker its own test database (test_gonggam_gw0, _gw1...).
Redis is shared by the cache, the rate limits and Celery's broker, and the integration tests
flush the broker's database and start real Celery workers on it: two xdist workers on one Redis
database would flush each other's cache and take each other's tasks. So worker gwN moves
REDIS_URL and CELERY_BROKER_URL from database D (1 by default) to D + 1 + N, before Django reads
its settings (pytest-django sets Django up in this same hook, after the tryfirst ones).

Under xdist the slow modules also run first (see pytest_collection_modifyitems), so the run does
not end on one worker finishing a long test alone.
"""

from __future__ import annotations

import os
import re

import pytest

DEFAULT_URL = "redis://localhost:6379/1"
REDIS_DATABASES = 16
_DATABASE = re.compile(r"^(redis://[^/]*)(?:/(\d+))?$")


def worker_number() -> int | None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else None


def worker_url(url: str, number: int) -> str:
    match = _DATABASE.match(url)
    if match is None:
        raise pytest.UsageError(f"tests/parallel.py cannot place {url!r} in a Redis database of its own")
    database = int(match.group(2) or 0) + 1 + number
    if database >= REDIS_DATABASES:
        raise pytest.UsageError(f"too many xdist workers for Redis's {REDIS_DATABASES} databases")
    return f"{match.group(1)}/{database}"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    number = worker_number()
    if number is None:
        return
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ[name] = worker_url(os.environ.get(name) or DEFAULT_URL, number)


# `make test` runs xdist's work-stealing scheduler (--dist worksteal): each worker starts with an
# equal, contiguous share of the collection and an idle worker takes half of the longest queue
# from its end. The fixed chunks of `--dist load` once left one worker alone for minutes with a
# queue of browser tests. Long tests at the end of a queue would still leave a worker finishing
# them alone, so the modules with integration tests go first, then those with browser tests, then
# the rest, each module kept contiguous (module-scoped fixtures are set up once) and otherwise in
# collection order. No database order is needed: every test finds the database as the template
# made it, after a flush too (tests/database.py), so database, transactional and database-free
# tests may run in any order.
_SLOW_MARKERS = ("integration", "browser")


def _slowness(item) -> int:
    for rank, name in enumerate(_SLOW_MARKERS):
        if item.get_closest_marker(name) is not None:
            return rank
    return len(_SLOW_MARKERS)


def pytest_collection_modifyitems(session, config, items):
    if worker_number() is None:
        return  # a single-process run keeps pytest-django's order
    module_slowness: dict = {}
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        module_slowness[module] = min(module_slowness.get(module, len(_SLOW_MARKERS)), _slowness(item))
    items.sort(key=lambda item: module_slowness[item.nodeid.split("::", 1)[0]])
