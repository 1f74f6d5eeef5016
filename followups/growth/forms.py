"""The form of "Start an inquiry from this": the new inquiry's words, pre-filled from the want."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inquiries.models import Inquiry

from ..care.models import CheckinChannel
from .models import GrowthItem

# The new inquiry came up during a check-in: its channel is the inquiry's source.
SOURCE_OF_CHANNEL = {
    CheckinChannel.CALL: Inquiry.Source.PHONE,
    CheckinChannel.EMAIL: Inquiry.Source.EMAIL,
    CheckinChannel.VISIT: Inquiry.Source.EVENT,
}


class StartInquiryForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    source = forms.ChoiceField(label=gettext_lazy("Source channel"), choices=Inquiry.Source.choices)
    problem = forms.CharField(
        label=gettext_lazy("The problem, in the customer's words"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    goal = forms.CharField(
        label=gettext_lazy("The goal behind it (why do they want this?)"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @classmethod
    def initial_for(cls, item: GrowthItem, *, channel: str = "") -> dict:
        problem = _("Last time they wanted: %(title)s.") % {"title": item.title}
        if item.description:
            problem += "\n" + item.description
        return {
            "title": item.title,
            "source": SOURCE_OF_CHANNEL.get(channel, Inquiry.Source.OTHER),
            "problem": problem,
            "goal": "",
        }
