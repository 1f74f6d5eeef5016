"""The manager dashboard: response figures, waiting now, the inquiry funnel, CSV export.

Every table is built once as plain rows (`Table`), rendered as HTML and exported as CSV from the
same rows, so the two never disagree.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency_crm import params
from agency_crm.people import display_name
from agency_crm.roles import manager_required
from clients.models import ResponseTier

from ...conversations.hours import load_calendar
from ...conversations.models import Channel
from .. import selectors
from ..charts import bar_chart

EXPORTS = ("owners", "channels", "tiers", "weeks", "waiting", "funnel", "care")


@dataclass
class Row:
    label: str
    cells: list
    link: str = ""
    total: bool = False


@dataclass
class Table:
    key: str
    title: str
    label_header: str
    columns: list[tuple[str, str]]  # (header, kind): kind is duration, count, rate or text
    rows: list[Row] = field(default_factory=list)

    def body(self):
        """(row, [(value, kind) per cell]) for the template."""
        kinds = [kind for _header, kind in self.columns]
        return [(row, list(zip(row.cells, kinds, strict=True))) for row in self.rows]


def _user_name(user) -> str:
    return display_name(user, str(_("Nobody")))


def _response_columns() -> list[tuple[str, str]]:
    return [
        (_("First responses"), "count"),
        (_("First response median"), "duration"),
        (_("First response p90"), "duration"),
        (_("First responses within target"), "rate"),
        (_("Next replies"), "count"),
        (_("Next reply median"), "duration"),
        (_("Next reply p90"), "duration"),
        (_("Next replies within target"), "rate"),
        (_("All within target"), "rate"),
    ]


def _response_cells(figures: selectors.Figures) -> list:
    return [
        figures.first.count,
        figures.first.p50,
        figures.first.p90,
        figures.first.hit_rate,
        figures.next.count,
        figures.next.p50,
        figures.next.p90,
        figures.next.hit_rate,
        figures.hit_rate,
    ]


def _drill(filters: selectors.DashboardFilters, **extra) -> str:
    return f"{reverse('followups:dashboard_conversations')}?{filters.query(**extra)}"


def _response_table(key, title, label_header, groups, filters, total) -> Table:
    table = Table(key, title, label_header, _response_columns())
    for label, figures, link in groups:
        table.rows.append(Row(str(label), _response_cells(figures), link))
    table.rows.append(Row(str(_("Total")), _response_cells(total), _drill(filters), total=True))
    return table


def percent_or_none(rate: float | None) -> str | None:
    return None if rate is None else f"{rate * 100:.1f}%"


def build_tables(*, filters, breakdown, waiting, funnel, care, checkins, people, start, end) -> dict[str, Table]:
    tables = {}
    owner_ids = sorted(breakdown.by_owner, key=lambda pk: _user_name(people.get(pk)).lower())
    tables["owners"] = _response_table(
        "owners",
        _("By owner"),
        _("Owner"),
        [(_user_name(people.get(pk)), breakdown.by_owner[pk], _drill(filters, owner=pk)) for pk in owner_ids],
        filters,
        breakdown.total,
    )
    tables["channels"] = _response_table(
        "channels",
        _("By channel"),
        _("Channel"),
        [
            (label, breakdown.by_channel[value], _drill(filters, channel=value))
            for value, label in Channel.choices
            if value in breakdown.by_channel
        ],
        filters,
        breakdown.total,
    )
    tables["tiers"] = _response_table(
        "tiers",
        _("By client tier"),
        _("Tier"),
        [
            (label, breakdown.by_tier[value], _drill(filters, tier=value))
            for value, label in ResponseTier.choices
            if value in breakdown.by_tier
        ],
        filters,
        breakdown.total,
    )
    # Every week of the period, also the quiet ones, so the trend has no gaps.
    tables["weeks"] = _response_table(
        "weeks",
        _("By week"),
        _("Week of"),
        [
            (monday.isoformat(), breakdown.by_week.get(monday, selectors.Figures()), _drill(filters, week=monday))
            for monday in selectors.period_weeks(start=start, end=end)
        ],
        filters,
        breakdown.total,
    )

    waiting_table = Table(
        "waiting",
        _("Waiting now, by business time waited"),
        _("Owner"),
        [(bucket.label, "count") for bucket in waiting.buckets] + [(_("Overdue"), "count"), (_("Total"), "count")],
    )
    ordered = sorted(waiting.rows, key=lambda row: _user_name(people.get(row.owner_id)).lower())
    for row in ordered + [waiting.total]:
        is_total = row is waiting.total
        waiting_table.rows.append(
            Row(
                str(_("Total")) if is_total else _user_name(people.get(row.owner_id)),
                [*row.buckets, row.overdue, row.total],
                _drill(filters, waiting=1) if is_total else _drill(filters, waiting=1, owner=row.owner_id),
                total=is_total,
            )
        )
    tables["waiting"] = waiting_table

    funnel_table = Table("funnel", _("Inquiry funnel"), _("Figure"), [(_("Value"), "count")])
    for _value, label, count in funnel.by_status:
        funnel_table.rows.append(Row(str(label), [count]))
    funnel_table.rows.append(Row(str(_("Inquiries created")), [funnel.total], total=True))
    rates = Table("funnel_rates", "", _("Figure"), [(_("Value"), "rate")])
    rates.rows = [
        Row(str(_("Won rate (won ÷ won or lost)")), [funnel.won_rate]),
        Row(str(_("Accepted proposals that took the Car (Musts only)")), [funnel.car_only_share]),
        Row(str(_("Accepted proposals with extra wants")), [funnel.wants_share]),
    ]
    funnel_table.rows += [Row(str(_("Proposals accepted")), [funnel.accepted])]
    tables["funnel"] = funnel_table
    tables["funnel_rates"] = rates

    care_table = Table("care", _("Check-ins and happiness"), _("Figure"), [(_("Value"), "text")])
    care_table.rows = [
        Row(str(_("Check-ins done on time")), [percent_or_none(checkins.on_time_rate)]),
        Row(str(_("Check-ins on time")), [checkins.on_time]),
        Row(str(_("Check-ins late or overdue")), [checkins.late]),
        Row(str(_("Check-ins not due yet")), [checkins.pending]),
        Row(str(_("Happiness score (% Great − % Not good)")), [care["score"]]),
        Row(str(_("Ratings: Great")), [care["great"]]),
        Row(str(_("Ratings: Okay")), [care["okay"]]),
        Row(str(_("Ratings: Not good")), [care["not_good"]]),
        Row(str(_("Great per Not good")), [care["ratio"]]),
    ]
    tables["care"] = care_table
    return tables


# --- CSV ---------------------------------------------------------------------------------------------
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell that spreadsheets show as text, never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = f"{value:.4f}".rstrip("0").rstrip(".")
    value = str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_response(table: Table, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 (Korean names) correctly with a BOM
    writer = csv.writer(response)
    headers = [table.label_header] + [
        f"{header} ({_('seconds')})" if kind == "duration" else header for header, kind in table.columns
    ]
    writer.writerow([csv_cell(str(header)) for header in headers])
    for row in table.rows:
        writer.writerow([csv_cell(row.label)] + [csv_cell(cell) for cell in row.cells])
    return response


# --- views -------------------------------------------------------------------------------------------
def _load(request):
    filters = selectors.DashboardFilters.from_query(request.GET)
    people = selectors.people()
    if filters.owner_id and filters.owner_id not in people:
        raise Http404("Unknown owner.")
    return filters, people


@manager_required
def dashboard(request):
    filters, people = _load(request)
    export = request.GET.get("export")
    if export is not None and export not in EXPORTS:
        raise Http404("Unknown table.")
    now = timezone.now()
    calendar = load_calendar()
    start, end = selectors.period_bounds(period=filters.period, now=now)
    breakdown, figures_as_of = selectors.page_breakdown(filters=filters, start=start, end=end, now=now)
    waiting = selectors.waiting_now(filters=filters, now=now, calendar=calendar)
    funnel = selectors.inquiry_funnel(filters=filters, start=start, end=end)
    referrals = selectors.referral_figures(filters=filters, start=start, end=end)
    care = selectors.care_figures(filters=filters, start=start, end=end, owner=people.get(filters.owner_id))
    checkins = selectors.checkin_figures(filters=filters, start=start, end=end, calendar=calendar)
    tables = build_tables(
        filters=filters,
        breakdown=breakdown,
        waiting=waiting,
        funnel=funnel,
        care=care,
        checkins=checkins,
        people=people,
        start=start,
        end=end,
    )
    if export:
        table = tables[export]
        if export == "funnel":
            table = Table(table.key, table.title, table.label_header, table.columns, table.rows)
            table.rows = table.rows + tables["funnel_rates"].rows
        return csv_response(table, f"dashboard-{export}-{now.astimezone(selectors.agency_zone()):%Y%m%d}.csv")

    weeks = tables["weeks"].rows[:-1]
    context = {
        "filters": filters,
        "start": start,
        "end": end,
        "figures_as_of": figures_as_of,
        "total": breakdown.total,
        "waiting": waiting,
        "funnel": funnel,
        "referrals": referrals,
        "care": care,
        "checkins": checkins,
        "tables": tables,
        "response_tables": [tables[key] for key in ("owners", "channels", "tiers", "weeks")],
        "week_chart": bar_chart(
            [(row.label[5:], [row.cells[1], row.cells[5]]) for row in weeks],
            [str(_("First response median")), str(_("Next reply median"))],
            unit=3600,
        ),
        "waiting_chart": bar_chart(
            # The short labels ("1–4 h"): the table below the chart has the long ones.
            [
                (str(bucket.short), [count])
                for bucket, count in zip(waiting.buckets, waiting.total.buckets, strict=True)
            ],
            [str(_("Waiting"))],
        ),
        "periods": list(selectors.PERIOD_LABELS.items()),
        "bases": list(selectors.BASES.items()),
        "people": sorted(people.values(), key=lambda user: _user_name(user).lower()),
        "channels": Channel.choices,
        "tiers": ResponseTier.choices,
        "exports": EXPORTS,
    }
    return render(request, "followups/dashboard/index.html", context)


@manager_required
def dashboard_conversations(request):
    """The conversations behind a dashboard figure (the link of each table row)."""
    filters, people = _load(request)
    drill = selectors.DrillDown.from_query(request.GET)
    now = timezone.now()
    calendar = load_calendar()
    if drill.bucket and drill.bucket not in {bucket.key for bucket in selectors.ageing_buckets(calendar)}:
        raise Http404("Unknown bucket.")
    conversations = selectors.drilldown_conversations(drill=drill, now=now, calendar=calendar)
    page = Paginator(conversations, 50).get_page(params.page(request.GET))
    start, end = selectors.period_bounds(period=filters.period, now=now)
    context = {
        "page": page,
        "drill": drill,
        "filters": filters,
        "owner": people.get(filters.owner_id),
        "channel_label": dict(Channel.choices).get(filters.channel, ""),
        "tier_label": dict(ResponseTier.choices).get(filters.tier, ""),
        "bucket_label": {b.key: b.label for b in selectors.ageing_buckets(calendar)}.get(drill.bucket, ""),
        "start": start,
        "end": end,
        "week_end": drill.week + dt.timedelta(days=6) if drill.week else None,
        "query": _drill_query(drill),
    }
    return render(request, "followups/dashboard/conversations.html", context)


def _drill_query(drill: selectors.DrillDown) -> str:
    extra = {}
    if drill.week:
        extra["week"] = drill.week.isoformat()
    if drill.kind:
        extra["kind"] = drill.kind
    if drill.waiting:
        extra["waiting"] = 1
    if drill.bucket:
        extra["bucket"] = drill.bucket
    if drill.overdue:
        extra["overdue"] = 1
    return drill.filters.query(**extra)
