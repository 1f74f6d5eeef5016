from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self):
        from clients import offboarding, search

        from .offboarding import OpenInquiriesProvider
        from .search import InquirySearchProvider, ScopeItemSearchProvider

        search.register(InquirySearchProvider())
        search.register(ScopeItemSearchProvider())
        offboarding.register(OpenInquiriesProvider())
