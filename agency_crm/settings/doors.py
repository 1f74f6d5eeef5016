"""Settings of the customers' own doors (issue 18): the contact form on the agency's website and
the self-service page reached by a magic link (README, "Settings"). Bad values fail at start-up.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from . import core
from .core import REDIS_URL, env
from .mail import MAILIN_MAX_ATTACHMENT_BYTES

# The sites that may show /contact/embed/ in an iframe (CSP frame-ancestors), e.g.
# "https://www.agency.example,https://agency.example". Empty: no site may frame it.
CONTACT_FORM_ALLOWED_ORIGINS = env.list("CONTACT_FORM_ALLOWED_ORIGINS", default=[])
for _origin in CONTACT_FORM_ALLOWED_ORIGINS:
    _parts = urlsplit(_origin)
    if _parts.scheme not in ("http", "https") or not _parts.netloc or _parts.path not in ("", "/"):
        raise ImproperlyConfigured(f"CONTACT_FORM_ALLOWED_ORIGINS: {_origin!r} is not an origin like https://host")
# A person needs at least this long to fill the form; a faster post is kept as filtered.
CONTACT_FORM_MIN_SECONDS = env.int("CONTACT_FORM_MIN_SECONDS", default=3)
# How long a rendered form stays valid (its signed token expires after this).
CONTACT_FORM_MAX_AGE_SECONDS = env.int("CONTACT_FORM_MAX_AGE_SECONDS", default=24 * 3600)
# django-ratelimit rates ("count/period", period s, m, h or d): more answers 429 and keeps nothing.
CONTACT_FORM_RATE_PER_IP = env.str("CONTACT_FORM_RATE_PER_IP", default="10/m")
CONTACT_FORM_RATE_PER_EMAIL = env.str("CONTACT_FORM_RATE_PER_EMAIL", default="5/h")
# Attachments: at most this many files, together within this size (and the mail-in limit).
CONTACT_FORM_MAX_FILES = env.int("CONTACT_FORM_MAX_FILES", default=3)
CONTACT_FORM_MAX_ATTACHMENT_BYTES = min(
    env.int("CONTACT_FORM_MAX_ATTACHMENT_BYTES", default=4 * 1024 * 1024), MAILIN_MAX_ATTACHMENT_BYTES
)
# The self-service page's magic links: valid this many days; requests for one are rate-limited.
PORTAL_LINK_MAX_AGE_DAYS = env.int("PORTAL_LINK_MAX_AGE_DAYS", default=14)
PORTAL_RATE_PER_IP = env.str("PORTAL_RATE_PER_IP", default="10/m")
PORTAL_RATE_PER_EMAIL = env.str("PORTAL_RATE_PER_EMAIL", default="3/h")
if CONTACT_FORM_MIN_SECONDS < 0 or CONTACT_FORM_MAX_FILES < 0 or PORTAL_LINK_MAX_AGE_DAYS < 1:
    raise ImproperlyConfigured(
        "CONTACT_FORM_MIN_SECONDS and CONTACT_FORM_MAX_FILES must not be negative; PORTAL_LINK_MAX_AGE_DAYS >= 1."
    )
# Behind a reverse proxy every request comes from the proxy: name the header that carries the
# visitor's address (e.g. HTTP_X_REAL_IP), or the limits count the proxy (README, "Deploy").
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")
# django-ratelimit warns about Django's own RedisCache (it does support atomic increments). Without
# Redis (`make run`), the in-memory cache counts per process, which is enough on one machine.
SILENCED_SYSTEM_CHECKS = [
    *getattr(core, "SILENCED_SYSTEM_CHECKS", []),
    "django_ratelimit.W001",
    *([] if REDIS_URL else ["django_ratelimit.E003"]),
]
