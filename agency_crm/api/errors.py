"""One JSON error shape for the whole API (drf-standardized-errors), documented in the schema:

    {"type": "validation_error" | "client_error" | "server_error",
     "errors": [{"code": "required", "detail": "This field is required.", "attr": "name"}]}

`attr` names the field (`contacts.0.email` inside a list), or is null for the whole request.
Beyond the package's own conversions, a Django ValidationError raised by a service (the same
rules as the pages) is a 400 with its field errors, and a value the database refuses is a 400
that is logged as an error so the missing validation gets added (as agency_crm.errors does for
the pages). Django's own answers under /api/ (an unknown address, 413, the 500 handler) have the same
shape: agency_crm.errors knows /api/ by its path.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from drf_standardized_errors.handler import ExceptionHandler
from drf_standardized_errors.handler import exception_handler as standard_exception_handler
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error

logger = logging.getLogger(__name__)


class ApiExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(as_serializer_error(exc))
        if isinstance(exc, DataError):
            request = self.context.get("request")
            logger.error("A database error from unvalidated input on %s", getattr(request, "path", "?"), exc_info=exc)
            return exceptions.ValidationError(_("A value is out of range or malformed."))
        return super().convert_known_exceptions(exc)


exception_handler = standard_exception_handler
