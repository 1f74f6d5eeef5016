"""Post-sale care tasks: thin wrappers that call followups.care (nothing passed in)."""

from celery import shared_task

from .daily import care_run_daily


@shared_task(name="followups.tasks_care.care_daily")
def care_daily() -> dict:
    """Beat runs this hourly: schedule plans, handle due and overdue check-ins during business
    hours, ask closed conversations for feedback. Safe to run twice at once (conditional updates
    and unique constraints)."""
    return care_run_daily()
