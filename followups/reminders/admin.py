"""Managers edit the reminder rules here (permission agency_crm.manage_policies)."""

import logging

from django.contrib import admin
from django.db import transaction

from ..conversations.admin import ManagedByPolicyPermission
from .models import Notification, Reminder, ReminderSettings

logger = logging.getLogger(__name__)


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(ManagedByPolicyPermission):
    list_display = [
        "__str__",
        "warning_enabled",
        "warning_share_percent",
        "due_enabled",
        "escalation_enabled",
        "escalation_delay_minutes",
        "email_interval_minutes",
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ReminderSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.pk = 1
        super().save_model(request, obj, form, change)

        def replan():
            from .tasks import reminders_replan

            try:
                reminders_replan.delay()
            except Exception:  # broker down: the new rules apply to waits planned from now on
                logger.warning("reminders: could not queue the re-plan", exc_info=True)

        # Stored level times follow the new rules: re-plan open waits after the commit.
        transaction.on_commit(replan)


@admin.register(Reminder)
class ReminderAdmin(ManagedByPolicyPermission):
    list_display = ["wait", "level", "level_at", "created_at"]
    list_filter = ["level"]
    readonly_fields = ["wait", "message", "level", "level_at", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ManagedByPolicyPermission):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "email_pending"]
    list_filter = ["kind"]
    raw_id_fields = ["recipient", "conversation", "reminder"]

    def has_add_permission(self, request):
        return False
