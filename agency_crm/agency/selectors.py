"""What the rest of the project reads of the agency's settings (one query each, no row needed)."""

from email.utils import formataddr, parseaddr

from django.conf import settings

from .models import AgencySettings


def agency_settings() -> AgencySettings:
    """The stored row, or an unsaved empty one (every field then falls back to its setting)."""
    return AgencySettings.objects.filter(pk=1).first() or AgencySettings(pk=1)


def agency_name(row: AgencySettings | None = None) -> str:
    row = row or agency_settings()
    return row.name or settings.AGENCY_NAME


def customer_email_sender(row: AgencySettings | None = None) -> str:
    """The From of customer email: the stored name and address, else DEFAULT_FROM_EMAIL's."""
    row = row or agency_settings()
    default_name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    address = row.sender_address or default_address
    name = row.sender_name or row.name or default_name
    return formataddr((name, address)) if name else address


def contact_form_allowed_origins(row: AgencySettings | None = None) -> list[str]:
    """The sites that may frame /contact/embed/: the stored list once a manager saved one,
    else CONTACT_FORM_ALLOWED_ORIGINS."""
    row = row or agency_settings()
    return list(settings.CONTACT_FORM_ALLOWED_ORIGINS if row.embed_origins is None else row.embed_origins)


def contact_form_origins_set() -> bool:
    """For the first-run checklist: a manager has saved at least one embedding origin in the app."""
    return bool(AgencySettings.objects.filter(pk=1).values_list("embed_origins", flat=True).first())
