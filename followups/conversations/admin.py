"""Managers see response policies, the business calendar and closure days here (view only: they
are edited on /settings/agency/). Seeing them needs agency_crm.manage_policies (held by the
Manager role), on top of admin access.
Conversations are shown read-only: their clock figures are derived data (followups.conversations.services).
"""

from django.contrib import admin

from .hours import BusinessCalendar, ClosureDay
from .models import Conversation, ResponsePolicy, ResponseWait, Topic

POLICY_PERMISSION = "agency_crm.manage_policies"


class ManagedByPolicyPermission(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.has_perm(POLICY_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


class ViewOnlyForManagers(ManagedByPolicyPermission):
    """Opening hours, closures and targets are edited on /settings/agency/, whose services re-plan
    every open wait and its reminders in the same transaction; an edit here would not."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ResponsePolicy)
class ResponsePolicyAdmin(ViewOnlyForManagers):
    list_display = [
        "__str__",
        "first_response_minutes",
        "next_reply_minutes",
        "around_the_clock",
        "send_acknowledgement",
    ]


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(ViewOnlyForManagers):
    fields = ["time_zone", "country", "subdivision"]


@admin.register(ClosureDay)
class ClosureDayAdmin(ViewOnlyForManagers):
    list_display = ["date", "reason"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ResponseWaitInline(admin.TabularInline):
    model = ResponseWait
    extra = 0
    can_delete = False
    fields = ["kind", "started_at", "reply_due_at", "closed_at", "closed_reason", "business_seconds", "met_target"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["subject", "client", "owner", "status", "reply_due_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["client", "owner"]
    raw_id_fields = ["client", "contact", "owner"]
    # merged_into is set only by the merge service (it moves the thread and replays the clock).
    readonly_fields = ["status", "awaiting_since", "reply_due_at", "last_message_at", "merged_into"]
    inlines = [ResponseWaitInline]

    def get_readonly_fields(self, request, obj=None):
        # Once it exists, a conversation changes hands on its page ("Change owner"), which
        # notifies the new owner and moves the figures (the waits' copies) along with it.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "client", "owner", "channel"] if obj is not None else fields
