"""The task form: what, when (a day and maybe a time) and who."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency_crm.people import display_name

from ..conversations.selectors import staff_choices
from .models import ATTACHMENTS


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    due_on = forms.DateField(
        label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=timezone.localdate
    )
    due_time = forms.TimeField(
        label=_("Time (optional)"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    assignee = forms.TypedChoiceField(label=_("For"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One query for the list, which also validates the choice.
        self._users = {user.pk: user for user in staff_choices()}
        self.fields["assignee"].choices = [(pk, display_name(user)) for pk, user in self._users.items()]

    def clean_assignee(self):
        user = self._users.get(self.cleaned_data["assignee"])
        if user is None:
            raise ValidationError(_("Choose an active colleague."))
        return user


class TaskAboutForm(forms.Form):
    """What a new task is about: one of the four kinds of item and its id (hidden fields)."""

    about = forms.ChoiceField(choices=[(name, name) for name in ATTACHMENTS], widget=forms.HiddenInput)
    about_id = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
