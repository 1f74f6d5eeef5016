from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from agency_crm.forms import OwnerFieldsMixin
from agency_crm.people import display_name

from .models import Client, Contact, Note, Tag
from .selectors import CLIENT_SORTS
from .services import CONTACT_FIELDS, parse_tag_names


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


def active_staff_queryset():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def referral_fields(form, *, itself=None) -> None:
    """The "referred by" pickers of the client and inquiry forms: customers (never the client
    itself) and their contacts, labelled with the client's name. A referrer archived since it was
    chosen stays selectable, so the form still validates."""
    instance = form.instance
    current = Client.objects.filter(pk=instance.referred_by_id)
    referrers = (Client.objects.customers() | current).distinct().order_by("name", "id")
    if itself is not None:
        referrers = referrers.exclude(pk=itself.pk)
    form.fields["referred_by"].queryset = referrers
    current_contact = Contact.objects.filter(pk=instance.referred_by_contact_id)
    contacts = (Contact.objects.of_customers() | current_contact).distinct()
    contacts = contacts.select_related("client").order_by("client__name", "name", "id")
    form.fields["referred_by_contact"].queryset = contacts
    form.fields["referred_by_contact"].label_from_instance = lambda c: f"{c.client.name} — {c.name}"


def referral_clean(cleaned: dict) -> dict:
    """A referring contact chosen alone names its client as the referrer."""
    contact = cleaned.get("referred_by_contact")
    if contact is not None and cleaned.get("referred_by") is None:
        cleaned["referred_by"] = contact.client
    return cleaned


class ClientForm(OwnerFieldsMixin, forms.ModelForm):
    # Model validation accepts only http(s) (javascript:, data: and ftp: are refused).
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    tags_text = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas, e.g. web, 유지보수."),
    )

    class Meta:
        model = Client
        fields = [
            "name",
            "kind",
            "status",
            "response_tier",
            "account_owner",
            "backup_owner",
            "referred_by",
            "referred_by_contact",
            "website",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        field_classes = {"account_owner": StaffChoiceField, "backup_owner": StaffChoiceField}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = active_staff_queryset()
        if self.instance.pk:
            # Keep the current (possibly deactivated) people selectable so the form still validates.
            ids = [self.instance.account_owner_id, self.instance.backup_owner_id]
            staff = get_user_model().objects.filter(is_active=True) | get_user_model().objects.filter(pk__in=ids)
            staff = staff.distinct().order_by("first_name", "last_name", "username")
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())
        self.fields["account_owner"].queryset = staff
        self.fields["backup_owner"].queryset = staff
        referral_fields(self, itself=self.instance if self.instance.pk else None)
        if self.instance.pk:
            # The account owner hands the client on and chooses its backup; the backup owner may
            # hand their own place on; managers change either (agency_crm.permissions).
            owner_id, backup_id = self.instance.account_owner_id, self.instance.backup_owner_id
            self.lock_owner_fields(
                user=user, owners={"account_owner": (owner_id,), "backup_owner": (owner_id, backup_id)}
            )

    def clean(self):
        cleaned = referral_clean(super().clean())
        owner, backup = cleaned.get("account_owner"), cleaned.get("backup_owner")
        if owner and backup and owner == backup:
            self.add_error("backup_owner", _("The backup owner must be someone other than the account owner."))
        return cleaned

    def tag_names(self) -> list[str]:
        return parse_tag_names(self.cleaned_data.get("tags_text", ""))

    def changes(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS  # what contact_create / contact_update accept

    def values(self) -> dict:
        return {field: self.cleaned_data[field] for field in self.Meta.fields}


class OptionalContactForm(ContactForm):
    """The first contact on the new-client page: left empty, no contact is created."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and any(cleaned.get(f) for f in ("email", "phone", "kakao_id", "role")):
            self.add_error("name", _("Give the contact a name."))
        return cleaned

    def is_empty(self) -> bool:
        return not self.cleaned_data.get("name")


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=Note.Kind.choices, initial=Note.Kind.NOTE, widget=forms.HiddenInput)
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3}))


class NoteEditForm(forms.Form):
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))


class ClientFilterForm(forms.Form):
    """List filters and sorting: every value is checked against an allow-list."""

    owner = StaffChoiceField(label=_("Owner"), queryset=active_staff_queryset(), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Client.Status.choices], required=False
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"), queryset=Tag.objects.all(), to_field_name="name", required=False, empty_label=_("Any tag")
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=[(key, label) for key, (label, _order) in CLIENT_SORTS.items()], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_staff_queryset()
        self.fields["owner"].empty_label = _("Anyone")
        self.fields["tag"].queryset = Tag.objects.all()
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class OffboardingForm(forms.Form):
    to_user = StaffChoiceField(label=_("Hand everything over to"), queryset=active_staff_queryset())
    # Asked on the confirmation, when some clients would be left without a backup owner.
    new_backup = StaffChoiceField(
        label=_("New backup owner for these clients"),
        queryset=active_staff_queryset(),
        required=False,
        help_text=_("Empty: they keep no backup owner."),
    )

    def __init__(self, *args, leaving_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = active_staff_queryset().exclude(pk=leaving_user.pk)
        self.fields["new_backup"].queryset = active_staff_queryset().exclude(pk=leaving_user.pk)

    def clean(self):
        cleaned = super().clean()
        to_user, new_backup = cleaned.get("to_user"), cleaned.get("new_backup")
        if to_user is not None and new_backup is not None and new_backup.pk == to_user.pk:
            self.add_error("new_backup", _("The new backup owner cannot be the person taking over."))
        return cleaned

    def backup_choices_for(self, to_user) -> None:
        """Offer as new backup anyone but the leaver and the receiver."""
        self.fields["new_backup"].queryset = self.fields["new_backup"].queryset.exclude(pk=to_user.pk)
