"""Dashboard figures computed ahead of time (see followups.services_dashboard)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DashboardSnapshot"]


class DashboardSnapshot(models.Model):
    """The response figures of one long period and basis, for the whole agency (`scope` "") or
    filtered by one owner, channel or tier (`scope` "owner:3", "channel:email", "tier:standard"),
    computed by the beat task `dashboard-precompute` so that the 12-, 26- and 52-week dashboards
    open at once. Exact as of `computed_at`; the page says so. One row per period, basis and
    scope, replaced on every run."""

    period = models.CharField(_("period"), max_length=8)
    basis = models.CharField(_("basis"), max_length=10)
    scope = models.CharField(_("filter"), max_length=40, blank=True, default="")
    period_start = models.DateTimeField(_("period start"))
    computed_at = models.DateTimeField(_("computed at"))
    # selectors_dashboard.breakdown_as_json(ResponseBreakdown)
    figures = models.JSONField()

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [
            # dashboard_snapshots_refresh replaces the row; the page reads it by these three.
            models.UniqueConstraint(fields=["period", "basis", "scope"], name="dashboard_snapshot_per_scope"),
        ]

    def __str__(self):
        return f"{self.period} {self.basis} {self.scope or '*'} @ {self.computed_at:%Y-%m-%d %H:%M}"
