"""Handling check-ins: email the customer or remind the owner when one comes due, escalate an overdue
one, and record its outcome (done or skipped)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from agency_crm import facts
from agency_crm.outbox import OutboundEmail, outbox_enqueue
from agency_crm.outbox.notices import CHECKIN, customer_notice
from agency_crm.people import display_name
from agency_crm.roles import active_managers
from clients.timeline import timeline_record

from ..conversations.clock import conversation_recompute_clock
from ..conversations.models import Channel, Conversation, Message
from ..conversations.threading import reply_threading
from .links import feedback_url, unsubscribe_url
from .models import (
    Checkin,
    CheckinChannel,
    FeedbackRequest,
    Sentiment,
)
from .notices import notify_people
from .unsubscribe import may_email_about_care
from .webhook_data import checkin_emit_due


def _subject_of(checkin: Checkin) -> str:
    inquiry = checkin.schedule.inquiry
    if inquiry is not None:
        return _("How is %(title)s working for you?") % {"title": inquiry.title}
    return _("How is everything going, %(client)s?") % {"client": checkin.client.name}


def _checkin_body(checkin: Checkin) -> str:
    schedule = checkin.schedule
    contact = checkin.contact
    greeting = _("Hello %(name)s,") % {"name": contact.name} if contact else _("Hello,")
    if schedule.inquiry is not None:
        days = (checkin.due_on - schedule.started_on).days
        if days <= 10:
            when = _("about a week")
        elif days <= 45:
            when = _("about a month")
        else:
            when = ngettext("%(months)d month", "%(months)d months", days // 30) % {"months": days // 30}
        opening = _(
            "It has been %(when)s since we delivered %(title)s. Is everything working the way you expected?"
        ) % {"when": when, "title": schedule.inquiry.title}
    else:
        opening = _("It is time for our regular check-in. Is everything working the way you expected?")
    return "\n\n".join(
        [
            greeting,
            opening,
            _("If anything bothers you, even a small thing, just reply to this email: it comes straight to me."),
            display_name(checkin.owner),
        ]
    )


def _send_checkin_email(checkin: Checkin, now: dt.datetime) -> None:
    contact = checkin.contact
    language = contact.preferred_language
    with translation.override(language):
        subject = _subject_of(checkin)
        body = _checkin_body(checkin)
    # A conversation of its own, so the customer's reply threads into it (the outbox row's
    # Message-ID and related conversation_id are what the inbound mail ingestion matches).
    conversation = Conversation.objects.create(
        client=checkin.client,
        contact=contact,
        subject=subject[:200],
        channel=Channel.EMAIL,
        owner=checkin.owner,
    )
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.FROM_US,
        channel=Channel.EMAIL,
        author_user=checkin.owner,
        body=body,
        occurred_at=now,
    )
    conversation_recompute_clock(conversation=conversation)
    feedback = FeedbackRequest.objects.create(
        source=FeedbackRequest.Source.CHECKIN,
        client=checkin.client,
        contact=contact,
        conversation=conversation,
        checkin=checkin,
        owner=checkin.owner,
        channel=Channel.EMAIL,
        language=language,
    )
    # The reply token (subject and plus-address Reply-To) and References of the email issue's
    # threading make the customer's answer land in this conversation.
    threading = reply_threading(conversation=conversation, subject=subject)
    outbox_enqueue(
        to=[contact.email],
        **threading,
        template="care_checkin",
        context={"body": body, "feedback_url": feedback_url(feedback), "unsubscribe_url": unsubscribe_url(contact)},
        language=language,
        kind=OutboundEmail.Kind.CHECKIN,
        client=checkin.client,
        unsubscribe_url=unsubscribe_url(contact),
        related={"conversation_id": conversation.pk, "message_id": message.pk, "checkin_id": checkin.pk},
    )
    # ...and by AlimTalk too, when the contact agreed to it (agency_crm.outbox.notices).
    customer_notice(
        purpose=CHECKIN,
        contact=contact,
        values={"subject": subject, "owner": display_name(checkin.owner), "link": feedback_url(feedback)},
        conversation=conversation,
        once_key=f"checkin-{checkin.pk}",
    )
    Checkin.objects.filter(pk=checkin.pk).update(conversation=conversation)
    timeline_record(
        client=checkin.client,
        kind="checkin.emailed",
        summary=gettext_noop("Check-in email sent to %(name)s: %(subject)s"),
        params={"name": contact.name, "subject": subject},
        occurred_at=now,
        body=body,
        url=conversation.get_absolute_url(),
        data={"checkin_id": checkin.pk, "conversation_id": conversation.pk, "feedback_request_id": feedback.pk},
    )


def checkin_handle_due(*, checkin_id: int, now: dt.datetime) -> str:
    """Handle one due check-in once: email the customer, or tell the owner to call or visit.

    Returns "emailed", "call_task" (the contact opted out or has no email address), "notified"
    (a call or visit is due) or "skipped" when another run handled it already. The conditional
    update scheduled -> due is the claim: of two concurrent runs, only one handles the row.
    """
    with transaction.atomic():
        claimed = Checkin.objects.filter(pk=checkin_id, status=Checkin.Status.SCHEDULED).update(
            status=Checkin.Status.DUE, handled_at=now
        )
        if not claimed:
            return "skipped"
        outcome = _checkin_handle_claimed(checkin_id=checkin_id, now=now)
        checkin_emit_due(checkin_id, outcome=outcome)
        return outcome


def _checkin_handle_claimed(*, checkin_id: int, now: dt.datetime) -> str:
    checkin = Checkin.objects.select_related("client", "contact", "owner", "schedule__plan", "schedule__inquiry").get(
        pk=checkin_id
    )
    contact = checkin.contact
    if checkin.channel == CheckinChannel.EMAIL:
        if may_email_about_care(contact):
            _send_checkin_email(checkin, now)
            return "emailed"
        # Never email a contact who opted out: the owner calls instead.
        Checkin.objects.filter(pk=checkin.pk).update(channel=CheckinChannel.CALL, converted_from_email=True)
        reason = (
            facts.fact(gettext_noop("%(name)s does not want check-in emails; please call instead."), name=contact.name)
            if contact is not None and not contact.accepts_checkins
            else facts.fact(gettext_noop("There is no email address for this client; please call instead."))
        )
        notify_people(
            recipients=[checkin.owner],
            kind="checkin.call_task",
            title=gettext_noop("Call %(client)s for a check-in"),
            params={"client": checkin.client.name},
            body=reason["m"],
            body_params=reason["p"],
            url=reverse("followups:checkins"),
        )
        timeline_record(
            client=checkin.client,
            kind="checkin.call_task",
            summary=gettext_noop("Check-in due: call instead of email (%(reason)s)"),
            params={"reason": reason},
            occurred_at=now,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk},
        )
        return "call_task"
    notify_people(
        recipients=[checkin.owner],
        kind="checkin.due",
        title=gettext_noop("%(channel)s check-in due with %(client)s"),
        params={"channel": facts.choice(checkin, "channel"), "client": checkin.client.name},
        body=gettext_noop("Due on %(date)s."),
        body_params={"date": facts.day(checkin.due_on)},
        url=reverse("followups:checkins"),
    )
    timeline_record(
        client=checkin.client,
        kind="checkin.due",
        summary=gettext_noop("%(channel)s check-in due"),
        params={"channel": facts.choice(checkin, "channel")},
        occurred_at=now,
        url=reverse("followups:checkins"),
        data={"checkin_id": checkin.pk},
    )
    return "notified"


def checkin_remind_overdue(*, checkin_id: int, now: dt.datetime) -> bool:
    """Remind the owner once that a handled check-in has no outcome yet (due -> overdue)."""
    with transaction.atomic():
        if not Checkin.objects.filter(pk=checkin_id, status=Checkin.Status.DUE).update(
            status=Checkin.Status.OVERDUE, reminded_at=now
        ):
            return False
        checkin = Checkin.objects.select_related("client", "owner").get(pk=checkin_id)
        notify_people(
            recipients=[checkin.owner],
            kind="checkin.overdue",
            title=gettext_noop("Overdue check-in with %(client)s"),
            params={"client": checkin.client.name},
            body=gettext_noop("It was due on %(date)s; record how it went on the check-ins page."),
            body_params={"date": facts.day(checkin.due_on)},
            url=reverse("followups:checkins"),
        )
        timeline_record(
            client=checkin.client,
            kind="checkin.overdue",
            summary=gettext_noop("Check-in overdue (due %(date)s)"),
            params={"date": facts.day(checkin.due_on)},
            occurred_at=now,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk},
        )
    return True


# --- outcomes
def _lock_open(checkin: Checkin) -> Checkin:
    checkin = Checkin.objects.select_for_update().select_related("client").get(pk=checkin.pk)
    if not checkin.is_open:
        raise ValidationError(_("This check-in is already closed."))
    return checkin


def checkin_complete(*, checkin: Checkin, actor, outcome: str, sentiment: str) -> Checkin:
    """Record how the check-in went; an at-risk outcome notifies every manager."""
    if sentiment not in Sentiment.values:
        raise ValidationError({"sentiment": _("Choose how the customer feels.")})
    outcome = (outcome or "").strip()
    with transaction.atomic():
        checkin = _lock_open(checkin)
        checkin.status = Checkin.Status.DONE
        checkin.done_at = timezone.now()
        checkin.done_by = actor
        checkin.outcome = outcome
        checkin.sentiment = sentiment
        checkin.save(update_fields=["status", "done_at", "done_by", "outcome", "sentiment"])
        timeline_record(
            client=checkin.client,
            kind="checkin.done",
            summary=gettext_noop("Check-in done (%(channel)s): %(sentiment)s"),
            params={"channel": facts.choice(checkin, "channel"), "sentiment": facts.term(Sentiment(sentiment).label)},
            actor=actor,
            body=outcome,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk, "sentiment": sentiment},
        )
        if sentiment == Sentiment.AT_RISK:
            notify_people(
                recipients=active_managers(),
                kind="checkin.at_risk",
                title=gettext_noop("%(client)s is at risk"),
                params={"client": checkin.client.name},
                body=gettext_noop("%(name)s's check-in: %(outcome)s"),
                body_params={"name": facts.person(actor), "outcome": outcome},
                url=reverse("clients:detail", args=[checkin.client_id]),
                conversation=checkin.conversation,
            )
    return checkin


def checkin_skip(*, checkin: Checkin, actor, reason: str) -> Checkin:
    reason = " ".join((reason or "").split())[:300]
    if not reason:
        raise ValidationError({"reason": _("Say why this check-in is skipped.")})
    with transaction.atomic():
        checkin = _lock_open(checkin)
        checkin.status = Checkin.Status.SKIPPED
        checkin.skip_reason = reason
        checkin.done_by = actor
        checkin.save(update_fields=["status", "skip_reason", "done_by"])
        timeline_record(
            client=checkin.client,
            kind="checkin.skipped",
            summary=gettext_noop("Check-in skipped: %(reason)s"),
            params={"reason": reason},
            actor=actor,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk},
        )
    return checkin
