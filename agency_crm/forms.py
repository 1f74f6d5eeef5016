from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError

from . import permissions
from .agency.selectors import agency_name


def form_add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form that called it.

    Errors for fields the form has go next to those fields; the rest (and plain messages) become
    non-field errors, so nothing a service refuses is ever silently dropped.
    """
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class OwnerFieldsMixin:
    """For a ModelForm with owner fields: disable those the user may not change
    (agency_crm.permissions), and refuse a POST that changes one anyway.

    A disabled field is ignored by Django when posted, which would silently drop a forged change;
    `refuse_forged_owner_changes()` turns it into a 403 instead. Call it before `is_valid()`.
    """

    def lock_owner_fields(self, *, user, owners: dict[str, tuple]) -> None:
        """`owners` maps a field to the people whose item it is, e.g. {"owner": (inquiry.owner_id,)}."""
        self.locked_owner_fields = [
            name for name, current in owners.items() if not permissions.may_change_any(user, current)
        ]
        for name in self.locked_owner_fields:
            self.fields[name].disabled = True

    def refuse_forged_owner_changes(self) -> None:
        for name in getattr(self, "locked_owner_fields", ()):
            key = self.add_prefix(name)
            if key not in self.data:
                continue  # browsers send nothing for a disabled field
            field = self.fields[name]
            current = field.prepare_value(self.get_initial_for_field(field, name))
            if (self.data.get(key) or "").strip() != ("" if current is None else str(current)):
                raise PermissionDenied


class SiteUrlPasswordResetForm(PasswordResetForm):
    """The reset email's link is built from SITE_URL. Django would use the request's Host header,
    which an attacker chooses when ALLOWED_HOSTS is a wildcard: the victim would get a link to the
    attacker's site carrying a valid reset token."""

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        kwargs["extra_email_context"] = {**(kwargs.get("extra_email_context") or {}), "site_name": agency_name()}
        return super().save(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type="file" multiple> (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
