"""Managers edit response policies, the business calendar and closure days here.

Editing needs agency_crm.manage_policies (held by the Manager role), on top of admin access.
Conversations are shown read-only: their clock figures are derived data (followups.conversations.services).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


@admin.register(ResponsePolicy)
class ResponsePolicyAdmin(ManagedByPolicyPermission):
    list_display = [
        "__str__",
        "first_response_minutes",
        "next_reply_minutes",
        "around_the_clock",
        "send_acknowledgement",
    ]


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(ManagedByPolicyPermission):
    fieldsets = [
        (None, {"fields": ["time_zone", "country", "subdivision"]}),
        (
            _("Opening hours"),
            {
                "fields": [
                    (f"{day}_opens", f"{day}_closes") for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        # A singleton: BusinessCalendar.load() creates it.
        return super().has_add_permission(request) and not BusinessCalendar.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClosureDay)
class ClosureDayAdmin(ManagedByPolicyPermission):
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
    readonly_fields = ["status", "awaiting_since", "reply_due_at", "last_message_at"]
    inlines = [ResponseWaitInline]

    def get_readonly_fields(self, request, obj=None):
        # Once it exists, a conversation changes hands on its page ("Change owner"), which
        # notifies the new owner and moves the figures (the waits' copies) along with it.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "client", "owner", "channel"] if obj is not None else fields
