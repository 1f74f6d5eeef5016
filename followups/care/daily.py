"""The daily care run (beat, hourly): start plans, handle due check-ins, remind overdue ones, ask
closed conversations for feedback. Safe to run concurrently and repeatedly."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from ..conversations.business_calendar import is_open
from ..conversations.hours import load_calendar
from .checkins import checkin_handle_due, checkin_remind_overdue
from .dates import local_today, overdue_from
from .feedback import feedback_pick_up_closed
from .models import (
    Checkin,
)
from .scheduling import checkins_extend_maintenance, checkins_pick_up_deliveries

logger = logging.getLogger(__name__)


def care_run_daily(*, now: dt.datetime | None = None) -> dict:
    """The periodic care run (safe to run concurrently and repeatedly)."""
    now = now or timezone.now()
    calendar = load_calendar()
    today = local_today(now)
    result = {
        "plans_started": checkins_pick_up_deliveries(today=today, calendar=calendar),
        "maintenance": checkins_extend_maintenance(today=today, calendar=calendar),
        "handled": 0,
        "overdue": 0,
        "feedback_requests": 0,
    }
    if not is_open(now, calendar):
        # Customers hear from us (and owners are reminded) during business hours only.
        return result
    due_ids = list(
        Checkin.objects.filter(status=Checkin.Status.SCHEDULED, due_on__lte=today)
        .order_by("due_on", "id")
        .values_list("pk", flat=True)
    )
    for checkin_id in due_ids:
        try:
            if checkin_handle_due(checkin_id=checkin_id, now=now) != "skipped":
                result["handled"] += 1
        except Exception:
            # One broken row must not hold back everyone else's check-ins; it stays scheduled.
            logger.exception("care: check-in %s could not be handled", checkin_id)
    for checkin_id, due_on in Checkin.objects.filter(status=Checkin.Status.DUE, due_on__lt=today).values_list(
        "pk", "due_on"
    ):
        if today >= overdue_from(due_on, calendar) and checkin_remind_overdue(checkin_id=checkin_id, now=now):
            result["overdue"] += 1
    result["feedback_requests"] = feedback_pick_up_closed(now=now)
    return result
