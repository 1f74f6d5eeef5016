from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import MailboxConnection
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


class MailboxForm(forms.Form):
    """/settings/mailbox/: the support mailbox. The password is write-only: never rendered back,
    and left empty it keeps the stored one."""

    host = forms.CharField(label=_("Server"), max_length=255, help_text=_("e.g. imap.gmail.com or mail.agency.co.kr"))
    port = forms.IntegerField(label=_("Port"), min_value=1, max_value=65535, initial=993)
    security = forms.ChoiceField(
        label=_("Security"), choices=MailboxConnection.Security.choices, initial=MailboxConnection.Security.SSL
    )
    username = forms.CharField(label=_("User name"), max_length=255, help_text=_("Usually the mailbox's address."))
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    folder = forms.CharField(label=_("Folder"), max_length=255, initial="INBOX")
    poll_seconds = forms.IntegerField(
        label=_("Check for new email every (seconds)"),
        min_value=15,
        # At most five minutes: /healthz reports a mailbox not read for ten minutes as lagging.
        max_value=300,
        initial=60,
    )

    def __init__(self, *args, password_stored: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.password_stored = password_stored
        self.fields["password"].help_text = (
            _("A password is stored. Leave this empty to keep it.")
            if password_stored
            else _("An app password, if your mail provider offers them. It is stored encrypted and never shown again.")
        )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not password and not self.password_stored:
            raise forms.ValidationError(_("Enter the mailbox's password."))
        return password

    def clean_host(self):
        host = self.cleaned_data["host"].strip()
        if not host or any(c.isspace() for c in host) or "/" in host:
            raise forms.ValidationError(_("Enter the server's name only, without spaces or a path."))
        return host
