"""Gonggam settings, driven by environment variables (12-factor), in parts read in this order:

- `core`: Django, the database, cache, auth, languages and the business calendar, static and media
  files, Celery and its beat schedule, security, logging;
- `mail`: SMTP, the outbox's retries and deadline, the IMAP mailbox;
- `monitoring`: the lag limits that turn /healthz 503;
- `doors`: the contact form and the self-service page (rate limits, framing, magic links);
- `todo`: the beat run of task reminders.
- `webhooks`: outgoing webhooks (retries, deadline, timeouts, address safety).
- `api`: the REST API (tokens, scopes' rate limit, paging, errors, the OpenAPI schema).

Every variable is documented in README.md ("Settings"). Bad values fail loudly at start-up:
django-environ raises on values it cannot parse, and each part's checks raise ImproperlyConfigured.
"""

from .core import *  # noqa: F403
from .doors import *  # noqa: F403
from .mail import *  # noqa: F403
from .monitoring import *  # noqa: F403
from .todo import *  # noqa: F403
from .webhooks import *  # noqa: F403

# isort: split
# Last: it adds its apps to core's INSTALLED_APPS.
from .api import *  # noqa: F403
