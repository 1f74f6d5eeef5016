from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from agency_crm import checklist

        from . import offboarding, search
        from .offboarding import AccountOwnerWork, BackupOwnerWork
        from .search_providers import ClientSearch, ContactSearch, NoteSearch
        from .selectors import clients_added_by_agency

        search.register(ClientSearch())
        search.register(ContactSearch())
        search.register(NoteSearch())
        offboarding.register(AccountOwnerWork())
        offboarding.register(BackupOwnerWork())
        # The first-run checklist of a manager's home page (agency_crm.checklist).
        checklist.register_item(
            key="clients",
            label=_("Import your clients"),
            hint=_("Upload a CSV of your clients and their contacts, or add them one by one."),
            url_name="clients:import",
            done=clients_added_by_agency,
            order=60,
        )
