from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agency_crm import facts

from .indexes import text_search_indexes

phone_validator = RegexValidator(
    regex=r"^\+?[0-9][0-9 ()\-]{5,23}$",
    message=_("Enter a phone number with digits, spaces, dashes or brackets, e.g. 010-1234-5678 or +82 2 123 4567."),
)


class ResponseTier(models.TextChoices):
    """How fast a client must be answered; response policies attach to these (followups)."""

    STANDARD = "standard", _("Standard")
    MAINTENANCE = "maintenance", _("Maintenance contract")
    PROSPECT = "prospect", _("Prospect")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The search page finds clients by tag: clients.search.text_filter(Tag, ["name"], q).
            *text_search_indexes(prefix="tag", fields=["name"]),
        ]

    def __str__(self):
        return self.name


class ClientQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def customers(self):
        """Active clients that are customers: what lists, pickers, exports, search and counts show
        (never a placeholder such as the triage client of unknown senders)."""
        return self.active().filter(is_placeholder=False)


class Client(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        INDIVIDUAL = "individual", _("Individual")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        MAINTENANCE = "maintenance", _("Maintenance contract")
        FORMER = "former", _("Former")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROSPECT)
    response_tier = models.CharField(
        _("response tier"), max_length=20, choices=ResponseTier.choices, default=ResponseTier.STANDARD
    )
    # Only http(s): a javascript: or data: URL must never become a clickable link.
    website = models.URLField(_("website"), blank=True, validators=[URLValidator(schemes=["http", "https"])])
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="clients", verbose_name=_("tags"))
    account_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_clients",
        verbose_name=_("account owner"),
    )
    backup_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="backup_clients",
        verbose_name=_("backup owner"),
    )
    # Who brought this client to us (a client, and which of its people); the client page of the
    # referrer lists them and what their won work was worth (inquiries.referrals).
    referred_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_clients",
        verbose_name=_("referred by"),
    )
    referred_by_contact = models.ForeignKey(
        "Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by (contact)"),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    # A client record that is not a customer: the triage client that holds conversations of
    # unknown senders (followups.mailin) until staff attach them. Set by the app that creates it,
    # never by a form; ClientQuerySet.customers() leaves placeholders out.
    is_placeholder = models.BooleanField(_("placeholder"), default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(account_owner=models.F("backup_owner")),
                name="client_backup_differs_from_owner",
            ),
            models.CheckConstraint(
                condition=~models.Q(referred_by=models.F("id")), name="client_not_referred_by_itself"
            ),
        ]
        indexes = [
            # The search page: clients.search.text_filter(Client, ["name", "notes"], q).
            *text_search_indexes(prefix="client", fields=["name", "notes"]),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name to show: the placeholder client of unknown senders has an English name from the
        catalogue, shown in the reader's language; every other client's name is data."""
        return self.label_of(self.name, is_placeholder=self.is_placeholder)

    @staticmethod
    def label_of(name: str, *, is_placeholder: bool) -> str:
        """`label` of a client read as values (name and is_placeholder)."""
        return gettext(name) if is_placeholder else name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def clean(self):
        super().clean()
        own = _("A client cannot refer itself.")
        referral_errors(self.referred_by, self.referred_by_contact, itself=self, own_label=own)


def referral_errors(referrer, contact, *, itself, own_label) -> None:
    """The rules of a "referred by" pair (a client's or an inquiry's): never `itself`, never the
    placeholder client of unknown senders, and the contact one of the referrer's people."""
    errors = {}
    if referrer is not None and itself is not None and itself.pk is not None and referrer.pk == itself.pk:
        errors["referred_by"] = own_label
    elif referrer is not None and referrer.is_placeholder:
        errors["referred_by"] = _("Choose a customer as the referrer.")
    if contact is not None and (referrer is None or contact.client_id != referrer.pk):
        errors["referred_by_contact"] = _("The referring contact must belong to the referring client.")
    if errors:
        raise ValidationError(errors)


def _phone_digits():
    """The digits of `phone` alone: every character phone_validator allows besides digits removed."""
    expression = F("phone")
    for separator in (" ", "-", "(", ")", "+"):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


class ContactQuerySet(models.QuerySet):
    def of_customers(self):
        """Contacts that may be picked for work: those of active clients that are customers."""
        return self.filter(client__archived_at__isnull=True, client__is_placeholder=False)


class Contact(models.Model):
    class Language(models.TextChoices):
        KOREAN = "ko", _("Korean")
        ENGLISH = "en", _("English")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("client"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    # Kept by the database (a stored generated column), so a number typed the way a caller
    # display shows it (01012345678) finds 010-1234-5678: see clients.search.phone_digits_match.
    phone_digits = models.GeneratedField(
        expression=_phone_digits(), output_field=models.CharField(max_length=30), db_persist=True
    )
    kakao_id = models.CharField(_("KakaoTalk ID"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=100, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.KOREAN
    )
    accepts_checkins = models.BooleanField(_("accepts check-in emails"), default=True)
    # The self-service page (/my/): turning it off revokes every link sent to this contact.
    portal_access = models.BooleanField(
        _("may use the self-service page"),
        default=True,
        help_text=_("Turn off to revoke every self-service link sent to this contact."),
    )
    # Bound into every self-service link: each revocation (a new address, access turned off, "sign
    # out everywhere") raises it, so undoing the change never brings an old link back.
    links_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # Inbound email is matched to a contact by address (case-insensitive).
            models.Index(models.functions.Lower("email"), name="contact_email_lower_idx"),
            # The search page: clients.search.text_filter(Contact, ["name", "email", "phone"], q).
            *text_search_indexes(prefix="contact", fields=["name", "email", "phone"]),
        ]

    def __str__(self):
        return self.name


class TimelineEvent(models.Model):
    """One touch on a client, written by any app through clients.timeline.timeline_record().

    `kind` is a dotted string owned by the writing app (e.g. "note.added",
    "inquiry.won", "message.received"), so this app never imports the others.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="timeline_events")
    kind = models.CharField(max_length=50)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The English text, kept for the admin and for rows written before `message` existed.
    summary = models.CharField(max_length=500)
    # What happened as a fact: an untranslated msgid and its parameters (agency_crm.facts), shown
    # in the reader's language.
    message = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)
    # A body we wrote (a hand-over reason) is a fact too; a body someone typed is only `body`.
    body_message = models.CharField(max_length=300, blank=True)
    body_params = models.JSONField(default=dict, blank=True)
    # A path inside the app (e.g. the conversation page), computed by the writer.
    url = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            # The client page: WHERE client_id = ? ORDER BY occurred_at DESC, id DESC LIMIT n.
            models.Index(fields=["client", "-occurred_at", "-id"], name="timeline_client_recent_idx"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.summary}"

    @property
    def text(self) -> str:
        """The summary in the active language (agency_crm.facts)."""
        return facts.render(self.message, self.params, self.summary)

    @property
    def body_text(self) -> str:
        return facts.render(self.body_message, self.body_params, self.body)


class Note(models.Model):
    """Something a colleague learnt about a client: a note, or a logged phone call."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        CALL = "call", _("Call")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="client_notes", verbose_name=_("client"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The search page: clients.search.text_filter(Note, ["body"], q).
            *text_search_indexes(prefix="note", fields=["body"]),
        ]

    def __str__(self):
        return self.body[:50]
