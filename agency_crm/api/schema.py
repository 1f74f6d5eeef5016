"""The OpenAPI schema (drf-spectacular): how it describes the API's authentication (a personal
access token in the Authorization header, or the signed-in session in the browsable API), the
names of its shared choice sets, and the schema page that makes it once per process."""

from django.conf import settings
from django.utils import translation
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from clients.models import Client
from followups.care.models import Checkin
from followups.conversations.models import Conversation
from inquiries.models import Inquiry


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


# The choice sets that share a field name (status, channel) across resources, named for the
# schema (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] imports these).
CLIENT_STATUS = Client.Status.choices
INQUIRY_STATUS = Inquiry.Status.choices
CONVERSATION_STATUS = Conversation.Status.choices
CHECKIN_STATUS = Checkin.Status.choices


class CachedSchemaView(SpectacularAPIView):
    """/api/v1/schema/: the schema is the same for every reader and changes only with the code,
    and generating it takes a second or more; so each process makes it once per language.

    The language is one of LANGUAGES (`?lang=` or the reader's, else the default) and `?version=`
    is not read (the version is in the path): a reader's odd value never makes, and keeps, a
    schema of its own."""

    _made: dict[str, dict] = {}

    def _get_schema_response(self, request):
        try:
            language = translation.get_supported_language_variant(translation.get_language() or "")
        except LookupError:
            language = settings.LANGUAGE_CODE
        if language not in self._made:
            with translation.override(language):
                generator = self.generator_class(urlconf=self.urlconf, api_version=None, patterns=self.patterns)
                self._made[language] = generator.get_schema(request=None, public=True)
        filename = self._get_filename(request, None)
        return Response(data=self._made[language], headers={"Content-Disposition": f'inline; filename="{filename}"'})
