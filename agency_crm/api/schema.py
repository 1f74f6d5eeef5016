"""How the OpenAPI schema (drf-spectacular) describes the API's authentication: a personal
access token in the Authorization header, or the signed-in session in the browsable API."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "agency_crm.api.auth.PersonalTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <your personal access token>`, made on /settings/tokens/.",
        }


class BrowsableSessionScheme(OpenApiAuthenticationExtension):
    target_class = "agency_crm.api.auth.BrowsableSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The signed-in session, in the browsable API's pages only.",
        }


def _choices(path: str):
    from django.utils.module_loading import import_string

    module, _, rest = path.rpartition(":")
    value = import_string(module)
    for part in rest.split(".") if rest else []:
        value = getattr(value, part)
    return value.choices


# The choice sets that share a field name (status, channel) across resources, by name
# (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] imports these).
def __getattr__(name: str):
    sources = {
        "CLIENT_STATUS": "clients.models.Client:Status",
        "INQUIRY_STATUS": "inquiries.models.Inquiry:Status",
        "CONVERSATION_STATUS": "followups.conversations.models.Conversation:Status",
        "CHECKIN_STATUS": "followups.care.models.Checkin:Status",
    }
    if name in sources:
        return _choices(sources[name])
    raise AttributeError(name)
