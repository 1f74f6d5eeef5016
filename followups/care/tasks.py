"""Post-sale care tasks: thin wrappers that call followups.care (nothing passed in)."""

from celery import shared_task

from .daily import care_run_daily
from .weekly_review import weekly_review_send


@shared_task(name="followups.tasks_care.care_daily")
def care_daily() -> dict:
    """Beat runs this hourly: schedule plans, handle due and overdue check-ins during business
    hours, ask closed conversations for feedback. Safe to run twice at once (conditional updates
    and unique constraints)."""
    return care_run_daily()


@shared_task(name="followups.tasks_care.weekly_review")
def weekly_review() -> int | None:
    """Beat runs this hourly; last week's review is emailed once, at the week's first opening."""
    review = weekly_review_send()
    return review.pk if review else None
