"""The signed links in care emails: a feedback request's, and a contact's unsubscribe link.

Both are signed with their own salt and carry no data a visitor could change; a tampered or
expired link raises `FeedbackLinkInvalid` when loaded.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from clients.models import Contact

from .models import FeedbackRequest

FEEDBACK_SALT = "followups.feedback"
UNSUBSCRIBE_SALT = "followups.unsubscribe"


class FeedbackLinkInvalid(Exception):
    """The feedback link was tampered with, expired, or names no request."""


def feedback_url(feedback: FeedbackRequest) -> str:
    signed = signing.dumps(feedback.token, salt=FEEDBACK_SALT)
    return settings.SITE_URL + reverse("followups:feedback", args=[signed])


def unsubscribe_url(contact: Contact) -> str:
    signed = signing.dumps(contact.pk, salt=UNSUBSCRIBE_SALT)
    return settings.SITE_URL + reverse("followups:unsubscribe", args=[signed])
