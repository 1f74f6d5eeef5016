"""Dashboard tasks: thin wrappers that compute the long periods' figures and send the weekly review."""

from celery import shared_task

from . import services as services_dashboard
from .weekly_review import weekly_review_send


@shared_task(name="followups.tasks_dashboard.dashboard_precompute")
def dashboard_precompute() -> int:
    """Beat runs this every DASHBOARD_PRECOMPUTE_SECONDS: the long periods' response figures."""
    return services_dashboard.dashboard_snapshots_refresh()


# Kept under its first name: beat's rows and queued messages carry it.
@shared_task(name="followups.tasks_care.weekly_review")
def weekly_review() -> int | None:
    """Beat runs this hourly; last week's review is emailed once, at the week's first opening."""
    review = weekly_review_send()
    return review.pk if review else None
