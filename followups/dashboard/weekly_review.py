"""The weekly review managers get every Monday: what happened last week, and what happened more than once."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm import facts
from agency_crm.outbox import OutboundEmail, outbox_enqueue
from agency_crm.people import display_name
from agency_crm.preferences.services import for_person, language_for, preferences_load
from agency_crm.roles import active_managers

from ..answers.suggestions import answered_topics
from ..care.dates import last_due_overdue_by
from ..care.models import (
    Checkin,
    FeedbackRequest,
    Rating,
    Sentiment,
    WeeklyReview,
)
from ..care.selectors import aware, happiness, happiness_change
from ..conversations.business_calendar import Calendar, next_opening
from ..conversations.hours import load_calendar
from ..conversations.models import Conversation, Message, ResponseWait
from .selectors import DashboardFilters, response_breakdown


def week_start_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_review_send(*, now: dt.datetime | None = None) -> WeeklyReview | None:
    """Email last week's review to every manager, once, at the week's first business opening.

    Runs hourly from beat; before the agency first opens this week (Monday morning, or the next
    working day when Monday is a holiday) it does nothing. The unique WeeklyReview row per week
    and the conditional update of emailed_at make a second run (or a second beat) a no-op.
    """
    now = now or timezone.now()
    calendar = load_calendar()
    this_monday = week_start_of(timezone.localdate(now, calendar.zone))
    monday_midnight = dt.datetime.combine(this_monday, dt.time(0), tzinfo=calendar.zone)
    if now < next_opening(monday_midnight, calendar):
        return None
    week_start = this_monday - dt.timedelta(days=7)
    review, _created = WeeklyReview.objects.get_or_create(week_start=week_start)
    with transaction.atomic():
        if not WeeklyReview.objects.filter(pk=review.pk, emailed_at__isnull=True).update(emailed_at=now):
            return None
        data = weekly_review(week_start=week_start, calendar=calendar)
        url = settings.SITE_URL + reverse("followups:weekly_review_week", args=[week_start.isoformat()])
        managers = [m for m in active_managers() if m.email]
        preferences_load(managers)
        for manager in managers:
            with for_person(manager):
                subject = _("Weekly review: week of %(date)s") % {"date": facts.format_day(week_start)}
                name = display_name(manager)
            outbox_enqueue(
                to=[manager.email],
                subject=subject,
                template="care_weekly_review",
                context={"review": data, "url": url, "name": name},
                language=language_for(manager),
                kind=OutboundEmail.Kind.WEEKLY_REVIEW,
                automatic=True,
                related={"weekly_review_id": review.pk},
            )
    review.refresh_from_db()
    return review


# Rows per section of the weekly review.
REVIEW_LIMIT = 20


def _group_by_topic(conversations) -> list[dict]:
    by_topic = defaultdict(list)
    for conversation in conversations:
        for topic in conversation.tags.all():
            by_topic[topic.name].append(conversation)
    repeated = [{"name": name, "conversations": items} for name, items in by_topic.items() if len(items) > 1]
    return sorted(repeated, key=lambda row: (-len(row["conversations"]), row["name"]))


def _repeated_questions(conversations) -> list[dict]:
    """Subjects asked more than once in the week (case, spacing and "Re:"/"Fwd:" aside)."""
    by_subject = defaultdict(list)
    for conversation in conversations:
        subject = " ".join(_REPLY_PREFIX.sub("", conversation.subject).split())
        if subject:
            by_subject[subject.lower()].append(conversation)
    repeated = [{"name": items[0].subject, "conversations": items} for items in by_subject.values() if len(items) > 1]
    return sorted(repeated, key=lambda row: (-len(row["conversations"]), row["name"]))


_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|답장|전달)\s*:\s*)+", re.IGNORECASE)


def _unanswered(topics: list[dict], questions: list[dict]) -> list[dict]:
    """The repeated topics and questions that no shared saved reply or article answers yet."""
    rows = [{"kind": "topic", **row} for row in topics] + [{"kind": "question", **row} for row in questions]
    for row in rows:
        if row["kind"] == "question":
            row["name"] = " ".join(_REPLY_PREFIX.sub("", row["name"]).split())
    answered = answered_topics([row["name"] for row in rows])
    return [row for row in rows if row["name"] not in answered][:REVIEW_LIMIT]


def weekly_review(*, week_start: dt.date, calendar: Calendar | None = None, now: dt.datetime | None = None) -> dict:
    """Everything the weekly review shows for the week starting `week_start` (a Monday).

    Topics are conversation tags; feedback themes are the tags of the conversations that the
    week's ratings are about. Both list only what occurred more than once. The response figures
    are the dashboard's own (`response_breakdown` for the week), and a breach is what the
    dashboard counts as a missed target (answered late, by answer time) plus a wait still
    unanswered after a due time that fell in the week and has passed (as of `now`). Fifteen
    queries (thirteen when nothing came up more than once).
    """
    now = now or timezone.now()
    calendar = calendar or load_calendar()
    zone = calendar.zone
    start = aware(week_start, zone)
    end = aware(week_start + dt.timedelta(days=7), zone)

    # 1-2: conversations with a message this week, with their topics.
    active = (
        Conversation.objects.filter(
            pk__in=Message.objects.filter(occurred_at__gte=start, occurred_at__lt=end).values("conversation_id")
        )
        .select_related("client")
        .prefetch_related("tags")
        .order_by("id")
    )
    active = list(active)
    topics = _group_by_topic(active)
    # 3-4: which repeated topics and questions have no shared saved reply or article yet.
    unanswered = _unanswered(topics, _repeated_questions(active))

    # 5-6: ratings given this week, with the topics of the conversations they are about.
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

    # 7: the slowest answers of the week, in business time.
    slowest = list(
        ResponseWait.objects.filter(
            closed_reason=ResponseWait.ClosedReason.ANSWERED, closed_at__gte=start, closed_at__lt=end
        )
        .select_related("conversation__client", "conversation__owner")
        .order_by(F("business_seconds").desc(nulls_last=True), "id")[:REVIEW_LIMIT]
    )
    # 8: the week's response figures, exactly as the dashboard computes them.
    responses = response_breakdown(filters=DashboardFilters(), start=start, end=end).total
    # 9: breaches: answered late in the week (the dashboard's missed targets), or still waiting
    # after a due time that fell in the week and has already passed.
    answered_late = Q(
        closed_reason=ResponseWait.ClosedReason.ANSWERED, met_target=False, closed_at__gte=start, closed_at__lt=end
    )
    overdue_now = Q(closed_at__isnull=True, reply_due_at__gte=start, reply_due_at__lt=min(end, now))
    breached = list(
        ResponseWait.objects.filter(answered_late | overdue_now)
        .select_related("conversation__client", "conversation__owner")
        .order_by("reply_due_at", "id")[:REVIEW_LIMIT]
    )
    for wait in (*slowest, *breached):
        seconds = wait.business_seconds
        wait.business_hours = None if seconds is None else round(seconds / 3600, 1)
    # 10: check-ins due by the end of the week that were not done or skipped by then.
    overdue = list(
        Checkin.objects.filter(due_on__lte=last_due_overdue_by(week_start + dt.timedelta(days=6), calendar))
        .exclude(status=Checkin.Status.SKIPPED)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=end))
        .select_related("client", "owner")
        .order_by("due_on", "id")[:REVIEW_LIMIT]
    )
    # 11: at-risk check-in outcomes of the week.
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

    # 12-13: happiness this week and the week before.
    current = happiness(start=start, end=end)
    previous = happiness(start=start - dt.timedelta(days=7), end=start)
    return {
        "week_start": week_start,
        "week_end": week_start + dt.timedelta(days=6),
        "topics": topics,
        "themes": themes,
        "unanswered": unanswered,
        "responses": responses,
        "slowest": slowest,
        "breached": breached,
        "overdue_checkins": overdue,
        "at_risk": sorted(at_risk.values(), key=lambda row: row["client"].name),
        "not_good": [item for item in feedback if item.rating == Rating.NOT_GOOD],
        "happiness": current,
        "previous_happiness": previous,
        "happiness_change": happiness_change(current, previous),
    }
