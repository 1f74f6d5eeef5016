"""Reads for the manager dashboard (/dashboard/), each a constant number of queries.

One module per part of the page: `filters` (allow-lists, periods, weeks), `responses` (response
times with exact percentiles), `snapshots` (the long periods computed ahead by beat), `waiting`
(waiting now, aged in business time), `funnel` (inquiries), `referrals`, `care` (happiness, check-ins) and
`drilldown` (the conversations behind a figure). Import them from here.
"""

from .care import (  # noqa: F401
    CheckinFigures,
    care_figures,
    checkin_figures,
)
from .drilldown import (  # noqa: F401
    DrillDown,
    drilldown_conversations,
    people,
)
from .filters import (  # noqa: F401
    BASES,
    BASIS_COLUMNS,
    DEFAULT_PERIOD,
    KINDS,
    PERIOD_LABELS,
    PERIODS,
    DashboardFilters,
    agency_zone,
    local_midnight,
    period_bounds,
    period_weeks,
    week_start,
)
from .funnel import (  # noqa: F401
    Funnel,
    inquiry_funnel,
)
from .pipeline import (  # noqa: F401
    Cohort,
    Outcome,
    conversion_by_month,
    month_starts,
    outcomes_by_reason,
)
from .referrals import referral_figures  # noqa: F401
from .responses import (  # noqa: F401
    Figures,
    KindFigures,
    ResponseBreakdown,
    _postgres_breakdown,
    _python_breakdown,
    filter_waits,
    percentile_cont,
    response_breakdown,
)
from .snapshots import (  # noqa: F401
    PRECOMPUTED_PERIODS,
    breakdown_as_json,
    breakdown_from_json,
    page_breakdown,
    scope_filters,
    snapshot_max_age,
    snapshot_scope,
)
from .waiting import (  # noqa: F401
    Bucket,
    WaitingNow,
    WaitingRow,
    ageing_buckets,
    business_day_seconds,
    business_moment_before,
    waiting_filter,
    waiting_now,
)
