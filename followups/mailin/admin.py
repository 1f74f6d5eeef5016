"""Admin views of inbound email (read-only: email is imported, never typed in)."""

from django.contrib import admin

from .models import InboundEmail, MailImportFailure


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "from_address", "subject", "automatic_reason", "threaded_by", "source"]
    list_filter = ["source", "threaded_by"]
    search_fields = ["message_id", "from_address", "subject"]
    list_select_related = ["conversation"]
    exclude = ["html_body"]


@admin.register(MailImportFailure)
class MailImportFailureAdmin(ReadOnlyAdmin):
    list_display = ["last_failed_at", "summary", "attempts", "resolved_at", "source"]
    list_filter = ["source"]
    search_fields = ["summary", "error", "raw_sha256"]
