"""Mail settings: SMTP, the outbox's retries and deadline, the IMAP mailbox (README, "Settings").

Read after agency_crm.settings.core, whose values they build on; bad values fail at start-up.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .core import AGENCY_NAME, CELERY_BEAT_SCHEDULE, CELERY_TASK_TIME_LIMIT, SITE_URL, VAR_DIR, env

EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive.")
MAIL_DIR = VAR_DIR / "mail"
EMAIL_FILE_PATH = str(MAIL_DIR)
# With no SMTP host configured, mail is written to files under var/mail/ (staff also see every
# email on /outbox/).
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if EMAIL_HOST
        else "django.core.mail.backends.filebased.EmailBackend"
    ),
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{AGENCY_NAME} <crm@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# The outbox (agency_crm/outbox): every email's signature tells the customer that this address
# reaches management directly (by default the sender's own mailbox); Message-IDs are generated
# with EMAIL_MESSAGE_ID_DOMAIN.
MANAGEMENT_EMAIL = env.str("MANAGEMENT_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1])
if "@" not in MANAGEMENT_EMAIL:
    raise ImproperlyConfigured("MANAGEMENT_EMAIL must be an email address (it is shown in every email).")
EMAIL_MESSAGE_ID_DOMAIN = env.str("EMAIL_MESSAGE_ID_DOMAIN", default=urlsplit(SITE_URL).hostname or "localhost")
# Temporary SMTP failures (4xx, refused connection, timeout, unknown host) are retried with
# exponential backoff (base * 2**(attempt-1), at most OUTBOX_RETRY_MAX_SECONDS apart) until
# OUTBOX_GIVE_UP_AFTER seconds after the first attempt: mail servers retry for days, and so do we.
# A row "sending" for longer than the lease belongs to a dead worker and is retried, so the lease
# must outlast the hard task time limit; an email whose sending is cut off OUTBOX_MAX_ATTEMPTS
# times (it crashes the worker, say) is failed instead of killing workers for three days.
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_GIVE_UP_AFTER = env.int("OUTBOX_GIVE_UP_AFTER", default=3 * 24 * 3600)
OUTBOX_SENDING_LEASE_SECONDS = env.int("OUTBOX_SENDING_LEASE_SECONDS", default=600)
# Files staff attach to a reply (the composer): how many, and how large each and all together.
# Most mail servers refuse messages over 20-25 MB, and base64 makes a file a third larger.
OUTBOX_MAX_ATTACHMENTS = env.int("OUTBOX_MAX_ATTACHMENTS", default=5)
OUTBOX_MAX_ATTACHMENT_BYTES = env.int("OUTBOX_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
OUTBOX_MAX_TOTAL_ATTACHMENT_BYTES = env.int("OUTBOX_MAX_TOTAL_ATTACHMENT_BYTES", default=15 * 1024 * 1024)
if OUTBOX_MAX_ATTEMPTS < 1 or OUTBOX_RETRY_BASE_SECONDS < 1:
    raise ImproperlyConfigured("OUTBOX_MAX_ATTEMPTS and OUTBOX_RETRY_BASE_SECONDS must be at least 1.")
if OUTBOX_RETRY_MAX_SECONDS < OUTBOX_RETRY_BASE_SECONDS:
    raise ImproperlyConfigured("OUTBOX_RETRY_MAX_SECONDS must be at least OUTBOX_RETRY_BASE_SECONDS.")
if OUTBOX_GIVE_UP_AFTER < OUTBOX_RETRY_BASE_SECONDS:
    raise ImproperlyConfigured("OUTBOX_GIVE_UP_AFTER must be at least OUTBOX_RETRY_BASE_SECONDS.")
# Inbound email (followups.mailin): the default mailbox, for deployments that keep it in their
# environment; a mailbox a manager connects on /settings/mailbox/ takes its place (its password
# sealed in the database with a key derived from SECRET_KEY).
IMAP_HOST = env.str("IMAP_HOST", default="")
IMAP_USE_SSL = env.bool("IMAP_USE_SSL", default=True)
IMAP_STARTTLS = env.bool("IMAP_STARTTLS", default=False)
IMAP_PORT = env.int("IMAP_PORT", default=993 if IMAP_USE_SSL else 143)
IMAP_USER = env.str("IMAP_USER", default="")
IMAP_PASSWORD = env.str("IMAP_PASSWORD", default="")
IMAP_FOLDER = env.str("IMAP_FOLDER", default="INBOX")
IMAP_POLL_SECONDS = env.int("IMAP_POLL_SECONDS", default=60)
IMAP_TIMEOUT = env.int("IMAP_TIMEOUT", default=30)
# Customer replies thread back through plus-addresses (crm+<token>@domain) of this mailbox.
MAILIN_ADDRESS = env.str("MAILIN_ADDRESS", default=parseaddr(DEFAULT_FROM_EMAIL)[1])
MAILIN_MAX_ATTACHMENT_BYTES = env.int("MAILIN_MAX_ATTACHMENT_BYTES", default=25 * 1024 * 1024)
MAILIN_MAX_PARTS = env.int("MAILIN_MAX_PARTS", default=200)
if IMAP_USE_SSL and IMAP_STARTTLS:
    raise ImproperlyConfigured("IMAP_USE_SSL and IMAP_STARTTLS are mutually exclusive.")
if IMAP_HOST and not (IMAP_USER and IMAP_PASSWORD):
    raise ImproperlyConfigured("IMAP_USER and IMAP_PASSWORD must be set when IMAP_HOST is set.")
if not 0 < IMAP_PORT < 65536 or IMAP_POLL_SECONDS < 5 or IMAP_TIMEOUT < 1:
    raise ImproperlyConfigured("IMAP_PORT must be a port, IMAP_POLL_SECONDS at least 5, IMAP_TIMEOUT at least 1.")
if "@" not in MAILIN_ADDRESS or MAILIN_MAX_ATTACHMENT_BYTES < 0 or MAILIN_MAX_PARTS < 1:
    raise ImproperlyConfigured("MAILIN_ADDRESS must be an address; MAILIN_MAX_* must be positive.")
if OUTBOX_SENDING_LEASE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("OUTBOX_SENDING_LEASE_SECONDS must be longer than CELERY_TASK_TIME_LIMIT.")
# Inbound email (followups.mailin): beat asks every few seconds; the task reads the mailbox (the
# one connected on /settings/mailbox/, else the IMAP_* settings above) once its poll interval
# has passed, and does nothing while no mailbox is connected. Idempotent by stored Message-ID.
CELERY_BEAT_SCHEDULE["mailin-poll"] = {
    "task": "followups.tasks_mailin.mailin_poll",
    "schedule": float(min(IMAP_POLL_SECONDS, 15)),
    "kwargs": {"when_due": True},
}

# KakaoTalk (followups.kakao): webhook deliveries whose task was lost are imported, and AlimTalk
# delivery results (with the SMS fallback's) are read back. Does nothing while nothing waits.
CELERY_BEAT_SCHEDULE["kakao-sweep"] = {"task": "followups.kakao.tasks.kakao_sweep", "schedule": 60.0}
