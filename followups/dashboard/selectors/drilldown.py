"""The conversations behind a figure (the dashboard's drill-down)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from agency_crm import params as query_params

from ...conversations.business_calendar import Calendar
from ...conversations.models import Conversation, ResponseWait
from .filters import KINDS, DashboardFilters, local_midnight, period_bounds
from .waiting import ageing_buckets, waiting_filter


@dataclass(frozen=True)
class DrillDown:
    """Which waits a dashboard figure counted (from the query string of its link)."""

    filters: DashboardFilters
    week: dt.date | None = None
    kind: str = ""
    waiting: bool = False  # open waits ("waiting now") instead of answered ones
    bucket: str = ""  # with waiting: only open waits of this age (a Bucket.key)
    overdue: bool = False  # with waiting: only overdue ones

    @classmethod
    def from_query(cls, params) -> DrillDown:
        week = query_params.date(params, "week")
        if week is not None and week.weekday() != 0:
            week = None
        return cls(
            filters=DashboardFilters.from_query(params),
            week=week,
            kind=query_params.choice(params, "kind", KINDS),
            waiting=query_params.flag(params, "waiting"),
            bucket=query_params.text(params, "bucket", max_length=20),
            overdue=query_params.flag(params, "overdue"),
        )


def drilldown_conversations(*, drill: DrillDown, now: dt.datetime, calendar: Calendar):
    """Conversations with a wait counted by the figure (one query, plus the paginator's count)."""
    filters = drill.filters
    waits = ResponseWait.objects.filter(conversation=OuterRef("pk"))
    if drill.waiting:
        waits = waits.filter(closed_at__isnull=True)
        if drill.overdue:
            waits = waits.filter(reply_due_at__lt=now)
        buckets = {bucket.key: bucket for bucket in ageing_buckets(calendar)}
        if drill.bucket in buckets:
            waits = waits.filter(waiting_filter(buckets[drill.bucket], now=now, calendar=calendar))
    else:
        start, end = period_bounds(period=filters.period, now=now)
        if drill.week is not None:
            start = max(start, local_midnight(drill.week))
            end = min(end, local_midnight(drill.week + dt.timedelta(weeks=1)))
        waits = waits.filter(closed_reason=ResponseWait.ClosedReason.ANSWERED, closed_at__gte=start, closed_at__lt=end)
        if drill.kind:
            waits = waits.filter(kind=drill.kind)
    conversations = Conversation.objects.filter(Exists(waits))
    if filters.owner_id:
        conversations = conversations.filter(owner_id=filters.owner_id)
    if filters.channel:
        conversations = conversations.filter(channel=filters.channel)
    if filters.tier:
        conversations = conversations.filter(client__response_tier=filters.tier)
    return conversations.select_related("client", "contact", "owner").order_by("-last_message_at", "-id")


def people() -> dict[int, object]:
    """Every user by id (one query): the owner filter and owner names, including former staff."""
    return {user.pk: user for user in get_user_model().objects.order_by("first_name", "username")}
