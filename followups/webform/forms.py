from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from agency_crm.forms import MultipleFileField
from clients.models import phone_validator

from .models import WebFormSettings

MAX_MESSAGE = 5000


class ContactWebForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Email"), max_length=254)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False, validators=[phone_validator])
    company = forms.CharField(label=_("Company (optional)"), max_length=200, required=False)
    message = forms.CharField(
        label=_("How can we help?"), max_length=MAX_MESSAGE, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(label=_("Files (optional)"), required=False)
    consent = forms.BooleanField(
        label=_("I agree that the agency may contact me about this message and keep it for that purpose.")
    )
    # The honeypot (followups.webform.spam): people never see it.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > settings.CONTACT_FORM_MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)d files.") % {"count": settings.CONTACT_FORM_MAX_FILES}
            )
        if sum(f.size for f in files) > settings.CONTACT_FORM_MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(
                _("The files may be %(size)s together at most.")
                % {"size": filesizeformat(settings.CONTACT_FORM_MAX_ATTACHMENT_BYTES)}
            )
        return files


class WebFormSettingsForm(forms.ModelForm):
    class Meta:
        model = WebFormSettings
        fields = ["unknown_visitors"]
        widgets = {"unknown_visitors": forms.RadioSelect}
