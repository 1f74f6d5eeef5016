from django.contrib import admin

from .models import Client, Contact, Note, Tag, TimelineEvent


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "response_tier", "account_owner", "archived_at"]
    list_filter = ["status", "response_tier"]
    search_fields = ["name"]
    list_select_related = ["account_owner"]
    inlines = [ContactInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "client", "kind", "summary"]
    list_select_related = ["client"]
    list_filter = ["kind"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["created_at", "client", "kind", "author"]
    list_select_related = ["client", "author"]
    list_filter = ["kind"]
