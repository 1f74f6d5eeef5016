from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SnoozeReason


class SnoozeForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Snooze until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=SnoozeReason.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["until"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
