"""The Content-Security-Policy (django-csp, CONTENT_SECURITY_POLICY) and Permissions-Policy
(PERMISSIONS_POLICY) headers on every response, error pages included; a view may replace the
policy with django-csp's @csp decorator (the email frames do). Settings: agency_crm/http_policy.py.
Tests: tests/agency_crm/test_security_headers.py, tests/browser/test_content_security_policy.py."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class PolicyHeadersMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        response = super().process_response(request, response)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
