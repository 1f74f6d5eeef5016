"""Outgoing webhooks (agency_crm.webhooks): retries, the give-up deadline, timeouts, address safety
(README, "Settings"). Read after agency_crm.settings.core; bad values fail at start-up."""

from django.core.exceptions import ImproperlyConfigured

from .core import CELERY_BEAT_SCHEDULE, CELERY_TASK_SOFT_TIME_LIMIT, env

# Development only: deliver to loopback, private and link-local addresses (a receiver on
# localhost). Off in production, where such a URL could reach the machine's own services or a
# cloud metadata endpoint on the agency's behalf.
WEBHOOKS_ALLOW_PRIVATE_URLS = env.bool("WEBHOOKS_ALLOW_PRIVATE_URLS", default=False)
# Seconds before each attempt of one delivery: at once, then about 1 min, 5 min, 30 min, 2 h,
# 6 h, 12 h and 24 h after the previous one; after the last, every last-value until the deadline.
WEBHOOKS_RETRY_SCHEDULE = env.list(
    "WEBHOOKS_RETRY_SCHEDULE", cast=int, default=[0, 60, 300, 1800, 7200, 21600, 43200, 86400]
)
# A delivery still failing this long after its first attempt gives up, and its endpoint is
# disabled (its owner and the managers are told).
WEBHOOKS_GIVE_UP_AFTER = env.int("WEBHOOKS_GIVE_UP_AFTER", default=3 * 24 * 3600)
# Connect, read and write timeouts of one request; the whole request is cut off at twice this.
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=5.0)
# At most this much of a receiver's answer is read (the log keeps the first 2,000 characters).
WEBHOOKS_RESPONSE_MAX_BYTES = env.int("WEBHOOKS_RESPONSE_MAX_BYTES", default=64 * 1024)
# A delivery "sending" for longer belongs to a worker that died: the sweep makes it due again.
WEBHOOKS_SENDING_LEASE_SECONDS = env.int("WEBHOOKS_SENDING_LEASE_SECONDS", default=300)
# After a secret is rotated, the old one keeps signing (a second signature) this long.
WEBHOOKS_SECRET_GRACE_SECONDS = env.int("WEBHOOKS_SECRET_GRACE_SECONDS", default=24 * 3600)

if not WEBHOOKS_RETRY_SCHEDULE or any(delay < 0 for delay in WEBHOOKS_RETRY_SCHEDULE):
    raise ImproperlyConfigured("WEBHOOKS_RETRY_SCHEDULE must be a list of seconds, none negative.")
if WEBHOOKS_GIVE_UP_AFTER < 1 or WEBHOOKS_RESPONSE_MAX_BYTES < 1 or WEBHOOKS_SECRET_GRACE_SECONDS < 0:
    raise ImproperlyConfigured("WEBHOOKS_GIVE_UP_AFTER and WEBHOOKS_RESPONSE_MAX_BYTES must be positive.")
if not 0 < WEBHOOKS_TIMEOUT_SECONDS * 2 < min(WEBHOOKS_SENDING_LEASE_SECONDS, CELERY_TASK_SOFT_TIME_LIMIT):
    raise ImproperlyConfigured(
        "WEBHOOKS_TIMEOUT_SECONDS must be positive, and twice it shorter than WEBHOOKS_SENDING_LEASE_SECONDS "
        "and CELERY_TASK_SOFT_TIME_LIMIT."
    )

# Queues every endpoint whose next delivery is due (retries whose message was lost, a broker
# outage, a dead worker's claim).
CELERY_BEAT_SCHEDULE["webhooks-sweep"] = {"task": "agency_crm.webhooks.tasks.webhooks_sweep", "schedule": 60.0}
