"""A task and the reminders it got.

- `Task`: attached to exactly one client, inquiry, conversation or check-in (a CheckConstraint).
  Its due moment is wall-clock time in the agency's zone (business hours do not matter):
  `due_on` and an optional `due_time` as typed, and `due_at`, the aware moment they name (a
  task with a date only is due at the end of that day). `remind_level`/`remind_at` are the next
  reminder and when it is due; the beat task claims it with a conditional update.
- `TaskReminder`: "this level was reminded for this due moment", unique, so two beats, two workers
  or a retried task never remind twice; a task moved to another time is reminded again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Task", "TaskReminder", "TaskReminderLevel"]

ATTACHMENTS = ("client", "inquiry", "conversation", "checkin")


def _exactly_one_attachment() -> Q:
    condition = Q()
    for chosen in ATTACHMENTS:
        condition |= Q(**{f"{name}__isnull": name != chosen for name in ATTACHMENTS})
    return condition


class TaskReminderLevel(models.IntegerChoices):
    # Ordered: a task moves from one level to the next, never back.
    SOON = 1, _("An hour before")
    DUE = 2, _("Due")
    OVERDUE = 3, _("Overdue")


class Task(models.Model):
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    due_time = models.TimeField(_("at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("assignee")
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("client"),
    )
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("inquiry"),
    )
    conversation = models.ForeignKey(
        "followups.Conversation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("conversation"),
    )
    checkin = models.ForeignKey(
        "followups.Checkin",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("check-in"),
    )
    # None for a task the app suggested (a thank-you after a referral was won).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    remind_level = models.PositiveSmallIntegerField(choices=TaskReminderLevel.choices, null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(condition=_exactly_one_attachment(), name="task_attached_to_exactly_one"),
            models.CheckConstraint(
                condition=Q(remind_level__isnull=True, remind_at__isnull=True)
                | Q(remind_level__isnull=False, remind_at__isnull=False),
                name="task_remind_level_with_time",
            ),
            # A done task is never reminded.
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(remind_at__isnull=True), name="task_done_not_reminded"
            ),
        ]
        indexes = [
            # "My tasks" and the navigation's count: WHERE assignee_id = ? AND done_at IS NULL
            # [AND due_on <= today] ORDER BY due_at.
            models.Index(
                fields=["assignee", "due_on", "due_at"], condition=Q(done_at__isnull=True), name="task_open_idx"
            ),
            # The done part of "My tasks": WHERE assignee_id = ? AND done_at IS NOT NULL ORDER BY done_at DESC.
            models.Index(fields=["assignee", "-done_at"], condition=Q(done_at__isnull=False), name="task_done_idx"),
            # The beat task: WHERE remind_at <= now ORDER BY remind_at (open tasks with a reminder to come).
            models.Index(fields=["remind_at"], condition=Q(remind_at__isnull=False), name="task_remind_idx"),
            # The board's next step: DISTINCT ON (inquiry_id) WHERE inquiry_id IN (...) AND done_at IS NULL
            # ORDER BY inquiry_id, due_at.
            models.Index(
                fields=["inquiry", "due_at"],
                condition=Q(done_at__isnull=True, inquiry__isnull=False),
                name="task_inquiry_next_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("followups:task_edit", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def attached_to(self):
        """The client, inquiry, conversation or check-in (loaded: select it with the task)."""
        for name in ATTACHMENTS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    @property
    def about_url(self) -> str:
        if self.client_id is not None:
            return reverse("clients:detail", args=[self.client_id])
        if self.checkin_id is not None:
            return reverse("followups:checkins")
        return self.attached_to.get_absolute_url()

    @property
    def about_client(self):
        target = self.attached_to
        return target if self.client_id is not None else target.client


class TaskReminder(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    level = models.PositiveSmallIntegerField(_("level"), choices=TaskReminderLevel.choices)
    # The due moment the reminder was for: a task moved to another time is reminded again.
    due_at = models.DateTimeField(_("due at"))
    created_at = models.DateTimeField(_("reminded at"), default=timezone.now)

    class Meta:
        verbose_name = _("task reminder")
        verbose_name_plural = _("task reminders")
        constraints = [
            # Exactly once per level and due moment, whatever races or retries happen
            # (followups.todo.reminders.task_remind).
            models.UniqueConstraint(fields=["task", "level", "due_at"], name="task_reminder_once"),
        ]

    def __str__(self):
        return f"{self.task_id} {self.get_level_display()}"
