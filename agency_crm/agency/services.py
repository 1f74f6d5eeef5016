"""Saving the agency's settings (managers, /settings/agency/)."""

from django.db import transaction

from .models import AgencySettings


def agency_identity_save(*, name: str, sender_name: str, sender_address: str) -> AgencySettings:
    with transaction.atomic():
        row, _created = AgencySettings.objects.select_for_update().get_or_create(pk=1)
        row.name, row.sender_name, row.sender_address = name.strip(), sender_name.strip(), sender_address.strip()
        row.save(update_fields=["name", "sender_name", "sender_address"])
    return row


def contact_form_origins_save(*, origins: list[str]) -> AgencySettings:
    with transaction.atomic():
        row, _created = AgencySettings.objects.select_for_update().get_or_create(pk=1)
        row.embed_origins = list(origins)
        row.save(update_fields=["embed_origins"])
    return row
