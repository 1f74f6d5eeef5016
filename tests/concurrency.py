"""Run the same piece of work on several threads at once, each with its own database connection,
to prove that claims, locks and unique constraints hold under a real race (PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def run_at_once(work: Callable[[], T], *, threads: int = 2, timeout: float = 60) -> list[T]:
    """Start `threads` threads that wait for each other, then all call `work()`.

    Returns the results in completion order; an exception in any thread is raised here. Each
    thread closes its own connection, and so does the caller's thread afterwards (a transactional
    test's flush needs the others gone).
    """
    barrier = threading.Barrier(threads)
    results: list[T] = []
    errors: list[BaseException] = []

    def run():
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            results.append(work())
        except BaseException as exc:  # reported in the caller's thread
            errors.append(exc)
        finally:
            thread_connection.close()

    started = [threading.Thread(target=run) for _ in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join(timeout=timeout)
    connection.close()
    if errors:
        raise errors[0]
    return results
