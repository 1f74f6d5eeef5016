"""Settings of what browsers are told and how much a request may carry, star-imported by
agency_crm/settings/core.py (every name in __all__ is a Django setting; README, "Security").

- Every page: our own scripts, styles and images only, no inline script or style (behaviour is in
  static/js/, styles in static/css/), no plugins, no other site may frame us. The two email
  previews answer with stricter policies of their own (followups.mailin.views.mail_html,
  agency_crm.outbox.views.outbox_html). Test: tests/browser/test_content_security_policy.py.
- A body announcing more than REQUEST_MAX_BODY_BYTES is refused with 413 before it is read
  (agency_crm.limits); the reverse proxy should refuse the same (README: client_max_body_size).
  The largest upload is a 2 MB client CSV (clients.csv_io.MAX_IMPORT_BYTES). Django's own limits:
  form fields of DATA_UPLOAD_MAX_MEMORY_SIZE at most in all; an upload over
  FILE_UPLOAD_MAX_MEMORY_SIZE goes to a temporary file instead of memory.
"""

import environ
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "DATA_UPLOAD_MAX_MEMORY_SIZE",
    "FILE_UPLOAD_MAX_MEMORY_SIZE",
    "PERMISSIONS_POLICY",
    "REQUEST_MAX_BODY_BYTES",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_HTTPONLY",
    "X_FRAME_OPTIONS",
]

env = environ.Env()

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# django-csp 4 (agency_crm.headers.PolicyHeadersMiddleware sends it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap's CSS draws its icons (menu, select arrow, close button) as data: SVG images.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of ours uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
REQUEST_MAX_BODY_BYTES = env.int("REQUEST_MAX_BODY_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)
if REQUEST_MAX_BODY_BYTES < 64 * 1024 or DATA_UPLOAD_MAX_MEMORY_SIZE < 64 * 1024 or FILE_UPLOAD_MAX_MEMORY_SIZE < 0:
    raise ImproperlyConfigured(
        "REQUEST_MAX_BODY_BYTES and DATA_UPLOAD_MAX_MEMORY_SIZE must be at least 65536; "
        "FILE_UPLOAD_MAX_MEMORY_SIZE must not be negative."
    )
