"""The weekly review page (managers): last week, or any past week, by its Monday."""

import datetime as dt

from django.http import Http404
from django.shortcuts import render

from agency_crm import params
from agency_crm.roles import manager_required

from ...care.dates import local_today
from ...conversations.hours import load_calendar
from ..weekly_review import week_start_of
from ..weekly_review import weekly_review as weekly_review_data


@manager_required
def weekly_review(request, week: str | None = None):
    calendar = load_calendar()
    this_week = week_start_of(local_today())
    if week is None:
        week_start = this_week - dt.timedelta(days=7)
    else:
        day = params.parse_date(week)  # None for a malformed date or one outside MIN_DATE..MAX_DATE
        if day is None or week_start_of(day) > this_week:
            raise Http404
        week_start = week_start_of(day)
    review = weekly_review_data(week_start=week_start, calendar=calendar)
    context = {
        "review": review,
        "previous_week": week_start - dt.timedelta(days=7),
        "next_week": week_start + dt.timedelta(days=7) if week_start < this_week else None,
        "is_current_week": week_start == this_week,
    }
    return render(request, "followups/care/weekly_review.html", context)
