"""Search providers for the CRM-wide search box (registered in InquiriesConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from clients.search import SearchHit, make_snippet, text_filter

from .models import Inquiry, ScopeItem


class InquirySearchProvider:
    key = "inquiries"
    label = _("Inquiries")
    order = 40

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query: matching inquiries with their client.
        queryset = text_filter(
            Inquiry.objects.filter(client__archived_at__isnull=True).select_related("client"),
            ["title", "problem", "goal"],
            query,
        ).order_by("-created_at", "-id")[:limit]
        return [
            SearchHit(
                title=inquiry.title,
                snippet=make_snippet(f"{inquiry.problem} {inquiry.goal}", query),
                url=inquiry.get_absolute_url(),
                meta=f"{inquiry.client.name} · {inquiry.get_status_display()}",
            )
            for inquiry in queryset
        ]


class ScopeItemSearchProvider:
    key = "scope_items"
    label = _("Scope items")
    order = 41

    def search(self, query: str, limit: int) -> list[SearchHit]:
        # One query: matching scope items with their inquiry and client.
        queryset = text_filter(
            ScopeItem.objects.filter(inquiry__client__archived_at__isnull=True).select_related("inquiry__client"),
            ["title", "description"],
            query,
        ).order_by("-inquiry__created_at", "position", "id")[:limit]
        return [
            SearchHit(
                title=item.title,
                snippet=make_snippet(item.description, query),
                url=f"{item.inquiry.get_absolute_url()}#item-{item.pk}",
                meta=f"{item.inquiry.client.name} · {item.inquiry.title} · {item.get_priority_display()}",
            )
            for item in queryset
        ]
