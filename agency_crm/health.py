"""Reachability checks used by /healthz."""

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "unreachable"
        return False, exc.__class__.__name__
    return True, "ok"


def broker_ok() -> tuple[bool, str]:
    """Open a fresh connection to the configured broker (one attempt, short timeout)."""
    conn = Connection(
        settings.CELERY_BROKER_URL,
        transport_options=getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
    )
    try:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT
        )
        conn.default_channel  # noqa: B018 - opening a channel proves the broker answers
    except Exception as exc:
        return False, exc.__class__.__name__
    finally:
        conn.release()
    return True, "ok"
