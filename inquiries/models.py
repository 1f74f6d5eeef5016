from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.indexes import text_search_indexes
from clients.models import Client, Contact, referral_errors

from . import estimates

currency_validator = RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter currency code such as KRW or USD."))


class DiscoveryQuestion(models.Model):
    """One question the agency wants answered before pricing. Managed in the admin.

    Built-in questions carry a `key` so their wording is shown translated; questions the agency
    adds are shown as typed."""

    key = models.SlugField(_("key"), max_length=50, unique=True, null=True, blank=True)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("discovery question")
        verbose_name_plural = _("discovery questions")

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return BUILTIN_QUESTION_LABELS.get(self.key or "", self.text)


# Wording of the built-in questions (seeded by migration 0002), translated at display time.
BUILTIN_QUESTION_LABELS = {
    "end_users": _("Who are the end users?"),
    "exists_today": _("What exists today (systems, spreadsheets, paper)?"),
    "day_one": _("What must work on day one?"),
    "deadline_driver": _("What drives the deadline?"),
    "budget": _("What budget is available, and who approves it?"),
    "maintenance": _("Who maintains it afterwards?"),
}


class Inquiry(models.Model):
    class Source(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        WEB_FORM = "web_form", _("Website form")
        KAKAO = "kakao", _("KakaoTalk")
        REFERRAL = "referral", _("Referral")
        EVENT = "event", _("Event or meeting")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        DISCOVERY = "discovery", _("Discovery")
        SCOPED = "scoped", _("Scoped")
        PROPOSAL_SENT = "proposal_sent", _("Proposal sent")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        ON_HOLD = "on_hold", _("On hold")

    title = models.CharField(_("title"), max_length=200)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("client"))
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("contact"),
    )
    source = models.CharField(_("source channel"), max_length=20, choices=Source.choices, default=Source.EMAIL)
    # The client (and contact) who sent this inquiry our way. Left empty, an inquiry of a referred
    # client counts for its client's referrer (inquiries.referrals).
    referred_by = models.ForeignKey(
        Client,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referred_inquiries",
        verbose_name=_("referred by"),
    )
    referred_by_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referred by (contact)"),
    )
    problem = models.TextField(_("the problem, in the customer's words"))
    goal = models.TextField(_("the goal behind it (why do they want this?)"), blank=True)
    budget_min = models.DecimalField(
        _("budget from"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_max = models.DecimalField(
        _("budget up to"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    deadline = models.DateField(_("stated deadline"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inquiries", verbose_name=_("owner")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    # When the inquiry entered its status: the pipeline board's "days in stage" and "stale".
    # Every service that changes `status` sets it.
    status_changed_at = models.DateTimeField(_("in this status since"), default=timezone.now)
    lost_reason = models.TextField(_("reason lost"), blank=True)
    # Blank means the agency-wide settings (AGENCY_HOURLY_RATE, AGENCY_CURRENCY).
    hourly_rate = models.DecimalField(
        _("hourly rate"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the agency's default rate."),
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[currency_validator],
        help_text=_("Leave empty to use the agency's default currency."),
    )
    assumptions = models.TextField(
        _("assumptions"), blank=True, help_text=_("Shown to the client on the proposal, one per line.")
    )
    # Recorded when the client accepts a proposal.
    accepted_total = models.DecimalField(_("accepted total"), max_digits=16, decimal_places=2, null=True, blank=True)
    won_at = models.DateTimeField(_("won at"), null=True, blank=True)
    # When the work shipped; the post-sale check-ins (followups) start from this date.
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_min__lte=models.F("budget_max")),
                name="inquiry_budget_range_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(hourly_rate__isnull=True) | models.Q(hourly_rate__gt=0),
                name="inquiry_hourly_rate_positive",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="lost") | ~models.Q(lost_reason=""),
                name="inquiry_lost_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(delivered_on__isnull=True) | models.Q(status="won"),
                name="inquiry_delivered_only_when_won",
            ),
            models.CheckConstraint(
                condition=~models.Q(referred_by=models.F("client")), name="inquiry_not_referred_by_its_client"
            ),
        ]
        indexes = [
            # The pipeline list: WHERE status = ? [AND owner_id = ?] ORDER BY created_at DESC.
            models.Index(fields=["status", "-created_at"], name="inquiry_status_recent_idx"),
            # Search (inquiries.search.InquirySearchProvider -> clients.search.text_filter).
            *text_search_indexes(prefix="inquiry", fields=["title", "problem", "goal"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("inquiries:detail", args=[self.pk])

    def clean(self):
        super().clean()
        own = _("The referrer must be a client other than the inquiry's own.")
        client = self.client if self.client_id else None
        referral_errors(self.referred_by, self.referred_by_contact, itself=client, own_label=own)

    @property
    def effective_hourly_rate(self) -> Decimal:
        return self.hourly_rate if self.hourly_rate is not None else settings.AGENCY_HOURLY_RATE

    @property
    def effective_currency(self) -> str:
        return self.currency or settings.AGENCY_CURRENCY


class DiscoveryAnswer(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="discovery_answers")
    question = models.ForeignKey(DiscoveryQuestion, on_delete=models.CASCADE, related_name="answers")
    answer = models.TextField(_("answer"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # inquiry_discovery_save upserts one answer per question.
            models.UniqueConstraint(fields=["inquiry", "question"], name="discovery_answer_once_per_question"),
        ]

    def __str__(self):
        return self.answer[:50]


class ScopeItem(models.Model):
    class Priority(models.TextChoices):
        MUST = "must", _("Must have")
        SHOULD = "should", _("Should have")
        COULD = "could", _("Could have")
        WONT = "wont", _("Won't have this time")

    class Phase(models.TextChoices):
        FIRST = "first", _("First release")
        LATER = "later", _("Later phase")

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="scope_items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MUST)
    optimistic_hours = models.DecimalField(_("optimistic hours"), max_digits=7, decimal_places=1)
    likely_hours = models.DecimalField(_("most likely hours"), max_digits=7, decimal_places=1)
    pessimistic_hours = models.DecimalField(_("pessimistic hours"), max_digits=7, decimal_places=1)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.FIRST)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("scope item")
        verbose_name_plural = _("scope items")
        constraints = [
            # A three-point estimate is ordered: 0 <= optimistic <= most likely <= pessimistic.
            models.CheckConstraint(
                condition=models.Q(optimistic_hours__gte=0)
                & models.Q(optimistic_hours__lte=models.F("likely_hours"))
                & models.Q(likely_hours__lte=models.F("pessimistic_hours")),
                name="scope_item_estimate_ordered",
            ),
        ]
        indexes = [
            # Search (inquiries.search.ScopeItemSearchProvider -> clients.search.text_filter).
            *text_search_indexes(prefix="scope_item", fields=["title", "description"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_need(self) -> bool:
        return self.priority == self.Priority.MUST

    @property
    def is_want(self) -> bool:
        return self.priority in (self.Priority.SHOULD, self.Priority.COULD)

    @property
    def estimate(self) -> estimates.Estimate:
        return estimates.Estimate(self.optimistic_hours, self.likely_hours, self.pessimistic_hours)


class Proposal(models.Model):
    """A frozen, numbered version of an inquiry's scope, sent to the client.

    Everything the client sees is read from `snapshot`, so later edits to the scope never change
    a version already sent."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveIntegerField(_("version"))
    # Random, unguessable key; the public link is this key signed with a timestamp.
    key = models.CharField(max_length=64, unique=True, editable=False)
    link_token = models.CharField(max_length=300, editable=False)
    snapshot = models.JSONField()
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("link expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by_name = models.CharField(_("accepted by"), max_length=200, blank=True)
    accepted_item_ids = models.JSONField(default=list, blank=True)
    accepted_total = models.DecimalField(_("accepted total"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["inquiry", "-number"]
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        constraints = [
            # proposal_send numbers versions 1, 2, 3... per inquiry.
            models.UniqueConstraint(fields=["inquiry", "number"], name="proposal_number_unique_per_inquiry"),
            # proposal_accept: an inquiry is accepted once, whichever version and however often
            # the form is replayed.
            models.UniqueConstraint(
                fields=["inquiry"],
                condition=models.Q(accepted_at__isnull=False),
                name="proposal_accepted_once_per_inquiry",
            ),
        ]

    def __str__(self):
        return f"{self.inquiry} v{self.number}"

    def get_absolute_url(self):
        return reverse("inquiries:proposal", args=[self.inquiry_id, self.number])

    def get_public_url(self):
        return reverse("inquiries:public_proposal", args=[self.link_token])

    @property
    def public_link(self) -> str:
        """The absolute link the customer gets by email, and the one staff see (from SITE_URL,
        never from a request's Host header)."""
        return settings.SITE_URL + self.get_public_url()

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None
