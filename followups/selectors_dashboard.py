"""Reads for the manager dashboard (/dashboard/), each a constant number of queries.

The figures come from the stored `ResponseWait` rows (followups.services.clock), never from a
replay of messages:

- Response times: answered waits whose answer (`closed_at`) falls in the period. Percentiles are
  exact: PostgreSQL's `percentile_cont` (linear interpolation) in one query with GROUPING SETS
  for the headline and every breakdown; on other databases the same interpolation in Python.
- Breakdowns use the conversation's *current* owner and its channel of origin, and the client's
  current tier, so every figure links to the conversations behind it (and a reassignment moves
  the history with the work). The owner and channel are read from each wait's copies of its
  conversation's (kept equal by the clock and by every handover), the tier from the client.
  Weeks are agency-time-zone weeks starting on Monday, by answer time.
- "Waiting now": open waits, aged in the agency's business time. Instead of computing the age
  of every open wait, the bucket edges are turned into moments (the instant that lies exactly N
  business seconds before now) and the waits are counted with SQL comparisons.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from clients.models import ResponseTier

from .business_calendar import MAX_DAYS, Calendar, NeverOpenError
from .models import Channel, Conversation, DashboardSnapshot, ResponseWait

# --- filters (allow-lists) -----------------------------------------------------------------------
PERIODS = {"1w": 1, "4w": 4, "12w": 12, "26w": 26, "52w": 52}
PERIOD_LABELS = {
    "1w": _("This week"),
    "4w": _("Last 4 weeks"),
    "12w": _("Last 12 weeks"),
    "26w": _("Last 26 weeks"),
    "52w": _("Last 52 weeks"),
}
DEFAULT_PERIOD = "4w"
BASES = {"business": _("Business hours"), "calendar": _("Calendar hours")}
# The stored column of each basis: the only strings ever put into the SQL below.
BASIS_COLUMNS = {"business": "business_seconds", "calendar": "calendar_seconds"}
KINDS = ("first", "next")


@dataclass(frozen=True)
class DashboardFilters:
    period: str = DEFAULT_PERIOD
    basis: str = "business"
    owner_id: int | None = None
    channel: str = ""
    tier: str = ""

    @classmethod
    def from_query(cls, params) -> DashboardFilters:
        owner = params.get("owner", "")
        return cls(
            period=params.get("period") if params.get("period") in PERIODS else DEFAULT_PERIOD,
            basis=params.get("basis") if params.get("basis") in BASES else "business",
            owner_id=int(owner) if owner.isdigit() and len(owner) < 12 else None,
            channel=params.get("channel") if params.get("channel") in Channel.values else "",
            tier=params.get("tier") if params.get("tier") in ResponseTier.values else "",
        )

    def params(self, **overrides) -> dict:
        values = {
            "period": self.period,
            "basis": self.basis,
            "owner": self.owner_id or "",
            "channel": self.channel,
            "tier": self.tier,
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value not in ("", None)}

    def query(self, **overrides) -> str:
        return urlencode(self.params(**overrides))

    def with_values(self, **changes) -> DashboardFilters:
        return replace(self, **changes)


def agency_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.TIME_ZONE)


def week_start(moment: dt.datetime) -> dt.date:
    """The Monday (agency time zone) of the week `moment` falls in."""
    local = moment.astimezone(agency_zone()).date()
    return local - dt.timedelta(days=local.weekday())


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=agency_zone()).astimezone(dt.UTC)


def period_bounds(*, period: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """[start, end): from Monday 00:00 (agency time) of the first of the last N weeks, up to now.

    "Last 4 weeks" is this week so far plus the three weeks before, so the weekly trend has
    exactly N rows.
    """
    weeks = PERIODS[period]
    first_monday = week_start(now) - dt.timedelta(weeks=weeks - 1)
    # Half-open everywhere; one microsecond (the database's resolution) past now includes now.
    return local_midnight(first_monday), now + dt.timedelta(microseconds=1)


def period_weeks(*, start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    monday, last = week_start(start), week_start(end)
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += dt.timedelta(weeks=1)
    return weeks


# --- exact percentiles ------------------------------------------------------------------------------
def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = math.ceil(position)
    if lower == upper:
        return float(ordered[lower])
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _rounded(seconds: float | None) -> float | None:
    """Percentiles to the millisecond: float8 interpolation leaves noise like 32400.000000000015."""
    return None if seconds is None else round(seconds, 3)


@dataclass
class KindFigures:
    count: int = 0
    met: int = 0
    p50: float | None = None
    p90: float | None = None

    @property
    def hit_rate(self) -> float | None:
        return self.met / self.count if self.count else None


@dataclass
class Figures:
    """Response figures of one group of answered waits (seconds in the chosen basis)."""

    first: KindFigures = field(default_factory=KindFigures)
    next: KindFigures = field(default_factory=KindFigures)

    @property
    def count(self) -> int:
        return self.first.count + self.next.count

    @property
    def met(self) -> int:
        return self.first.met + self.next.met

    @property
    def hit_rate(self) -> float | None:
        return self.met / self.count if self.count else None


@dataclass
class ResponseBreakdown:
    total: Figures
    by_owner: dict[int, Figures]
    by_channel: dict[str, Figures]
    by_tier: dict[str, Figures]
    by_week: dict[dt.date, Figures]


def _filter_sql(filters: DashboardFilters) -> tuple[str, list]:
    clauses, params = [], []
    if filters.owner_id:
        clauses.append("w.owner_id = %s")
        params.append(filters.owner_id)
    if filters.channel:
        clauses.append("w.channel = %s")
        params.append(filters.channel)
    if filters.tier:
        clauses.append("cl.response_tier = %s")
        params.append(filters.tier)
    return "".join(f" AND {clause}" for clause in clauses), params


def _postgres_breakdown(*, filters: DashboardFilters, start, end) -> ResponseBreakdown:
    column = BASIS_COLUMNS[filters.basis]
    extra, extra_params = _filter_sql(filters)
    aggregates = []
    for kind in KINDS:
        aggregates += [
            f"count(*) FILTER (WHERE w.kind = '{kind}')",
            f"count(*) FILTER (WHERE w.kind = '{kind}' AND w.met_target)",
            f"percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY w.{column}) FILTER (WHERE w.kind = '{kind}')",
        ]
    # One index-only scan of the period's answered waits (wait_answered_facts_idx, which holds
    # the wait's copies of its conversation's owner, client and channel) for every table at once;
    # only the clients (for their current tier) are joined.
    sql = f"""
        SELECT GROUPING(w.owner_id, w.channel, cl.response_tier, week) AS grouping_bits,
               w.owner_id, w.channel, cl.response_tier, week,
               {", ".join(aggregates)}
        FROM followups_responsewait w
        JOIN clients_client cl ON cl.id = w.client_id
        CROSS JOIN LATERAL (SELECT date_trunc('week', w.closed_at AT TIME ZONE %s)::date AS week) AS wk
        WHERE w.closed_reason = 'answered' AND w.closed_at >= %s AND w.closed_at < %s{extra}
        GROUP BY GROUPING SETS ((), (w.owner_id), (w.channel), (cl.response_tier), (week))
    """  # noqa: S608 - only allow-listed column names are interpolated
    with connection.cursor() as cursor:
        cursor.execute(sql, [settings.TIME_ZONE, start, end, *extra_params])
        rows = cursor.fetchall()
    breakdown = ResponseBreakdown(Figures(), {}, {}, {}, {})
    # GROUPING() bits, most significant first: owner, channel, tier, week (1 = rolled up).
    tables = {0b0111: ("by_owner", 1), 0b1011: ("by_channel", 2), 0b1101: ("by_tier", 3), 0b1110: ("by_week", 4)}
    for row in rows:
        values = row[5:]
        figures = Figures()
        for index, kind in enumerate(KINDS):
            count, met, percentiles = values[index * 3 : index * 3 + 3]
            p50, p90 = (_rounded(value) for value in percentiles) if percentiles else (None, None)
            setattr(figures, kind, KindFigures(count=count, met=met, p50=p50, p90=p90))
        if row[0] == 0b1111:
            breakdown.total = figures
        else:
            attribute, column = tables[row[0]]
            getattr(breakdown, attribute)[row[column]] = figures
    return breakdown


def _python_breakdown(*, filters: DashboardFilters, start, end) -> ResponseBreakdown:
    """The exact fallback for databases without percentile_cont (SQLite in `make run`)."""
    waits = ResponseWait.objects.filter(
        closed_reason=ResponseWait.ClosedReason.ANSWERED, closed_at__gte=start, closed_at__lt=end
    )
    waits = _filter_waits(waits, filters).values_list(
        "owner_id",
        "channel",
        "client__response_tier",
        "closed_at",
        "kind",
        BASIS_COLUMNS[filters.basis],
        "met_target",
    )
    groups: dict[tuple, dict[str, list]] = {}
    for owner_id, channel, tier, closed_at, kind, seconds, met in waits:
        for key in [("total", None), ("owner", owner_id), ("channel", channel), ("tier", tier)] + [
            ("week", week_start(closed_at))
        ]:
            groups.setdefault(key, {"first": [], "next": []})[kind].append((seconds, met))
    breakdown = ResponseBreakdown(Figures(), {}, {}, {}, {})
    for (dimension, value), by_kind in groups.items():
        figures = Figures()
        for kind in KINDS:
            rows = by_kind[kind]
            seconds = [row[0] for row in rows]
            setattr(
                figures,
                kind,
                KindFigures(
                    count=len(rows),
                    met=sum(1 for row in rows if row[1]),
                    p50=_rounded(percentile_cont(seconds, 0.5)),
                    p90=_rounded(percentile_cont(seconds, 0.9)),
                ),
            )
        if dimension == "total":
            breakdown.total = figures
        else:
            getattr(breakdown, f"by_{dimension}")[value] = figures
    return breakdown


def _filter_waits(waits, filters: DashboardFilters):
    if filters.owner_id:
        waits = waits.filter(owner_id=filters.owner_id)
    if filters.channel:
        waits = waits.filter(channel=filters.channel)
    if filters.tier:
        waits = waits.filter(client__response_tier=filters.tier)
    return waits


def response_breakdown(*, filters: DashboardFilters, start: dt.datetime, end: dt.datetime) -> ResponseBreakdown:
    """Median, p90 and hit rate of first responses and next replies answered in [start, end)."""
    if connection.vendor == "postgresql":
        return _postgres_breakdown(filters=filters, start=start, end=end)
    return _python_breakdown(filters=filters, start=start, end=end)


# --- figures computed ahead of time (long periods) ------------------------------------------------
# Exact percentiles need every value of the period: 52 weeks at 1,000,000 messages take over a
# second however they are indexed. The beat task `dashboard-precompute` stores the agency-wide
# figures of these periods (followups.services_dashboard); the page shows them with their age.
PRECOMPUTED_PERIODS = ("12w", "26w", "52w")


def _kind_as_json(figures: KindFigures) -> list:
    return [figures.count, figures.met, figures.p50, figures.p90]


def _figures_as_json(figures: Figures) -> dict:
    return {kind: _kind_as_json(getattr(figures, kind)) for kind in KINDS}


def _figures_from_json(data: dict) -> Figures:
    return Figures(**{kind: KindFigures(*data[kind]) for kind in KINDS})


def breakdown_as_json(breakdown: ResponseBreakdown) -> dict:
    return {
        "total": _figures_as_json(breakdown.total),
        "by_owner": [[key, _figures_as_json(value)] for key, value in breakdown.by_owner.items()],
        "by_channel": [[key, _figures_as_json(value)] for key, value in breakdown.by_channel.items()],
        "by_tier": [[key, _figures_as_json(value)] for key, value in breakdown.by_tier.items()],
        "by_week": [[key.isoformat(), _figures_as_json(value)] for key, value in breakdown.by_week.items()],
    }


def breakdown_from_json(data: dict) -> ResponseBreakdown:
    def groups(name, key=lambda value: value):
        return {key(value): _figures_from_json(figures) for value, figures in data[name]}

    return ResponseBreakdown(
        total=_figures_from_json(data["total"]),
        by_owner=groups("by_owner"),
        by_channel=groups("by_channel"),
        by_tier=groups("by_tier"),
        by_week=groups("by_week", dt.date.fromisoformat),
    )


def snapshot_max_age() -> dt.timedelta:
    """A snapshot older than this is not shown (the beat task is late or stopped): the page
    computes the figures itself instead, slowly but never stale."""
    return dt.timedelta(seconds=2 * settings.DASHBOARD_PRECOMPUTE_SECONDS + 60)


def page_breakdown(
    *, filters: DashboardFilters, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> tuple[ResponseBreakdown, dt.datetime | None]:
    """The response figures for the page, and the moment they were computed when they come from
    a snapshot (None: computed now). A snapshot is used for an agency-wide long period when it is
    recent and covers the same weeks (after Monday 00:00 a new week starts the period)."""
    if filters.period in PRECOMPUTED_PERIODS and not (filters.owner_id or filters.channel or filters.tier):
        snapshot = (
            DashboardSnapshot.objects.filter(
                period=filters.period,
                basis=filters.basis,
                period_start=start,
                computed_at__gte=now - snapshot_max_age(),
                computed_at__lte=end,
            )
            .only("computed_at", "figures")
            .first()
        )
        if snapshot is not None:
            return breakdown_from_json(snapshot.figures), snapshot.computed_at
    return response_breakdown(filters=filters, start=start, end=end), None


# --- waiting now ------------------------------------------------------------------------------------
def business_moment_before(end: dt.datetime, seconds: int, calendar: Calendar) -> dt.datetime:
    """The latest moment T with exactly `seconds` of opening time in [T, end).

    A wait that started after T has waited less than `seconds` business seconds; one that
    started at or before T has waited at least that long.
    """
    end = end.astimezone(dt.UTC)
    remaining = dt.timedelta(seconds=seconds)
    day = end.astimezone(calendar.zone).date()
    for offset in range(MAX_DAYS):
        interval = calendar.opening_interval(day - dt.timedelta(days=offset))
        if interval is None:
            continue
        opens, closes = interval
        if opens >= end:
            continue
        closes = min(closes, end)
        available = closes - opens
        if remaining <= available:
            return closes - remaining
        remaining -= available
    raise NeverOpenError(f"No {seconds} business seconds within {MAX_DAYS} days before {end.isoformat()}.")


def business_day_seconds(calendar: Calendar) -> int:
    """A "business day" for the ageing buckets: the average opening time of an open weekday."""
    open_days = [hours[1] - hours[0] for hours in calendar.weekly_hours if hours is not None]
    return round(sum(open_days) / len(open_days) * 60) if open_days else 24 * 3600


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    short: str  # the chart's axis label
    # Waited at least `low` and less than `high` business seconds (None: unbounded).
    low: int
    high: int | None


def ageing_buckets(calendar: Calendar) -> list[Bucket]:
    day = business_day_seconds(calendar)
    return [
        Bucket("under_1h", _("Under 1 business hour"), _("< 1 h"), 0, 3600),
        Bucket("1_4h", _("1–4 business hours"), _("1–4 h"), 3600, 4 * 3600),
        Bucket("4_8h", _("4–8 business hours"), _("4–8 h"), 4 * 3600, 8 * 3600),
        Bucket("8h_3d", _("8 business hours – 3 business days"), _("8 h – 3 d"), 8 * 3600, 3 * day),
        Bucket("over_3d", _("Over 3 business days"), _("> 3 d"), 3 * day, None),
    ]


@dataclass
class WaitingRow:
    owner_id: int | None
    buckets: list[int]
    overdue: int
    total: int


@dataclass
class WaitingNow:
    buckets: list[Bucket]
    rows: list[WaitingRow]
    total: WaitingRow


def waiting_filter(bucket: Bucket, *, now: dt.datetime, calendar: Calendar) -> Q:
    """Q on ResponseWait.started_at for the open waits whose business age is in the bucket."""
    condition = Q()
    if bucket.low:
        condition &= Q(started_at__lte=business_moment_before(now, bucket.low, calendar))
    if bucket.high is not None:
        condition &= Q(started_at__gt=business_moment_before(now, bucket.high, calendar))
    return condition


def waiting_now(*, filters: DashboardFilters, now: dt.datetime, calendar: Calendar) -> WaitingNow:
    """Open waits per owner in business-age buckets, plus overdue ones (one query)."""
    buckets = ageing_buckets(calendar)
    annotations = {
        f"b{index}": Count("id", filter=waiting_filter(bucket, now=now, calendar=calendar))
        for index, bucket in enumerate(buckets)
    }
    # The open waits: WHERE closed_at IS NULL (partial index wait_open_due_idx covers them).
    waits = _filter_waits(ResponseWait.objects.filter(closed_at__isnull=True), filters)
    rows = (
        waits.values("conversation__owner_id")
        .annotate(**annotations, overdue=Count("id", filter=Q(reply_due_at__lt=now)), total=Count("id"))
        .order_by("conversation__owner_id")
    )
    result = [
        WaitingRow(
            owner_id=row["conversation__owner_id"],
            buckets=[row[f"b{index}"] for index in range(len(buckets))],
            overdue=row["overdue"],
            total=row["total"],
        )
        for row in rows
    ]
    total = WaitingRow(
        owner_id=None,
        buckets=[sum(row.buckets[index] for row in result) for index in range(len(buckets))],
        overdue=sum(row.overdue for row in result),
        total=sum(row.total for row in result),
    )
    return WaitingNow(buckets=buckets, rows=result, total=total)


# --- the inquiry funnel -----------------------------------------------------------------------------
@dataclass
class Funnel:
    by_status: list[tuple[str, str, int]]  # (status, label, count) in pipeline order
    won: int
    lost: int
    accepted: int
    accepted_car_only: int

    @property
    def total(self) -> int:
        return sum(count for _status, _label, count in self.by_status)

    @property
    def won_rate(self) -> float | None:
        decided = self.won + self.lost
        return self.won / decided if decided else None

    @property
    def accepted_with_wants(self) -> int:
        return self.accepted - self.accepted_car_only

    @property
    def car_only_share(self) -> float | None:
        return self.accepted_car_only / self.accepted if self.accepted else None

    @property
    def wants_share(self) -> float | None:
        return self.accepted_with_wants / self.accepted if self.accepted else None


def inquiry_funnel(*, filters: DashboardFilters, start: dt.datetime, end: dt.datetime) -> Funnel:
    """Inquiries created in the period by status, and proposals accepted in it (two queries).

    The Car is the Musts alone: an accepted proposal with no chosen want (accepted_item_ids = []).
    Channel does not apply (an inquiry has a source, not a conversation channel).
    """
    from inquiries.models import Inquiry, Proposal

    inquiries = Inquiry.objects.filter(created_at__gte=start, created_at__lt=end)
    proposals = Proposal.objects.filter(accepted_at__gte=start, accepted_at__lt=end)
    if filters.owner_id:
        inquiries = inquiries.filter(owner_id=filters.owner_id)
        proposals = proposals.filter(inquiry__owner_id=filters.owner_id)
    if filters.tier:
        inquiries = inquiries.filter(client__response_tier=filters.tier)
        proposals = proposals.filter(inquiry__client__response_tier=filters.tier)
    counts = dict(inquiries.values_list("status").annotate(n=Count("id")).order_by())
    accepted = proposals.aggregate(total=Count("id"), car=Count("id", filter=Q(accepted_item_ids=[])))
    return Funnel(
        by_status=[(value, label, counts.get(value, 0)) for value, label in Inquiry.Status.choices],
        won=counts.get(Inquiry.Status.WON, 0),
        lost=counts.get(Inquiry.Status.LOST, 0),
        accepted=accepted["total"],
        accepted_car_only=accepted["car"],
    )


# --- post-sale care (followups.selectors_care and models_care, the care feature) ----------------------
def care_figures(*, filters: DashboardFilters, start: dt.datetime, end: dt.datetime, owner=None) -> dict:
    """Happiness from the care feature's selector (one query); its owner is a user or None."""
    from .selectors_care import happiness

    return happiness(start=start, end=end, owner=owner, channel=filters.channel or None, tier=filters.tier or None)


