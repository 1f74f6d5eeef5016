"""Managers edit check-in plans here (agency_crm.manage_policies, like the response policies);
check-ins, feedback and weekly reviews are shown read-only for support."""

from django.contrib import admin

from ..conversations.admin import ManagedByPolicyPermission
from .models import Checkin, CheckinPlan, FeedbackRequest


@admin.register(CheckinPlan)
class CheckinPlanAdmin(ManagedByPolicyPermission):
    list_display = ["name", "kind", "offsets_days", "repeat_every_months", "channel", "active"]
    list_editable = ["active"]


class ReadOnlyForManagers(ManagedByPolicyPermission):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Checkin)
class CheckinAdmin(ReadOnlyForManagers):
    list_display = ["client", "channel", "due_on", "status", "owner", "sentiment"]
    list_filter = ["status", "channel", "sentiment"]
    list_select_related = ["client", "owner"]


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(ReadOnlyForManagers):
    list_display = ["client", "source", "rating", "rated_at", "created_at"]
    list_filter = ["rating", "source"]
    list_select_related = ["client"]
    exclude = ["token"]
