"""Settings of the public REST API under /api/v1/ (agency_crm.api; README, "Settings" and "API").

Personal access tokens (django-rest-knox, our own token model with a name, scopes and last use)
authenticate every API request; the signed-in session only opens the browsable API and the docs
pages. Every error under /api/ is one JSON shape (drf-standardized-errors). Bad values fail at
start-up.
"""

from django.core.exceptions import ImproperlyConfigured

from . import core
from .core import env

INSTALLED_APPS = [
    *core.INSTALLED_APPS,
    # The REST API's views, serializers, content negotiation, throttling and browsable pages.
    "rest_framework",
    # Personal access tokens stored only as a hash (our model extends knox's: agency_crm.api.models).
    "knox",
    # The API lists' filters (owner, status, channel, updated_since, q) as declared, validated sets.
    "django_filters",
    # The OpenAPI 3 schema (/api/v1/schema/, docs/openapi.yaml) generated from the API's views.
    "drf_spectacular",
    # Swagger UI's scripts and styles as static files, so the docs page needs no CDN.
    "drf_spectacular_sidecar",
    # One JSON error shape for every API error, with field errors, documented in the schema.
    "drf_standardized_errors",
    # The top floor: the API may use every app; nothing imports it (an import-linter contract).
    "agency_crm.api",
]

# The token model: knox's own plus a name, scopes, and the last use (agency_crm.api.models).
KNOX_TOKEN_MODEL = "api.PersonalToken"
REST_KNOX = {
    # Tokens expire only when their maker chose a date on /settings/tokens/.
    "TOKEN_TTL": None,
    # "gg_" marks a Gonggam token in logs and secret scanners (knox allows up to 10 characters).
    "TOKEN_PREFIX": "gg_",
    "AUTH_HEADER_PREFIX": "Token",
}
# knox's own migrations create its AuthToken table even though our model replaces it; that unused
# table's foreign key to the users stops the tests' flush (TRUNCATE) of the users' table. Without
# migrations, Django creates no table for a swapped model.
MIGRATION_MODULES = {"knox": None}
# Requests per token (or per signed-in person in the browsable API) before 429 with Retry-After;
# DRF's throttle rate format ("count/period", period s, m, h or d), counted in the cache (Redis).
API_RATE_PER_TOKEN = env.str("API_RATE_PER_TOKEN", default="600/m")
# The largest page a list gives (?page_size=); the default page is smaller.
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=200)
if not 1 <= API_PAGE_SIZE <= API_MAX_PAGE_SIZE <= 1000:
    raise ImproperlyConfigured("API_PAGE_SIZE must be between 1 and API_MAX_PAGE_SIZE, at most 1000.")
_count, _, _period = API_RATE_PER_TOKEN.partition("/")
if not _count.isascii() or not _count.isdigit() or int(_count) < 1 or _period[:1] not in ("s", "m", "h", "d"):
    raise ImproperlyConfigured("API_RATE_PER_TOKEN must look like 600/m (a count per s, m, h or d).")

REST_FRAMEWORK = {
    # Tokens first: a request without one is answered 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "agency_crm.api.auth.PersonalTokenAuthentication",
        "agency_crm.api.auth.BrowsableSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["agency_crm.api.access.ActiveStaffWithScope"],
    "DEFAULT_THROTTLE_CLASSES": ["agency_crm.api.auth.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE_PER_TOKEN},
    "DEFAULT_PAGINATION_CLASS": "agency_crm.api.paging.NewestFirst",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON, and the browsable API's HTML forms.
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_standardized_errors.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "agency_crm.api.errors.exception_handler",
    # ISO 8601 with the UTC offset, as stored (aware UTC); integer ids; snake_case names.
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": None,
}
# drf-standardized-errors: our handler class (Django's ValidationError from a service is a 400,
# a value the database refuses is a 400 that is logged) and its errors in the schema.
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "agency_crm.api.errors.ApiExceptionHandler",
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "ALLOWED_ERROR_STATUS_CODES": ["400", "401", "403", "404", "405", "406", "415", "429", "500"],
}
# drf-spectacular: OpenAPI 3 at /api/v1/schema/, Swagger UI at /api/v1/docs/ from the sidecar's
# static files (no CDN: our Content-Security-Policy allows only our own scripts).
SPECTACULAR_SETTINGS = {
    "TITLE": "Gonggam API",
    "DESCRIPTION": (
        "Clients, contacts, inquiries, conversations and the rest of Gonggam over HTTP. "
        "Make a personal access token on /settings/tokens/ and send it as `Authorization: Token <token>`. "
        "Every error is `{type, errors: [{code, detail, attr}]}`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs pages are for signed-in people (their session), like the other pages.
    "SERVE_AUTHENTICATION": ["rest_framework.authentication.SessionAuthentication"],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Names for the choice sets that share a field name (status, channel) across resources.
    "ENUM_NAME_OVERRIDES": {
        "ClientStatusEnum": "agency_crm.api.schema.CLIENT_STATUS",
        "InquiryStatusEnum": "agency_crm.api.schema.INQUIRY_STATUS",
        "ConversationStatusEnum": "agency_crm.api.schema.CONVERSATION_STATUS",
        "CheckinStatusEnum": "agency_crm.api.schema.CHECKIN_STATUS",
        "ChannelEnum": "followups.conversations.models.Channel",
        "CheckinChannelEnum": "followups.care.models.CheckinChannel",
        "ReplyChannelEnum": "agency_crm.api.conversations.REPLY_CHANNEL_CHOICES",
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "drf_standardized_errors.openapi_serializers.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": ["drf_standardized_errors.openapi_hooks.postprocess_schema_enums"],
}
