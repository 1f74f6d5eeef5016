"""Each column's count and estimate sums over all of its inquiries, added up by the database.

A board of 5,000 inquiries shows a few hundred cards, but its column heads cover every inquiry:
reading them all into Python took longer than the page's budget, so one statement sums them. The
estimate of one inquiry is the board's (`selectors._estimate`): the accepted total, else the Car's
cost range from its Musts (max(E - 2S, O) .. E + 2S, written as sums of the three points), else
the customer's budget range. Plain SQL that PostgreSQL and SQLite (`make run`) both run.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import connection

from inquiries.models import Inquiry, ScopeItem


def column_sums(queryset) -> dict[str, tuple[int, dict[str, tuple[Decimal, Decimal]]]]:
    """status -> (count, {currency: (sum of lows, sum of highs)}) for the inquiries of
    `queryset` (the board's filters), in one statement: the Musts' hours are summed per inquiry
    first, then joined, so no row of the 5,000 is grouped twice."""
    ids_sql, params = queryset.values("id").query.sql_with_params()
    inquiry, item = Inquiry._meta.db_table, ScopeItem._meta.db_table
    # Only our own table names and the ORM's statement (whose values stay parameters) are
    # interpolated.
    statement = f"""
        SELECT i.status, i.currency, COUNT(*),
            SUM(CASE WHEN i.accepted_total IS NOT NULL THEN i.accepted_total
                     WHEN s.o IS NOT NULL THEN
                         (CASE WHEN s.low_hours > s.o THEN s.low_hours ELSE s.o END) * COALESCE(i.hourly_rate, %s)
                     ELSE COALESCE(i.budget_min, i.budget_max) END),
            SUM(CASE WHEN i.accepted_total IS NOT NULL THEN i.accepted_total
                     WHEN s.o IS NOT NULL THEN s.high_hours * COALESCE(i.hourly_rate, %s)
                     ELSE COALESCE(i.budget_max, i.budget_min) END)
        FROM "{inquiry}" i
        LEFT JOIN (
            SELECT inquiry_id, SUM(optimistic_hours) AS o,
                (3 * SUM(optimistic_hours) + 4 * SUM(likely_hours) - SUM(pessimistic_hours)) / 6.0 AS low_hours,
                (4 * SUM(likely_hours) + 3 * SUM(pessimistic_hours) - SUM(optimistic_hours)) / 6.0 AS high_hours
            FROM "{item}" WHERE priority = %s GROUP BY inquiry_id
        ) s ON s.inquiry_id = i.id
        WHERE i.id IN ({ids_sql})
        GROUP BY i.status, i.currency
    """  # noqa: S608
    rate = settings.AGENCY_HOURLY_RATE
    with connection.cursor() as cursor:
        cursor.execute(statement, [rate, rate, ScopeItem.Priority.MUST, *params])
        rows = cursor.fetchall()
    default_currency = settings.AGENCY_CURRENCY
    result: dict[str, tuple[int, dict]] = {}
    for status, currency, count, low, high in rows:
        total, sums = result.get(status, (0, {}))
        if low is not None:
            currency = currency or default_currency
            previous = sums.get(currency, (Decimal(0), Decimal(0)))
            sums[currency] = (previous[0] + Decimal(str(low)), previous[1] + Decimal(str(high)))
        result[status] = (total + count, sums)
    return result
