"""pytest-xdist: each worker gets Redis databases of its own (loaded with `-p tests.parallel`).

pytest-django already gives every worker its own test database (test_gonggam_gw0, _gw1...).
Redis is shared by the cache, the rate limits and Celery's broker, and the integration tests
flush the broker's database and start real Celery workers on it: two xdist workers on one Redis
database would flush each other's cache and take each other's tasks. So worker gwN moves
REDIS_URL and CELERY_BROKER_URL from database D (1 by default) to D + 1 + N, before Django reads
its settings (pytest-django sets Django up in this same hook, after the tryfirst ones).
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
