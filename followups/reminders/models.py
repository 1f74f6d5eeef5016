"""Reminders, escalation and in-app notifications.

- `ReminderSettings` (a singleton managers edit in the admin): which levels run, the warning
  share, the escalation delay and the email batching interval.
- `ReminderSchedule`: one row per open ResponseWait with its stored level times and the next
  moment a reminder is deliverable (`next_at`). The every-minute beat task finds crossed levels
  with an indexed range query on `next_at`; it never scans conversations.
- `Reminder`: "this level was reminded for the wait this customer message started", unique per
  (message, level): the guarantee that two beats, two workers or a retried task never remind twice,
  and that a replay of the clock (an exchange logged late, a corrected time, a deleted message)
  never reminds a message's level again. It belongs to the wait that holds its message now.
- `Notification`: the in-app bell; `NotificationMailbox` remembers when each person last got a
  reminder email, so emails are batched (at most one per person per interval).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency_crm import facts

__all__ = [
    "Notification",
    "NotificationMailbox",
    "Reminder",
    "ReminderLevel",
    "ReminderSchedule",
    "ReminderSettings",
    "SnoozeReason",
]


class ReminderLevel(models.IntegerChoices):
    # Ordered: the schedule moves from one level to the next, never back.
    WARNING = 1, _("Warning")
    DUE = 2, _("Due")
    ESCALATION = 3, _("Escalation")


class SnoozeReason(models.TextChoices):
    CALL_BACK = "call_back", _("The customer will call back")
    WAITING_ON_CUSTOMER = "waiting_on_customer", _("Waiting for something from the customer")
    IN_PROGRESS = "in_progress", _("Working on it, the customer knows")
    NO_REPLY_NEEDED = "no_reply_needed", _("No reply needed")


class ReminderSettings(models.Model):
    """The reminder rules (one row, pk=1). Changing them re-plans every open wait."""

    warning_enabled = models.BooleanField(_("warn the owner before the reply is due"), default=True)
    warning_share_percent = models.PositiveSmallIntegerField(
        _("warn when this share of the target has passed (%)"), default=75
    )
    due_enabled = models.BooleanField(_("remind the owner and backup owner when the reply is due"), default=True)
    escalation_enabled = models.BooleanField(_("escalate to every manager after the due time"), default=True)
    escalation_delay_minutes = models.PositiveIntegerField(
        _("escalate this many business minutes after the due time"), default=120
    )
    email_interval_minutes = models.PositiveIntegerField(
        _("at most one reminder email per person every (minutes)"), default=15
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(warning_share_percent__gte=1, warning_share_percent__lte=99),
                name="reminder_warning_share_between_1_and_99",
            ),
        ]

    def __str__(self):
        return str(_("Reminder settings"))

    @classmethod
    def load(cls) -> "ReminderSettings":
        return cls.objects.get_or_create(pk=1)[0]


class ReminderSchedule(models.Model):
    """The reminder plan of one wait. Written only by followups.reminders.services."""

    wait = models.OneToOneField(
        "followups.ResponseWait", on_delete=models.CASCADE, primary_key=True, related_name="reminder_schedule"
    )
    # The clock figures the plan was computed from; a change (an edited message time) re-plans.
    basis_started_at = models.DateTimeField()
    basis_reply_due_at = models.DateTimeField()
    warning_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    escalation_at = models.DateTimeField(_("escalation at"), null=True, blank=True)
    # The next level to remind and when it may be delivered (after business-hours deferral and
    # snooze). NULL once every level is done or the wait closed.
    next_level = models.PositiveSmallIntegerField(choices=ReminderLevel.choices, null=True, blank=True)
    next_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(_("snoozed until"), null=True, blank=True)
    snooze_reason = models.CharField(_("snooze reason"), max_length=30, choices=SnoozeReason.choices, blank=True)
    snooze_note = models.CharField(_("note"), max_length=300, blank=True)
    snoozed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")
        indexes = [
            # The beat task: WHERE next_at IS NOT NULL AND next_at <= now ORDER BY next_at. Only
            # waits with a reminder still to come are in the index, so its size follows the open
            # backlog, and the range scan touches the crossed rows only.
            models.Index(fields=["next_at"], condition=Q(next_at__isnull=False), name="reminder_schedule_next_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_level__isnull=True, next_at__isnull=True)
                | Q(next_level__isnull=False, next_at__isnull=False),
                name="reminder_schedule_next_level_with_time",
            ),
        ]

    def __str__(self):
        return f"wait {self.wait_id}: level {self.next_level} at {self.next_at}"

    @property
    def is_snoozed(self) -> bool:
        return self.snoozed_until is not None and self.snoozed_until > timezone.now()


class Reminder(models.Model):
    """A level of a wait that was reminded (its notifications were created in the same commit).

    `message` is the customer message that started the wait when the level was reminded: the
    reminder's identity. `wait` is the wait that holds that message now; the clock's hook moves it
    (followups.reminders.services.planning.waits_plan_reminders) when a replay puts the message in
    another wait, and it is NULL only inside a replay that deleted the old wait row.
    """

    wait = models.ForeignKey(
        "followups.ResponseWait", on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders"
    )
    message = models.ForeignKey(
        "followups.Message", on_delete=models.CASCADE, related_name="+", verbose_name=_("customer message")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=ReminderLevel.choices)
    # When the level was crossed (the stored level time) and when we actually reminded.
    level_at = models.DateTimeField(_("level reached at"))
    created_at = models.DateTimeField(_("reminded at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # Exactly once per level and customer message, whatever races, retries or replays of
            # the clock happen (followups.reminders.services.delivery).
            models.UniqueConstraint(fields=["message", "level"], name="reminder_once_per_message_level"),
        ]

    def __str__(self):
        return f"{self.wait_id} {self.get_level_display()}"


class Notification(models.Model):
    """An in-app notification (the bell). Title and body are plain text, shown escaped."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40)
    # English text, for the admin and rows written before facts existed; shown through `text` and
    # `body_text`, rendered from the facts below in the reader's language (agency_crm.facts).
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    message = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict, blank=True)
    body_message = models.CharField(max_length=300, blank=True)
    body_params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    conversation = models.ForeignKey(
        "followups.Conversation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("conversation"),
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # True until the batched reminder email listing it has been written to the outbox.
    email_pending = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The /notifications/ page: WHERE recipient_id = ? ORDER BY created_at DESC, id DESC.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            # The bell: SELECT COUNT(*) WHERE recipient_id = ? AND read_at IS NULL.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            # The email batcher: WHERE email_pending ORDER BY recipient_id, created_at.
            models.Index(
                fields=["recipient", "created_at"], condition=Q(email_pending=True), name="notification_email_idx"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def text(self) -> str:
        return facts.render(self.message, self.params, self.title)

    @property
    def body_text(self) -> str:
        return facts.render(self.body_message, self.body_params, self.body)

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationMailbox(models.Model):
    """When a person last got a batched reminder email (the lock row of the batcher)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_email_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification mailbox")
        verbose_name_plural = _("notification mailboxes")

    def __str__(self):
        return f"{self.user_id}: {self.last_email_at}"
