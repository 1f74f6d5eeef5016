"""Satisfaction feedback: signed links (in check-in emails, closed conversations and every customer
email's signature), the answer, and "Not good" reaching managers at once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.outbox import OutboundEmail, outbox_enqueue
from agency_crm.outbox.notices import FEEDBACK_REQUEST, customer_notice
from agency_crm.roles import active_managers
from clients.models import Client, Contact
from clients.timeline import timeline_record
from inquiries.models import Proposal

from ..conversations.models import Channel, Conversation, Message
from ..conversations.threading import reply_threading
from .links import FEEDBACK_SALT, FeedbackLinkInvalid, feedback_url, unsubscribe_url
from .models import (
    Checkin,
    FeedbackRequest,
    Rating,
)
from .notices import notify_people
from .unsubscribe import may_email_about_care
from .webhook_data import feedback_emit_received

# Only closed conversations this recent are asked for feedback (not the whole history at once).
FEEDBACK_PICKUP_DAYS = 14


# A conversation counts as asked for feedback when it had its own request (closed conversation)
# or a check-in email; the link in an email signature does not replace the question.
ASKED_SOURCES = (FeedbackRequest.Source.CONVERSATION, FeedbackRequest.Source.CHECKIN)


# A check-in in these states has happened: its email went out or the owner was told to call.
CHECKIN_HAPPENED = (Checkin.Status.DUE, Checkin.Status.OVERDUE, Checkin.Status.DONE)


def rating_ask_filter(*, client_field: str = "client", conversation_field: str = "conversation"):
    """The condition (a Q over a model with `client` and `conversation`) under which a customer may
    be asked to rate us: we replied in that conversation (or, without one, to the client at all,
    a sent proposal included), or one of the client's check-ins happened. Asking before anyone
    answered gets ratings of the silence ("Not good: nobody answered yet") that reach managers as
    urgent."""
    replied_here = Message.objects.filter(
        conversation_id=OuterRef(f"{conversation_field}_id"), direction=Message.Direction.FROM_US
    )
    replied_to_client = Message.objects.filter(
        conversation__client_id=OuterRef(f"{client_field}_id"), direction=Message.Direction.FROM_US
    )
    checkin = Checkin.objects.filter(client_id=OuterRef(f"{client_field}_id"), status__in=CHECKIN_HAPPENED)
    proposal = Proposal.objects.filter(inquiry__client_id=OuterRef(f"{client_field}_id"), sent_at__isnull=False)
    return (
        Exists(checkin)
        | (Q(**{f"{conversation_field}__isnull": False}) & Exists(replied_here))
        | (Q(**{f"{conversation_field}__isnull": True}) & (Exists(replied_to_client) | Exists(proposal)))
    )


def rating_may_be_asked(*, client: Client, conversation: Conversation | None) -> bool:
    """rating_ask_filter for one email about to be sent."""
    replied = Message.objects.filter(direction=Message.Direction.FROM_US)
    if conversation is not None:
        answered = replied.filter(conversation=conversation).exists()
    else:
        answered = (
            replied.filter(conversation__client=client).exists()
            or Proposal.objects.filter(inquiry__client=client, sent_at__isnull=False).exists()
        )
    return answered or Checkin.objects.filter(client=client, status__in=CHECKIN_HAPPENED).exists()


class FeedbackClosed(Exception):
    """The request was already answered and the window to change the answer has passed."""


def feedback_signature_url(
    *, client: Client, to: list[str], related: dict, language: str, dry_run: bool = False
) -> str:
    """The feedback link beside the management line of a customer email (replies,
    acknowledgements, proposals): the agency.outbox signature provider, registered in
    FollowupsConfig.ready() and called inside the sender's transaction.

    The link belongs to the email's conversation when it has one (the rating then counts for
    that conversation's owner and channel), else to the client and the addressed contact. The
    newest unanswered signature request is reused, so a long thread does not pile up requests;
    once it is answered, the next email brings a fresh one. With `dry_run` (the composer's
    preview) nothing is written and the answer only tells that the email will carry a link.
    """
    if dry_run:
        # Only the composer's preview of a reply asks so: that reply is the answer the rating
        # rule below waits for, so the email it previews will carry a link.
        return "feedback link"
    conversation = None
    conversation_id = related.get("conversation_id")
    if conversation_id:
        conversation = Conversation.objects.filter(pk=conversation_id, client=client).first()
    if not rating_may_be_asked(client=client, conversation=conversation):
        return ""  # nobody answered yet: nothing to rate
    addresses = {address.strip().lower() for address in to}
    contact = None
    if conversation is not None and conversation.contact_id:
        contact = conversation.contact
    else:
        contacts = Contact.objects.filter(client=client).exclude(email="").order_by("pk")
        contact = next((c for c in contacts if c.email.strip().lower() in addresses), None)
    feedback = (
        FeedbackRequest.objects.filter(
            source=FeedbackRequest.Source.SIGNATURE,
            client=client,
            contact=contact,
            conversation=conversation,
            rating="",
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if feedback is None:
        feedback = FeedbackRequest.objects.create(
            source=FeedbackRequest.Source.SIGNATURE,
            client=client,
            contact=contact,
            conversation=conversation,
            owner=conversation.owner if conversation else client.account_owner,
            channel=conversation.channel if conversation else Channel.EMAIL,
            language=contact.preferred_language if contact else language,
        )
    return feedback_url(feedback)


def feedback_request_send(*, conversation: Conversation) -> FeedbackRequest | None:
    """Ask the customer of a closed conversation to rate us (once per conversation).

    Returns None when the conversation has been asked already (a check-in conversation was
    asked in its check-in email) or its contact cannot be emailed (no address, or opted out of
    check-in emails).
    """
    contact = conversation.contact
    if not may_email_about_care(contact):
        return None
    with transaction.atomic():
        if FeedbackRequest.objects.filter(conversation=conversation, source__in=ASKED_SOURCES).exists():
            return None
        try:
            with transaction.atomic():
                feedback = FeedbackRequest.objects.create(
                    source=FeedbackRequest.Source.CONVERSATION,
                    client=conversation.client,
                    contact=contact,
                    conversation=conversation,
                    owner=conversation.owner,
                    channel=conversation.channel,
                    language=contact.preferred_language,
                )
        except IntegrityError:
            return None
        url = feedback_url(feedback)
        with translation.override(contact.preferred_language):
            subject = _("How did we do? %(subject)s") % {"subject": conversation.subject}
        outbox_enqueue(
            to=[contact.email],
            **reply_threading(conversation=conversation, subject=subject),
            template="care_feedback_request",
            context={"name": contact.name, "subject": conversation.subject, "feedback_url": url},
            language=contact.preferred_language,
            kind=OutboundEmail.Kind.FEEDBACK_REQUEST,
            client=conversation.client,
            automatic=True,
            unsubscribe_url=unsubscribe_url(contact),
            related={"conversation_id": conversation.pk, "feedback_request_id": feedback.pk},
        )
        # ...and by AlimTalk too, when the contact agreed to it (agency_crm.outbox.notices).
        customer_notice(
            purpose=FEEDBACK_REQUEST,
            contact=contact,
            values={"subject": conversation.subject, "link": url},
            conversation=conversation,
            once_key=f"feedback-{feedback.pk}",
        )
    return feedback


def feedback_pick_up_closed(*, now: dt.datetime) -> int:
    """Send feedback requests for recently closed conversations that have none yet."""
    candidates = (
        Conversation.objects.filter(
            status=Conversation.Status.CLOSED,
            last_message_at__gte=now - dt.timedelta(days=FEEDBACK_PICKUP_DAYS),
            contact__isnull=False,
        )
        .exclude(contact__email="")
        .filter(contact__accepts_checkins=True)
        .filter(~Exists(FeedbackRequest.objects.filter(conversation=OuterRef("pk"), source__in=ASKED_SOURCES)))
        .values_list("pk", flat=True)
    )
    sent = 0
    for conversation_id in list(candidates):
        with transaction.atomic():
            conversation = (
                Conversation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("client", "contact")
                .filter(pk=conversation_id, status=Conversation.Status.CLOSED)
                .first()
            )
            if conversation is not None and feedback_request_send(conversation=conversation) is not None:
                sent += 1
    return sent


def feedback_request_load(*, signed_token: str) -> FeedbackRequest:
    """The request behind a feedback link, or FeedbackLinkInvalid (tampered, expired, unknown)."""
    try:
        token = signing.loads(
            signed_token, salt=FEEDBACK_SALT, max_age=dt.timedelta(days=settings.FEEDBACK_LINK_MAX_AGE_DAYS)
        )
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature
        raise FeedbackLinkInvalid from exc
    feedback = (
        FeedbackRequest.objects.select_related("client", "contact", "conversation").filter(token=str(token)).first()
    )
    if feedback is None:
        raise FeedbackLinkInvalid
    return feedback


def feedback_can_change(feedback: FeedbackRequest, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return feedback.rated_at is None or now - feedback.rated_at <= dt.timedelta(
        minutes=settings.FEEDBACK_CHANGE_WINDOW_MINUTES
    )


def feedback_submit(*, feedback: FeedbackRequest, rating: str, comment: str = "") -> FeedbackRequest:
    """Record the customer's rating (first time) or change it within the short window.

    Raises FeedbackClosed when it was answered longer ago than FEEDBACK_CHANGE_WINDOW_MINUTES. A
    "Not good" rating notifies every manager at once and is written to the client timeline.
    """
    if rating not in Rating.values:
        raise ValidationError({"rating": _("Choose one of the answers.")})
    comment = (comment or "").strip()[:4000]
    now = timezone.now()
    with transaction.atomic():
        feedback = FeedbackRequest.objects.select_for_update().get(pk=feedback.pk)
        if not feedback_can_change(feedback, now):
            raise FeedbackClosed
        first = feedback.rated_at is None
        previous = feedback.rating
        feedback.rating = rating
        feedback.comment = comment
        if first:
            feedback.rated_at = now
        else:
            feedback.updated_at = now
        feedback.save(update_fields=["rating", "comment", "rated_at", "updated_at"])
        feedback = FeedbackRequest.objects.select_related("client", "contact", "conversation").get(pk=feedback.pk)
        label = Rating(rating).label
        conversation = feedback.conversation
        url = conversation.get_absolute_url() if conversation else reverse("clients:detail", args=[feedback.client_id])
        who = feedback.contact.name if feedback.contact else feedback.client.name
        timeline_record(
            client=feedback.client,
            kind="feedback.received" if first else "feedback.changed",
            summary=(
                gettext_noop("Feedback from %(name)s: %(rating)s")
                if first
                else gettext_noop("Feedback changed by %(name)s: %(rating)s")
            ),
            params={"name": who, "rating": facts.term(label)},
            body=comment,
            url=url,
            data={"feedback_request_id": feedback.pk, "rating": rating},
        )
        feedback_emit_received(feedback, is_change=not first)
        if rating == Rating.NOT_GOOD and previous != Rating.NOT_GOOD:
            about = conversation.subject if conversation else feedback.client.name
            notify_people(
                recipients=active_managers(),
                kind="feedback.not_good",
                title=gettext_noop("“Not good” from %(name)s (%(client)s)"),
                params={"name": who, "client": feedback.client.name},
                body=gettext_noop("About: %(about)s\nComment: %(comment)s"),
                body_params={"about": about, "comment": comment or facts.term(gettext_noop("(no comment)"))},
                url=url,
                conversation=conversation,
            )
    return feedback
