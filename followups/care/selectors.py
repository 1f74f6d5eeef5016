"""Reads of the post-sale care pages (each a constant number of queries).

`happiness()` is shared with the dashboard: counts of each rating, the share of Great minus the
share of Not good (in percentage points), and the ratio of positive (Great) to negative (Not good)
ratings (the weekly review uses it too).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from .models import Checkin, FeedbackRequest, Rating

# How far ahead /checkins/ shows upcoming check-ins besides the due and overdue ones.
UPCOMING_DAYS = 7


def aware(value, zone=None) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, zone)
    return dt.datetime.combine(value, dt.time(0), tzinfo=zone or timezone.get_current_timezone())


def happiness(*, start, end, owner=None, channel=None, tier=None) -> dict:
    """Ratings first given in [start, end) (dates are local midnights), in one query.

    Returns {"great", "okay", "not_good", "total", "score", "ratio"}: `score` is the share of
    Great minus the share of Not good in percentage points (None without ratings); `ratio` is
    Great per Not good (None when there is no Not good; a well-run agency aims for about 50).
    """
    ratings = FeedbackRequest.objects.filter(rated_at__gte=aware(start), rated_at__lt=aware(end)).exclude(rating="")
    if owner is not None:
        ratings = ratings.filter(owner=owner)
    if channel:
        ratings = ratings.filter(channel=channel)
    if tier:
        ratings = ratings.filter(client__response_tier=tier)
    counts = ratings.aggregate(
        great=Count("pk", filter=Q(rating=Rating.GREAT)),
        okay=Count("pk", filter=Q(rating=Rating.OKAY)),
        not_good=Count("pk", filter=Q(rating=Rating.NOT_GOOD)),
    )
    total = counts["great"] + counts["okay"] + counts["not_good"]
    score = round(100 * (counts["great"] - counts["not_good"]) / total, 1) if total else None
    ratio = round(counts["great"] / counts["not_good"], 1) if counts["not_good"] else None
    return {**counts, "total": total, "score": score, "ratio": ratio}


def happiness_change(current: dict, previous: dict) -> float | None:
    if current["score"] is None or previous["score"] is None:
        return None
    return round(current["score"] - previous["score"], 1)


def checkin_list(*, user, today: dt.date):
    """Open check-ins due up to a week ahead: mine first, then by due date (one query)."""
    return (
        Checkin.objects.filter(status__in=Checkin.OPEN_STATUSES, due_on__lte=today + dt.timedelta(days=UPCOMING_DAYS))
        .select_related("client", "contact", "owner", "schedule__plan", "schedule__inquiry", "conversation")
        .annotate(mine=Case(When(owner=user, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("mine", "due_on", "id")
    )


def checkin_detail(*, pk: int) -> Checkin:
    """One check-in with what its page shows (one query); Checkin.DoesNotExist when unknown."""
    return Checkin.objects.select_related(
        "client", "contact", "owner", "schedule__plan", "schedule__inquiry", "conversation"
    ).get(pk=pk)
