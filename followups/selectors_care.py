"""Reads of the post-sale care pages (each a constant number of queries).

`happiness()` is shared with the dashboard: counts of each rating, the share of Great minus the
share of Not good (in percentage points), and the ratio of positive (Great) to negative (Not good)
ratings. `weekly_review()` gathers everything the Monday review shows for one week.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from .business_calendar import Calendar, load_calendar
from .models import Checkin, Conversation, FeedbackRequest, Message, Rating, ResponseWait, Sentiment

# How far ahead /checkins/ shows upcoming check-ins besides the due and overdue ones.
UPCOMING_DAYS = 7
# Rows per section of the weekly review.
REVIEW_LIMIT = 20


def _aware(value, zone=None) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, zone)
    return dt.datetime.combine(value, dt.time(0), tzinfo=zone or timezone.get_current_timezone())


def happiness(*, start, end, owner=None, channel=None, tier=None) -> dict:
    """Ratings first given in [start, end) (dates are local midnights), in one query.

    Returns {"great", "okay", "not_good", "total", "score", "ratio"}: `score` is the share of
    Great minus the share of Not good in percentage points (None without ratings); `ratio` is
    Great per Not good (None when there is no Not good; a well-run agency aims for about 50).
    """
    ratings = FeedbackRequest.objects.filter(rated_at__gte=_aware(start), rated_at__lt=_aware(end)).exclude(rating="")
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


def next_business_day(day: dt.date, calendar: Calendar) -> dt.date:
    """`day` itself when the agency is open that day, otherwise the next day it opens."""
    for offset in range(366 * 2):
        candidate = day + dt.timedelta(days=offset)
        if calendar.opening_interval(candidate) is not None:
            return candidate
    return day


def overdue_from(due_on: dt.date, calendar: Calendar) -> dt.date:
    """The first day a check-in due on `due_on` counts as overdue without an outcome:
    CHECKIN_OVERDUE_AFTER_DAYS business days after its due date."""
    day = due_on
    for _i in range(settings.CHECKIN_OVERDUE_AFTER_DAYS):
        day = next_business_day(day + dt.timedelta(days=1), calendar)
    return day


def last_due_overdue_by(day: dt.date, calendar: Calendar) -> dt.date:
    """The latest due date whose check-in is overdue on `day` (pure calendar arithmetic)."""
    candidate = day
    while overdue_from(candidate, calendar) > day:
        candidate -= dt.timedelta(days=1)
    return candidate


def _group_by_topic(conversations) -> list[dict]:
    by_topic = defaultdict(list)
    for conversation in conversations:
        for topic in conversation.tags.all():
            by_topic[topic.name].append(conversation)
    repeated = [{"name": name, "conversations": items} for name, items in by_topic.items() if len(items) > 1]
    return sorted(repeated, key=lambda row: (-len(row["conversations"]), row["name"]))


def weekly_review(*, week_start: dt.date, calendar: Calendar | None = None) -> dict:
    """Everything the weekly review shows for the week starting `week_start` (a Monday).

    Topics are conversation tags; feedback themes are the tags of the conversations that the
    week's ratings are about. Both list only what occurred more than once. Twelve queries.
    """
    calendar = calendar or load_calendar()
    zone = calendar.zone
    start = _aware(week_start, zone)
    end = _aware(week_start + dt.timedelta(days=7), zone)

    # 1-2: conversations with a message this week, with their topics.
    active = (
        Conversation.objects.filter(
            pk__in=Message.objects.filter(occurred_at__gte=start, occurred_at__lt=end).values("conversation_id")
        )
        .select_related("client")
        .prefetch_related("tags")
        .order_by("id")
    )
    topics = _group_by_topic(active)

    # 3-4: ratings given this week, with the topics of the conversations they are about.
    feedback = list(
        FeedbackRequest.objects.filter(rated_at__gte=start, rated_at__lt=end)
        .exclude(rating="")
        .select_related("client", "contact", "conversation")
        .prefetch_related("conversation__tags")
        .order_by("rated_at", "id")
    )
    by_theme = defaultdict(list)
    for item in feedback:
        if item.conversation is not None:
            for topic in item.conversation.tags.all():
                by_theme[topic.name].append(item)
    themes = sorted(
        ({"name": name, "feedback": items} for name, items in by_theme.items() if len(items) > 1),
        key=lambda row: (-len(row["feedback"]), row["name"]),
    )

    # 5: the slowest answers of the week, in business time.
    slowest = list(
        ResponseWait.objects.filter(
            closed_reason=ResponseWait.ClosedReason.ANSWERED, closed_at__gte=start, closed_at__lt=end
        )
        .select_related("conversation__client", "conversation__owner")
        .order_by(F("business_seconds").desc(nulls_last=True), "id")[:REVIEW_LIMIT]
    )
    # 6: waits whose target fell in the week and that were not answered in time.
    breached = list(
        ResponseWait.objects.filter(reply_due_at__gte=start, reply_due_at__lt=end)
        .exclude(closed_reason=ResponseWait.ClosedReason.NO_REPLY_NEEDED)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=F("reply_due_at")))
        .select_related("conversation__client", "conversation__owner")
        .order_by("reply_due_at", "id")[:REVIEW_LIMIT]
    )
    for wait in (*slowest, *breached):
        wait.business_hours = round((wait.business_seconds or 0) / 3600, 1) if wait.business_seconds else None
    # 7: check-ins due by the end of the week that were not done or skipped by then.
    overdue = list(
        Checkin.objects.filter(due_on__lte=last_due_overdue_by(week_start + dt.timedelta(days=6), calendar))
        .exclude(status=Checkin.Status.SKIPPED)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=end))
        .select_related("client", "owner")
        .order_by("due_on", "id")[:REVIEW_LIMIT]
    )
    # 8: at-risk check-in outcomes of the week.
    at_risk_checkins = list(
        Checkin.objects.filter(done_at__gte=start, done_at__lt=end, sentiment=Sentiment.AT_RISK)
        .select_related("client", "owner")
        .order_by("done_at", "id")
    )
    at_risk = {}
    for checkin in at_risk_checkins:
        at_risk.setdefault(checkin.client_id, {"client": checkin.client, "checkins": [], "feedback": []})
        at_risk[checkin.client_id]["checkins"].append(checkin)
    for item in feedback:
        if item.rating == Rating.NOT_GOOD:
            at_risk.setdefault(item.client_id, {"client": item.client, "checkins": [], "feedback": []})
            at_risk[item.client_id]["feedback"].append(item)

    # 9-10: happiness this week and the week before.
    current = happiness(start=start, end=end)
    previous = happiness(start=start - dt.timedelta(days=7), end=start)
    return {
        "week_start": week_start,
        "week_end": week_start + dt.timedelta(days=6),
        "topics": topics,
        "themes": themes,
        "slowest": slowest,
        "breached": breached,
        "overdue_checkins": overdue,
        "at_risk": sorted(at_risk.values(), key=lambda row: row["client"].name),
        "not_good": [item for item in feedback if item.rating == Rating.NOT_GOOD],
        "happiness": current,
        "previous_happiness": previous,
        "happiness_change": happiness_change(current, previous),
    }
