"""Forms of the post-sale care pages (check-ins, the customer's feedback page)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import Client

from .models import CheckinPlan, Rating, Sentiment


class DateInput(forms.DateInput):
    input_type = "date"


class CheckinDoneForm(forms.Form):
    outcome = forms.CharField(
        label=_("What did you hear?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )
    sentiment = forms.ChoiceField(
        label=_("How does the customer feel?"), choices=Sentiment.choices, widget=forms.RadioSelect
    )


class CheckinSkipForm(forms.Form):
    reason = forms.CharField(label=_("Why skip it?"), max_length=300)


class CheckinStartForm(forms.Form):
    client = forms.ModelChoiceField(
        label=_("Client"),
        queryset=Client.objects.customers().only("id", "name", "is_placeholder").order_by("name", "id"),
    )
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=CheckinPlan.objects.filter(active=True).order_by("name"))
    started_on = forms.DateField(label=_("Start date"), widget=DateInput(), initial=timezone.localdate)


class FeedbackForm(forms.Form):
    rating = forms.ChoiceField(label=_("How was our service?"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
    )
