from django.contrib import admin

from .models import DiscoveryQuestion, Inquiry, Proposal, ScopeItem


@admin.register(DiscoveryQuestion)
class DiscoveryQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "key", "position", "is_active"]
    list_editable = ["position", "is_active"]


class ScopeItemInline(admin.TabularInline):
    model = ScopeItem
    extra = 0


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ["title", "client", "owner", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["client", "owner"]
    search_fields = ["title", "client__name"]
    raw_id_fields = ["client", "contact"]
    inlines = [ScopeItemInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    # Sent versions are frozen: read-only in the admin too.
    list_display = ["inquiry", "number", "sent_at", "accepted_at"]
    list_select_related = ["inquiry"]
    readonly_fields = [f.name for f in Proposal._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
