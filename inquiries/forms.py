from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from agency_crm.forms import OwnerFieldsMixin
from agency_crm.people import display_name
from clients.forms import referral_clean, referral_fields
from clients.models import Client, Contact

from . import estimates
from .models import Inquiry, ScopeItem


class DateInput(forms.DateInput):
    input_type = "date"


class InquiryForm(OwnerFieldsMixin, forms.ModelForm):
    """Create or edit an inquiry; on create, a new prospect and contact may be typed in."""

    new_client_name = forms.CharField(
        label=_("…or a new prospect"), max_length=200, required=False, help_text=_("Creates a prospect client.")
    )
    new_contact_name = forms.CharField(label=_("…or a new contact: name"), max_length=200, required=False)
    new_contact_email = forms.EmailField(label=_("New contact: email"), required=False)

    class Meta:
        model = Inquiry
        fields = [
            "title",
            "client",
            "new_client_name",
            "contact",
            "new_contact_name",
            "new_contact_email",
            "source",
            "referred_by",
            "referred_by_contact",
            "problem",
            "goal",
            "budget_min",
            "budget_max",
            "deadline",
            "owner",
            "hourly_rate",
            "currency",
            "assumptions",
        ]
        widgets = {
            "deadline": DateInput(),
            "problem": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "assumptions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].required = False
        self.fields["client"].queryset = Client.objects.customers().order_by("name", "id")
        self.fields["contact"].queryset = (
            Contact.objects.of_customers().select_related("client").order_by("client__name", "name")
        )
        self.fields["contact"].label_from_instance = lambda c: f"{c.client.name} — {c.name}"
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["owner"].label_from_instance = display_name
        referral_fields(self, itself=self.instance.client if self.instance.pk else None)
        if self.instance.pk:
            # An inquiry stays with its client; only the contact may change.
            for name in ("client", "new_client_name", "new_contact_name", "new_contact_email"):
                del self.fields[name]
            self.fields["contact"].queryset = self.instance.client.contacts.order_by("name")
            # Managers reassign any inquiry, its owner may hand it on (agency_crm.permissions).
            self.lock_owner_fields(user=user, owners={"owner": (self.instance.owner_id,)})
        else:
            if user is not None:
                self.fields["owner"].initial = user.pk
            if client is not None:
                # Started from the client page: that client, and only its contacts to choose from.
                self.fields["client"].initial = client.pk
                self.fields["contact"].queryset = self.fields["contact"].queryset.filter(client=client)

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").upper()

    def clean_hourly_rate(self):
        rate = self.cleaned_data.get("hourly_rate")
        if rate is not None and rate <= 0:
            raise forms.ValidationError(_("The hourly rate must be positive."))
        return rate

    def clean(self):
        data = referral_clean(super().clean())
        if self.instance.pk:
            client = self.instance.client
        else:
            client = data.get("client")
            if client is None and not data.get("new_client_name", "").strip():
                self.add_error("client", _("Choose a client or enter the name of a new prospect."))
            if client is not None and data.get("new_client_name", "").strip():
                self.add_error("new_client_name", _("Choose an existing client or a new prospect, not both."))
        contact = data.get("contact")
        if contact is not None and (client is None or contact.client_id != client.pk):
            self.add_error("contact", _("The contact must belong to the chosen client."))
        referrer = data.get("referred_by")
        if referrer is not None and client is not None and referrer.pk == client.pk:
            self.add_error("referred_by", _("The referrer must be a client other than the inquiry's own."))
        referring_contact = data.get("referred_by_contact")
        if referring_contact is not None and referrer is not None and referring_contact.client_id != referrer.pk:
            self.add_error("referred_by_contact", _("The referring contact must belong to the referring client."))
        low, high = data.get("budget_min"), data.get("budget_max")
        if low is not None and high is not None and low > high:
            self.add_error("budget_max", _("The upper budget cannot be below the lower one."))
        return data

    def _post_clean(self):
        # The service validates the model once the client is known (it may not exist yet).
        pass

    def inquiry_details(self) -> dict:
        fields = (
            "title",
            "source",
            "referred_by",
            "referred_by_contact",
            "problem",
            "goal",
            "budget_min",
            "budget_max",
            "deadline",
            "owner",
            "hourly_rate",
            "currency",
            "assumptions",
        )
        return {name: self.cleaned_data[name] for name in fields}


class ScopeItemForm(forms.ModelForm):
    class Meta:
        model = ScopeItem
        fields = [
            "title",
            "description",
            "priority",
            "phase",
            "optimistic_hours",
            "likely_hours",
            "pessimistic_hours",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "optimistic_hours": _("Optimistic (h)"),
            "likely_hours": _("Most likely (h)"),
            "pessimistic_hours": _("Pessimistic (h)"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("optimistic_hours", "likely_hours", "pessimistic_hours"):
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.5", "inputmode": "decimal"})

    def clean(self):
        data = super().clean()
        values = [data.get(n) for n in ("optimistic_hours", "likely_hours", "pessimistic_hours")]
        if all(v is not None for v in values):
            for message in estimates.estimate_errors(*values):
                self.add_error(None, message)
        return data

    def _post_clean(self):
        # Model validation (including the estimate check constraint) runs in the service.
        pass


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Inquiry.Status.choices)
    lost_reason = forms.CharField(label=_("Reason lost"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("status") == Inquiry.Status.LOST and not data.get("lost_reason", "").strip():
            self.add_error("lost_reason", _("Say why the inquiry was lost."))
        return data


class DeliveredForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput())


class DiscoveryForm(forms.Form):
    """One text field per active question of the checklist."""

    def __init__(self, *args, checklist, **kwargs):
        super().__init__(*args, **kwargs)
        for row in checklist:
            self.fields[f"q{row.question.pk}"] = forms.CharField(
                label=row.question.label,
                required=False,
                initial=row.answer,
                help_text=row.question.help_text,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[int, str]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class AcceptForm(forms.Form):
    """The client's acceptance on the public page: their name and the wants they tick."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    wants = forms.TypedMultipleChoiceField(
        label=_("Add these to the first release"),
        required=False,
        coerce=int,
        # Bootstrap's class: the box sits in the .form-check gutter, apart from its label.
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, snapshot, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = ("should", "could")
        self.fields["wants"].choices = [
            (str(item["id"]), item["title"]) for item in snapshot["items"] if item["priority"] in wanted
        ]
