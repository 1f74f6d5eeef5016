from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "agency_crm.api"
    # "api": the token model is swapped in as knox's (KNOX_TOKEN_MODEL = "api.PersonalToken").
    label = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema  # noqa: F401  (the schema's authentication extensions)
