from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import OPTIONAL_INSTANT_KINDS, Preferences

INTERVAL_CHOICES = [
    ("", _("The agency's default")),
    ("15", _("15 minutes")),
    ("30", _("30 minutes")),
    ("60", _("1 hour")),
    ("120", _("2 hours")),
    ("240", _("4 hours")),
    ("480", _("8 hours")),
]


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("The agency's default"))] + list(settings.LANGUAGES),
        help_text=Preferences._meta.get_field("language").help_text,
    )
    email_interval_minutes = forms.TypedChoiceField(
        label=_("Summary email interval"),
        required=False,
        choices=INTERVAL_CHOICES,
        coerce=int,
        empty_value=None,
        help_text=_("Routine notices are gathered into at most one email per this interval."),
    )
    instant_kinds = forms.MultipleChoiceField(
        label=_("Notices that come at once"),
        required=False,
        choices=OPTIONAL_INSTANT_KINDS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each of these comes in an email of its own instead of waiting for the summary. Escalations, "
            "“Not good” ratings and check-ins at risk always come at once."
        ),
    )

    class Meta:
        model = Preferences
        fields = ["language", "name_order", "email_interval_minutes", "instant_kinds", "signature"]
        widgets = {"signature": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}
        labels = {"name_order": _("How names are shown"), "signature": _("Signature")}
