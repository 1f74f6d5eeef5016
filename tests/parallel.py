"""pytest-xdist: each worker gets Redis databases of its own (loaded with `-p tests.parallel`).

pytest-django already gives every worker its own test database (test_gonggam_gw0, _gw1...).
Redis is shared by the cache, the rate limits and Celery's broker, and the integration tests
flush the broker's database and start real Celery workers on it: two xdist workers on one Redis
database would flush each other's cache and take each other's tasks. So worker gwN moves
REDIS_URL and CELERY_BROKER_URL from database D (1 by default) to D + 1 + N, before Django reads
its settings (pytest-django sets Django up in this same hook, after the tryfirst ones).

Under xdist the slow modules also run as early as the database's state allows (see
pytest_collection_modifyitems), so the run does not end on one worker finishing a long test alone.
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


# Long tests last in the queue leave one worker finishing them alone (the 1-3 min `make run`
# test sat in the final, database-free group). pytest-django orders the tests as Django does:
# database tests, then transactional ones (each ends with a flush that also empties what the
# data migrations created), then those without a database; that order is kept. Moved: the
# slow tests without a database go first, and within the transactional group the modules with
# integration tests, then with browser tests, then the rest. Modules stay contiguous in each
# group (module-scoped fixtures are set up once); otherwise the collection order is kept.
_SLOW_MARKERS = ("integration", "browser")


def _slowness(item) -> int:
    for rank, name in enumerate(_SLOW_MARKERS):
        if item.get_closest_marker(name) is not None:
            return rank
    return len(_SLOW_MARKERS)


def _database_use(item) -> str:
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return "transactional"
    if marker is not None:
        return "transactional" if marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") else "db"
    return "db" if "db" in fixtures else "none"


def pytest_collection_modifyitems(session, config, items):
    if worker_number() is None:
        return  # a single-process run keeps pytest-django's order
    use = {item: _database_use(item) for item in items}
    module_slowness: dict = {}
    for item in items:
        key = (item.nodeid.split("::", 1)[0], use[item])
        module_slowness[key] = min(module_slowness.get(key, len(_SLOW_MARKERS)), _slowness(item))

    def order(item):
        slowness = module_slowness[(item.nodeid.split("::", 1)[0], use[item])]
        if use[item] == "none":
            return (0, slowness) if slowness < len(_SLOW_MARKERS) else (3, 0)
        return (1, 0) if use[item] == "db" else (2, slowness)

    items.sort(key=order)