@dataclass
class CheckinFigures:
    on_time: int = 0
    late: int = 0  # done after it became overdue, or still open past that day
    pending: int = 0  # open and not overdue yet: not counted in the rate

    @property
    def on_time_rate(self) -> float | None:
        decided = self.on_time + self.late
        return self.on_time / decided if decided else None


def checkin_figures(
    *, filters: DashboardFilters, start: dt.datetime, end: dt.datetime, calendar: Calendar
) -> CheckinFigures:
    """Check-ins due in the period, done before they turned overdue (one query).

    A check-in turns overdue CHECKIN_OVERDUE_AFTER_DAYS business days after its due date
    (followups.selectors_care.overdue_from); skipped ones are left out. The channel filter does
    not apply (check-ins have channels of their own).
    """
    from django.db.models.functions import TruncDate

    from .models_care import Checkin
    from .selectors_care import overdue_from

    zone = calendar.zone
    today = end.astimezone(zone).date()
    checkins = Checkin.objects.filter(due_on__gte=start.astimezone(zone).date(), due_on__lte=today).exclude(
        status=Checkin.Status.SKIPPED
    )
    if filters.owner_id:
        checkins = checkins.filter(owner_id=filters.owner_id)
    if filters.tier:
        checkins = checkins.filter(client__response_tier=filters.tier)
    groups = (
        checkins.annotate(done_day=TruncDate("done_at", tzinfo=zone))
        .values_list("due_on", "status", "done_day")
        .annotate(n=Count("id"))
        .order_by()
    )
    figures = CheckinFigures()
    overdue_days: dict[dt.date, dt.date] = {}
    for due_on, status, done_day, count in groups:
        if due_on not in overdue_days:
            overdue_days[due_on] = overdue_from(due_on, calendar)
        overdue_day = overdue_days[due_on]
        if status == Checkin.Status.DONE:
            if done_day is not None and done_day < overdue_day:
                figures.on_time += count
            else:
                figures.late += count
        elif today >= overdue_day:
            figures.late += count
        else:
            figures.pending += count
    return figures


# --- the conversations behind a figure ----------------------------------------------------------------
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
        week = None
        try:
            week = dt.date.fromisoformat(params.get("week", ""))
        except ValueError:
            pass
        if week is not None and week.weekday() != 0:
            week = None
        return cls(
            filters=DashboardFilters.from_query(params),
            week=week,
            kind=params.get("kind") if params.get("kind") in KINDS else "",
            waiting=params.get("waiting") == "1",
            bucket=params.get("bucket", "")[:20],
            overdue=params.get("overdue") == "1",
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
