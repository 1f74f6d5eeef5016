from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Inquiries")

    def ready(self):
        from agency_crm.outbox import redaction
        from clients import offboarding, search

        from .offboarding import OpenInquiriesProvider
        from .search import InquirySearchProvider, ScopeItemSearchProvider

        search.register(InquirySearchProvider())
        search.register(ScopeItemSearchProvider())
        offboarding.register(OpenInquiriesProvider())
        # Whoever holds a proposal's link may accept it: hidden where staff see an email.
        redaction.register_customer_link(url_name="inquiries:public_proposal", label=_("[proposal link hidden]"))
