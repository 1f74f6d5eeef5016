from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Clients")

    def ready(self):
        from . import offboarding, search
        from .offboarding import AccountOwnerWork, BackupOwnerWork
        from .search_providers import ClientSearch, ContactSearch, NoteSearch

        search.register(ClientSearch())
        search.register(ContactSearch())
        search.register(NoteSearch())
        offboarding.register(AccountOwnerWork())
        offboarding.register(BackupOwnerWork())
