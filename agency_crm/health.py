"""The checks behind /healthz: can we reach the database and the broker, and is work lagging?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
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


# --- lag: work that should have happened by now ---------------------------------------------
# /healthz turns 503 when one of these is older than its limit, so a monitor sees a stuck worker
# or beat (or an SMTP outage) and not only a dead database or broker. The outbox's check lives
# here; the apps above register theirs from their AppConfig.ready() (followups: reminders and the
# IMAP poll), so agency_crm never imports them (the registry pattern of agency_crm.outbox.signature).


@dataclass(frozen=True)
class LagCheck:
    name: str
    label: str
    # measure(now) -> seconds of lag, or None when nothing is waiting (or the check does not apply).
    measure: Callable[[dt.datetime], float | None]
    # The setting holding the limit in seconds; 0 switches the check off.
    limit_setting: str


@dataclass(frozen=True)
class LagResult:
    name: str
    label: str
    seconds: int | None
    limit: int

    @property
    def ok(self) -> bool:
        return not self.limit or self.seconds is None or self.seconds <= self.limit


_lag_checks: dict[str, LagCheck] = {}


def register_lag_check(*, name: str, label: str, measure: Callable, limit_setting: str) -> None:
    """Add (or replace) a lag check; idempotent, so ready() may run twice."""
    _lag_checks[name] = LagCheck(name=name, label=label, measure=measure, limit_setting=limit_setting)


def lag_report(*, now: dt.datetime | None = None) -> list[LagResult]:
    """Every registered check, measured now (one small indexed query each)."""
    now = now or timezone.now()
    results = []
    for check in _lag_checks.values():
        seconds = check.measure(now)
        results.append(
            LagResult(
                name=check.name,
                label=str(check.label),
                seconds=None if seconds is None else max(0, round(seconds)),
                limit=int(getattr(settings, check.limit_setting)),
            )
        )
    return results


def oldest_unsent_email_seconds(now: dt.datetime) -> float | None:
    """Age of the oldest email still pending or being sent (index outbox_status_created_idx)."""
    from .outbox.models import OutboundEmail

    Status = OutboundEmail.Status
    oldest = OutboundEmail.objects.filter(status__in=[Status.PENDING, Status.SENDING]).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    return None if oldest is None else (now - oldest).total_seconds()


register_lag_check(
    name="oldest_unsent_email_seconds",
    label=_("Oldest email not yet sent"),
    measure=oldest_unsent_email_seconds,
    limit_setting="HEALTH_MAX_EMAIL_AGE_SECONDS",
)
