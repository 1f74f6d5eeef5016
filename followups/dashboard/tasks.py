"""Dashboard tasks: thin wrappers that call followups.services_dashboard."""

from celery import shared_task

from . import services as services_dashboard


@shared_task(name="followups.tasks_dashboard.dashboard_precompute")
def dashboard_precompute() -> int:
    """Beat runs this every DASHBOARD_PRECOMPUTE_SECONDS: the long periods' response figures."""
    return services_dashboard.dashboard_snapshots_refresh()
