"""Post-sale care: check-in plans and check-ins, satisfaction feedback, the weekly review.

- `CheckinPlan`: a named cadence (days after a start date, or every N months while a client is on
  a maintenance contract). Managers edit plans in the admin; the defaults come from a data migration.
- `CheckinSchedule`: one plan started for one client (from a delivered inquiry or by hand).
- `Checkin`: one planned touch (email, call or visit) with its due date, owner and outcome.
- `FeedbackRequest`: one signed, expiring link a customer may use to rate our service, and the
  rating given through it (one rating per request; it may be changed for a short while).
- `WeeklyReview`: one row per reviewed week, so the Monday email goes out exactly once.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from clients.models import Client, Contact

__all__ = [
    "DEFAULT_CHECKIN_PLANS",
    "Checkin",
    "CheckinChannel",
    "CheckinPlan",
    "CheckinSchedule",
    "FeedbackRequest",
    "Rating",
    "Sentiment",
    "WeeklyReview",
    "ensure_default_checkin_plans",
    "new_feedback_token",
]


class CheckinChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")


class Sentiment(models.TextChoices):
    GOOD = "good", _("Good")
    NEUTRAL = "neutral", _("Neutral")
    AT_RISK = "at_risk", _("At risk")


class Rating(models.TextChoices):
    GREAT = "great", _("Great")
    OKAY = "okay", _("Okay")
    NOT_GOOD = "not_good", _("Not good")


class CheckinPlan(models.Model):
    class Kind(models.TextChoices):
        AFTER_DELIVERY = "after_delivery", _("After delivery")
        MAINTENANCE = "maintenance", _("Maintenance contract")
        MANUAL = "manual", _("Started by hand")

    name = models.CharField(_("name"), max_length=100, unique=True)
    # Which event starts the plan automatically: a delivered inquiry, a client on a maintenance
    # contract, or nothing (staff start it by hand on /checkins/).
    kind = models.CharField(_("starts"), max_length=20, choices=Kind.choices, default=Kind.MANUAL)
    offsets_days = models.JSONField(
        _("days after the start date"),
        default=list,
        blank=True,
        help_text=_("A list of whole days, e.g. [7, 30, 90]."),
    )
    repeat_every_months = models.PositiveSmallIntegerField(
        _("repeat every (months)"),
        null=True,
        blank=True,
        help_text=_("For maintenance plans: one check-in every N months while the contract lasts."),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=CheckinChannel.choices, default=CheckinChannel.EMAIL
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("check-in plan")
        verbose_name_plural = _("check-in plans")
        constraints = [
            # The daily task looks the automatic plans up by kind: at most one of each.
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind="manual"), name="checkin_plan_one_automatic_per_kind"
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        offsets = self.offsets_days
        if not isinstance(offsets, list) or not all(isinstance(d, int) and 0 <= d <= 3650 for d in offsets):
            raise ValidationError({"offsets_days": _("Enter a list of whole days between 0 and 3650.")})
        if not offsets and not self.repeat_every_months:
            raise ValidationError(_("A plan needs days after the start date or a repeat interval."))

    @property
    def label(self) -> str:
        """The name in the reader's language: the default plans' names are in the catalogue, a name
        the agency typed is shown as typed."""
        return gettext(self.name)

    @property
    def repeats(self) -> bool:
        return bool(self.repeat_every_months)


# name, kind, offsets, every N months, channel
DEFAULT_CHECKIN_PLANS = [
    (gettext_noop("After delivery"), "after_delivery", [7, 30, 90], None, "email"),
    (gettext_noop("Maintenance"), "maintenance", [], 3, "email"),
]


def ensure_default_checkin_plans(plan_model=None) -> None:
    """Create the default plans that are missing (idempotent; used by the data migration)."""
    plan_model = plan_model or CheckinPlan
    for name, kind, offsets, months, channel in DEFAULT_CHECKIN_PLANS:
        if not plan_model.objects.filter(kind=kind).exists():
            plan_model.objects.get_or_create(
                name=name,
                defaults={"kind": kind, "offsets_days": offsets, "repeat_every_months": months, "channel": channel},
            )


class CheckinSchedule(models.Model):
    """A plan started for a client on a date; its check-ins are generated from it."""

    plan = models.ForeignKey(CheckinPlan, on_delete=models.PROTECT, related_name="schedules", verbose_name=_("plan"))
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="checkin_schedules", verbose_name=_("client")
    )
    # The delivered inquiry that started it (id only: inquiries never depend on followups).
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inquiry"),
    )
    started_on = models.DateField(_("start date"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("check-in schedule")
        verbose_name_plural = _("check-in schedules")
        constraints = [
            # The daily pick-up of delivered inquiries: one schedule per inquiry and plan.
            models.UniqueConstraint(
                fields=["inquiry", "plan"], condition=Q(inquiry__isnull=False), name="checkin_schedule_once_per_inquiry"
            ),
            # Starting by hand twice on the same day (double click) schedules once. Two inquiries
            # of one client delivered the same day each get their own schedule.
            models.UniqueConstraint(
                fields=["client", "plan", "started_on"],
                condition=Q(inquiry__isnull=True),
                name="checkin_schedule_once_per_day",
            ),
        ]
        indexes = [
            # The maintenance extension: WHERE plan_id = ? AND stopped_at IS NULL.
            models.Index(
                fields=["plan", "client"], condition=Q(stopped_at__isnull=True), name="checkin_sched_running_idx"
            ),
        ]

    def __str__(self):
        return f"{self.plan} · {self.client} · {self.started_on:%Y-%m-%d}"


class Checkin(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        # Handled on its due date: the email went out, or the owner was told to call or visit.
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped")

    OPEN_STATUSES = (Status.SCHEDULED, Status.DUE, Status.OVERDUE)

    schedule = models.ForeignKey(
        CheckinSchedule, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("schedule")
    )
    # The n-th check-in of its schedule (the daily task extends maintenance schedules by number).
    sequence = models.PositiveSmallIntegerField(_("number"))
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("client"))
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="checkins", verbose_name=_("contact")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="checkins", verbose_name=_("owner")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=CheckinChannel.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    # Set when the contact had opted out of check-in emails: the email became a call task.
    converted_from_email = models.BooleanField(_("turned into a call (contact opted out)"), default=False)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("owner reminded at"), null=True, blank=True)
    conversation = models.ForeignKey(
        "followups.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name=_("conversation"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    sentiment = models.CharField(_("sentiment"), max_length=10, choices=Sentiment.choices, blank=True)
    skip_reason = models.CharField(_("reason skipped"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            # Scheduling twice (two daily runs, a retried task) creates each check-in once.
            models.UniqueConstraint(fields=["schedule", "sequence"], name="checkin_once_per_schedule_sequence"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(done_at__isnull=False) & ~Q(sentiment="")),
                name="checkin_done_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(skip_reason=""), name="checkin_skipped_has_reason"
            ),
        ]
        indexes = [
            # The daily task and /checkins/: WHERE status IN (open) AND due_on <= ? ORDER BY due_on.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=["scheduled", "due", "overdue"]),
                name="checkin_open_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.client} · {self.get_channel_display()} · {self.due_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


def new_feedback_token() -> str:
    return secrets.token_urlsafe(24)


class FeedbackRequest(models.Model):
    """A customer's invitation to rate us, and (once used) the rating.

    The link carries the random `token` signed with a salt and a timestamp (see
    followups.care.feedback_url), so a guessed, tampered or expired link is refused
    before the database is asked.
    """

    class Source(models.TextChoices):
        CONVERSATION = "conversation", _("Closed conversation")
        CHECKIN = "checkin", _("Check-in")
        # The link beside the management line of any other email we send the customer.
        SIGNATURE = "signature", _("Email signature")

    token = models.CharField(max_length=64, unique=True, default=new_feedback_token, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="feedback_requests", verbose_name=_("client")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    conversation = models.ForeignKey(
        "followups.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_requests",
        verbose_name=_("conversation"),
    )
    checkin = models.OneToOneField(
        Checkin, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback_request"
    )
    # Who and which channel the rating is about (for the happiness figures by owner and channel).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    language = models.CharField(_("language"), max_length=2, default="ko")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("first rated at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("rating changed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")
        constraints = [
            # The daily pick-up of closed conversations asks each conversation once.
            models.UniqueConstraint(
                fields=["conversation"], condition=Q(source="conversation"), name="feedback_once_per_conversation"
            ),
            models.CheckConstraint(
                condition=Q(rating="", rated_at__isnull=True) | (~Q(rating="") & Q(rated_at__isnull=False)),
                name="feedback_rating_has_time",
            ),
        ]
        indexes = [
            # Happiness figures and the weekly review: WHERE rated_at BETWEEN ? AND ?.
            models.Index(fields=["rated_at"], condition=~Q(rating=""), name="feedback_rated_idx"),
        ]

    def __str__(self):
        return f"{self.client} · {self.get_rating_display() or '-'}"


class WeeklyReview(models.Model):
    """The review of the week starting `week_start` (a Monday): emailed to managers once."""

    week_start = models.DateField(_("week starting"), unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("weekly review")
        verbose_name_plural = _("weekly reviews")

    def __str__(self):
        return f"{self.week_start:%Y-%m-%d}"
