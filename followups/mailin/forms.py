from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .selectors import triage_contacts


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.client.name} — {obj.name}" + (f" <{obj.email}>" if obj.email else "")


class AttachSenderForm(forms.Form):
    """Unknown sender: attach the conversation to an existing contact."""

    contact = ContactChoiceField(label=_("Existing contact"), queryset=triage_contacts())


class CreateClientFromSenderForm(forms.Form):
    """Unknown sender: create a client (and the sender as its contact) and attach the conversation."""

    client_name = forms.CharField(label=_("New client's name"), max_length=200)
    contact_name = forms.CharField(label=_("Contact's name"), max_length=200, required=False)
    account_owner = forms.ModelChoiceField(
        label=_("Account owner"), queryset=get_user_model().objects.filter(is_active=True).order_by("username")
    )
