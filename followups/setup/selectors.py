"""Has the agency been set up in the app? Small reads for the first-run checklist (one query each)."""

from agency_crm.agency.selectors import contact_form_origins_set

from ..conversations.hours import BusinessCalendar

__all__ = ["contact_form_origins_set", "opening_hours_set", "response_targets_set"]


def opening_hours_set() -> bool:
    """A manager has saved the opening hours on /settings/agency/ (the default week does not count)."""
    return BusinessCalendar.objects.filter(pk=1, hours_saved_at__isnull=False).exists()


def response_targets_set() -> bool:
    """A manager has saved or removed a response target on /settings/agency/."""
    return BusinessCalendar.objects.filter(pk=1, targets_saved_at__isnull=False).exists()
