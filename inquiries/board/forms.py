from django import forms
from django.forms import modelformset_factory
from django.utils.translation import gettext_lazy as _

from inquiries.models import Inquiry

from .models import LostReason, PipelineStage


class MoveForm(forms.Form):
    """A card's menu: the stage to move to; Lost also takes a reason from the list and a note."""

    status = forms.ChoiceField(label=_("Move to"), choices=Inquiry.Status.choices)
    lost_reason = forms.ModelChoiceField(
        label=_("Lost reason"), queryset=LostReason.objects.filter(is_active=True), required=False
    )
    lost_note = forms.CharField(label=_("What happened"), max_length=2000, required=False)

    def __init__(self, *args, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stages is not None:
            self.fields["status"].choices = [(stage.status, stage.name) for stage in stages]
        self.fields["lost_reason"].label_from_instance = lambda reason: reason.name

    def clean(self):
        data = super().clean()
        if data.get("status") == Inquiry.Status.LOST and not data.get("lost_reason"):
            self.add_error("lost_reason", _("Choose why the inquiry was lost."))
        return data


class StageForm(forms.ModelForm):
    class Meta:
        model = PipelineStage
        fields = ["name_en", "name_ko", "position", "win_probability", "stale_after_days"]


LostReasonFormSet = modelformset_factory(
    LostReason, fields=["name_en", "name_ko", "position", "is_active"], extra=1, can_delete=False
)
