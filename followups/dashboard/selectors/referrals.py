"""Referrals on the dashboard: the share of new inquiries that came by referral and the top
referrers, under the page's owner and tier filters (three queries; inquiries.referrals holds the
rule of who referred what)."""

from __future__ import annotations

import datetime as dt

from inquiries.referrals import ReferralFigures
from inquiries.referrals import referral_figures as inquiry_referral_figures

from .filters import DashboardFilters


def referral_figures(*, filters: DashboardFilters, start: dt.datetime, end: dt.datetime) -> ReferralFigures:
    """Channel does not apply (an inquiry has a source, not a conversation channel)."""
    return inquiry_referral_figures(start=start, end=end, owner_id=filters.owner_id, tier=filters.tier)
