"""Reads of the contact form room."""

from django.conf import settings


def contact_form_embedded() -> bool:
    """Is the contact form allowed on the agency's website (the first-run checklist)? Today the
    allowed embedding origins come from CONTACT_FORM_ALLOWED_ORIGINS only."""
    return bool(settings.CONTACT_FORM_ALLOWED_ORIGINS)
