"""The lag limits of /healthz (agency_crm.health; README, "Settings")."""

from django.core.exceptions import ImproperlyConfigured

from .core import CELERY_BEAT_SCHEDULE, env
from .mail import IMAP_POLL_SECONDS

# Lag that turns /healthz 503, so a monitor sees a stuck worker or beat (or an SMTP outage):
# the oldest email not yet sent, the oldest reminder level due but not yet claimed, and the last
# IMAP poll (when a mailbox is connected on /settings/mailbox/ or IMAP_HOST is set; the page
# allows at most 300 s between polls, within the default limit). Seconds; 0 switches a check off.
HEALTH_MAX_EMAIL_AGE_SECONDS = env.int("HEALTH_MAX_EMAIL_AGE_SECONDS", default=900)
HEALTH_MAX_REMINDER_LAG_SECONDS = env.int(
    "HEALTH_MAX_REMINDER_LAG_SECONDS", default=max(300, int(5 * CELERY_BEAT_SCHEDULE["reminders-tick"]["schedule"]))
)
HEALTH_MAX_IMAP_POLL_AGE_SECONDS = env.int("HEALTH_MAX_IMAP_POLL_AGE_SECONDS", default=max(600, 5 * IMAP_POLL_SECONDS))
if min(HEALTH_MAX_EMAIL_AGE_SECONDS, HEALTH_MAX_REMINDER_LAG_SECONDS, HEALTH_MAX_IMAP_POLL_AGE_SECONDS) < 0:
    raise ImproperlyConfigured("The HEALTH_MAX_* settings are seconds (0 switches a check off).")
