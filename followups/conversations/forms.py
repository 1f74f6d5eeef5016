import re

from django import forms
from django.conf import settings
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency_crm.forms import MultipleFileField
from agency_crm.people import display_name

from .models import Channel, Message
from .placeholders import missing_marker, unfilled
from .selectors import loggable_contacts, staff_choices
from .subjects import reply_subject

# Our replies: email goes through the outbox issue; the others just record what happened.
REPLY_CHANNELS = [Channel.EMAIL, Channel.PHONE, Channel.KAKAO, Channel.MEETING, Channel.OTHER]
LOG_CHANNELS = [Channel.PHONE, Channel.KAKAO, Channel.MEETING, Channel.WEB_FORM, Channel.EMAIL, Channel.OTHER]
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _choices(channels):
    return [(c.value, c.label) for c in channels]


class OccurredAtField(forms.DateTimeField):
    """A local wall-clock time (Asia/Seoul by default) from a datetime-local input."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DATETIME_WIDGET)
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)


class QuickLogForm(forms.Form):
    # Chosen with the type-ahead picker (templates/jinja2/followups/_contact_picker.jinja), which posts
    # the contact's id. Validating it looks up that one row; the queryset is never rendered
    # (a hidden widget, not a <select> of every contact: that made the inbox take a second).
    contact = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=loggable_contacts(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Search for the customer and choose one of the results."),
            "invalid_choice": _("That customer cannot be chosen (unknown, or the client is archived). Search again."),
        },
    )
    direction = forms.ChoiceField(
        label=_("Who spoke"),
        choices=Message.Direction.choices,
        initial=Message.Direction.FROM_CUSTOMER,
        widget=forms.RadioSelect,
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=_choices(LOG_CHANNELS), initial=Channel.PHONE)
    body = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    subject = forms.CharField(
        label=_("Subject"),
        required=False,
        max_length=200,
        help_text=_("For a new conversation. Leave empty to use the start of what was said."),
    )
    occurred_at = OccurredAtField(
        label=_("When"), required=False, help_text=_("Leave empty for now; set it when logging a call later.")
    )

    @property
    def chosen_contact(self):
        """The contact to show as chosen: the valid posted one, else the initial one."""
        if self.is_bound:
            return getattr(self, "cleaned_data", {}).get("contact")
        initial = self.initial.get("contact")
        return initial if hasattr(initial, "client") else None


class OwnerForm(forms.Form):
    """Choose the conversation's owner among active colleagues (one query for the list, which
    also validates the choice)."""

    # The card's heading says "Owner"; the select keeps that name for screen readers.
    owner = forms.TypedChoiceField(label="", coerce=int, widget=forms.Select(attrs={"aria-label": _("Owner")}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._users = {user.pk: user for user in staff_choices()}
        self.fields["owner"].choices = [(pk, display_name(user)) for pk, user in self._users.items()]

    def clean_owner(self):
        return self._users[self.cleaned_data["owner"]]


def _addresses(text: str) -> list[str]:
    addresses = [part.strip() for part in re.split(r"[,;\s]+", text or "") if part.strip()]
    for address in addresses:
        validate_email(address)
    return list(dict.fromkeys(addresses))


class ReplyForm(forms.Form):
    """The composer. By email: To (the conversation's contact, or others of its client), Cc, the
    subject, files and the text, previewed as sent; "When" is only for logging a call or a
    message made earlier by another channel. `seen` is the newest message the sender had on
    screen: a reply by a colleague after it asks for confirmation (`confirm_newer`)."""

    channel = forms.ChoiceField(label=_("Reply by"), choices=_choices(REPLY_CHANNELS), initial=Channel.EMAIL)
    to = forms.TypedMultipleChoiceField(
        label=_("To"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    cc = forms.CharField(
        label=_("Cc"), required=False, max_length=1000, help_text=_("Email addresses, separated by commas.")
    )
    subject = forms.CharField(label=_("Subject"), required=False, max_length=200)
    # The language the reply is written in: the email's footer, dates and headings follow it,
    # whoever else it goes to (the conversation's contact's language unless the writer chooses).
    language = forms.ChoiceField(label=_("Email language"), choices=settings.LANGUAGES, required=False)
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    attachments = MultipleFileField(label=_("Files"), required=False)
    occurred_at = OccurredAtField(
        label=_("When"),
        required=False,
        help_text=_("Only for logging a call or message made earlier; an email is sent now."),
    )
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    confirm_newer = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, conversation=None, seen: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conversation = conversation
        self._recipients = {}
        # Said before the upload, and the same limits the outbox applies (agency_crm.outbox).
        self.fields["attachments"].help_text = _("Up to %(count)s files, %(each)s each and %(total)s in all.") % {
            "count": settings.OUTBOX_MAX_ATTACHMENTS,
            "each": filesizeformat(settings.OUTBOX_MAX_ATTACHMENT_BYTES),
            "total": filesizeformat(settings.OUTBOX_MAX_TOTAL_ATTACHMENT_BYTES),
        }
        if conversation is not None:
            # The triage placeholder's contacts are strangers to each other: offer only this one.
            contacts = (
                [conversation.contact] if conversation.client.is_placeholder and conversation.contact_id else []
            ) or [c for c in conversation.client.contacts.all() if not conversation.client.is_placeholder]
            contacts = [c for c in contacts if c is not None and c.email]
            self._recipients = {contact.pk: contact for contact in contacts}
            self.fields["to"].choices = [(c.pk, f"{c.name} <{c.email}>") for c in contacts]
            if not self.is_bound:
                if conversation.channel == Channel.KAKAO:
                    # A KakaoTalk conversation is answered on KakaoTalk unless the writer chooses.
                    self.initial.setdefault("channel", Channel.KAKAO)
                self.initial.setdefault("to", [conversation.contact_id] if conversation.contact_id else [])
                if conversation.contact_id:
                    self.initial.setdefault("language", conversation.contact.preferred_language)
                self.initial.setdefault("subject", reply_subject(conversation.subject))
                if seen is None:
                    seen = conversation.messages.order_by("-id").values_list("id", flat=True).first() or 0
                self.initial.setdefault("seen", seen)

    def clean_body(self):
        body = self.cleaned_data["body"]
        missing = unfilled(body)
        if missing:
            raise forms.ValidationError(
                _("Replace %(markers)s with the right text before sending: the saved reply had no data for it.")
                % {"markers": ", ".join(missing_marker(name) for name in missing)}
            )
        return body

    def clean_cc(self):
        try:
            return _addresses(self.cleaned_data["cc"])
        except forms.ValidationError:
            raise forms.ValidationError(_("Write Cc as email addresses separated by commas.")) from None

    def clean_to(self):
        """The chosen contacts; none chosen is the conversation's own contact (a reply always goes
        to someone, and a form posted without the list still answers the customer who wrote)."""
        return [self._recipients[pk] for pk in self.cleaned_data["to"] if pk in self._recipients]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == Channel.EMAIL:
            if cleaned.get("occurred_at"):
                self.add_error(
                    "occurred_at", _("An email is sent now: leave When empty (it is for logging a call made earlier).")
                )
        elif cleaned.get("attachments"):
            if self.conversation is not None and self.conversation.channel == Channel.KAKAO:
                # A KakaoTalk chat carries photos and files too (followups.kakao checks its limits).
                if cleaned.get("channel") != Channel.KAKAO or cleaned.get("occurred_at"):
                    self.add_error(
                        "attachments",
                        _("Files are sent by email or KakaoTalk only: choose one of them, or remove them."),
                    )
            else:
                self.add_error("attachments", _("Files are sent by email only: choose Email, or remove them."))
        return cleaned


class _OwnIds:
    """Ids of its own (`customer_body`, not `id_body`): the conversation page shows this form beside
    the reply form, whose fields have the same names, and a label must point at its own field."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class CustomerMessageForm(_OwnIds, forms.Form):
    id_prefix = "customer"
    channel = forms.ChoiceField(label=_("Channel"), choices=_choices(LOG_CHANNELS), initial=Channel.PHONE)
    body = forms.CharField(label=_("Customer's message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    occurred_at = OccurredAtField(label=_("When"), required=False)


class NoteForm(_OwnIds, forms.Form):
    id_prefix = "note"
    body = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=20000)


class NoteEditForm(forms.Form):
    body = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)


class ContactEmailForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class NoReplyNeededForm(forms.Form):
    reason = forms.CharField(
        label=_("Why no reply is needed"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. the customer just said thanks")}),
    )


class MessageTimeForm(forms.Form):
    occurred_at = OccurredAtField(label=_("Happened at"))

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + timezone.timedelta(minutes=1):
            raise forms.ValidationError(_("The time cannot be in the future."))
        return value


class SubjectForm(_OwnIds, forms.Form):
    id_prefix = "conversation"
    subject = forms.CharField(label=_("Subject"), max_length=200)


class TopicsForm(forms.Form):
    topics = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=500,
        help_text=_("Comma-separated, e.g. login bug, invoice."),
    )

    def clean_topics(self):
        names = [" ".join(name.split()) for name in self.cleaned_data["topics"].split(",")]
        names = [name for name in names if name]
        if any(len(name) > 50 for name in names):
            raise forms.ValidationError(_("A topic has at most 50 characters."))
        return names
