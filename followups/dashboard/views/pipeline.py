"""/dashboard/pipeline/ (managers): the pipeline board's outcomes over the last twelve months."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from agency_crm.roles import manager_required

from .. import selectors
from .figures import Row, Table

MONTHS = 12


def _outcome_table(outcomes: list[selectors.Outcome]) -> Table:
    table = Table(
        "outcomes", _("Won and lost by reason"), _("Outcome"), [(_("Inquiries"), "count"), (_("Share"), "rate")]
    )
    table.rows = [Row(outcome.label, [outcome.count, outcome.share]) for outcome in outcomes]
    return table


def _conversion_table(cohorts: list[selectors.Cohort]) -> Table:
    table = Table(
        "conversion",
        _("Stage conversion by month"),
        _("Created in"),
        [
            (_("Inquiries created"), "count"),
            (_("Reached discovery"), "rate"),
            (_("Reached scoped"), "rate"),
            (_("Reached a proposal"), "rate"),
            (_("Won"), "rate"),
            (_("Lost"), "rate"),
            (_("Proposal to won"), "rate"),
        ],
    )
    for cohort in cohorts:
        label = formats.date_format(cohort.month, "YEAR_MONTH_FORMAT")
        table.rows.append(
            Row(
                label,
                [
                    cohort.created,
                    cohort.rate(cohort.discovery),
                    cohort.rate(cohort.scoped),
                    cohort.rate(cohort.proposal),
                    cohort.rate(cohort.won),
                    cohort.rate(cohort.lost),
                    cohort.proposal_to_won,
                ],
            )
        )
    return table


@manager_required
def dashboard_pipeline(request):
    now = timezone.now()
    firsts = selectors.month_starts(end=now, months=MONTHS)
    start = dt.datetime.combine(firsts[0], dt.time(), tzinfo=selectors.agency_zone())
    outcomes = selectors.outcomes_by_reason(start=start, end=now)
    cohorts = selectors.conversion_by_month(now=now, months=MONTHS)
    return render(
        request,
        "followups/dashboard/pipeline.html",
        {"start": start, "tables": [_outcome_table(outcomes), _conversion_table(cohorts)]},
    )
