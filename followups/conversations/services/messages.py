"""Conversation actions: start, receive, reply, no reply needed, edit a time, notes, log.

Each service locks the conversation row, records what happened, replays the clock
(followups.conversations.clock) and writes the client timeline, all in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.text import clean_line, clean_text
from clients.models import Client, Contact
from clients.timeline import timeline_record

from ..clock import conversation_recompute_clock
from ..models import Channel, Conversation, Message, NoReplyNeeded, ResponseWait, Topic
from ..webhook_data import message_emit

# Clock skew between a phone and the server must not reject "just now".
FUTURE_TOLERANCE = dt.timedelta(minutes=1)


def conversation_lock(conversation: Conversation) -> Conversation:
    """The conversation's row, locked; refused for a merged conversation's tombstone (a page
    opened before the merge posts to it): its thread lives on in the target."""
    conversation = Conversation.objects.select_for_update().select_related("client").get(pk=conversation.pk)
    if conversation.merged_into_id is not None:
        raise ValidationError(_("This conversation was merged into another one; continue there."))
    return conversation


def _check_not_future(occurred_at: dt.datetime) -> None:
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": _("The time cannot be in the future.")})


def _first_message_at(conversation: Conversation, exclude: Message | None = None) -> dt.datetime | None:
    messages = Message.objects.filter(conversation=conversation)
    if exclude is not None:
        messages = messages.exclude(pk=exclude.pk)
    first = messages.order_by("occurred_at", "id").values_list("occurred_at", flat=True).first()
    return first


def _wait_figures(wait: ResponseWait | None) -> dict:
    if wait is None:
        return {}
    return {
        "wait_id": wait.pk,
        "kind": wait.kind,
        "calendar_seconds": wait.calendar_seconds,
        "business_seconds": wait.business_seconds,
        "met_target": wait.met_target,
        "reply_due_at": wait.reply_due_at.isoformat(),
    }


def conversation_start(
    *,
    client: Client,
    subject: str,
    channel: str,
    actor,
    contact: Contact | None = None,
    owner=None,
    tags: list[str] | tuple[str, ...] = (),
    sender_unverified: bool = False,
) -> Conversation:
    if contact is not None and contact.client_id != client.pk:
        raise ValidationError({"contact": _("This contact belongs to another client.")})
    with transaction.atomic():
        conversation = Conversation.objects.create(
            client=client,
            contact=contact,
            subject=clean_line(subject)[:200] or _("Conversation"),
            channel=channel,
            owner=owner or client.account_owner,
            sender_unverified=sender_unverified,
        )
        conversation_set_tags(conversation=conversation, tags=tags)
        timeline_record(
            client=client,
            kind="conversation.started",
            summary=gettext_noop("Conversation started: %(subject)s"),
            params={"subject": conversation.subject},
            actor=actor,
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk},
        )
    return conversation


def conversation_rename(*, conversation: Conversation, subject: str, actor) -> Conversation:
    """Give the conversation a new subject (our next emails carry it); on the client timeline."""
    subject = clean_line(subject)[:200]
    if not subject:
        raise ValidationError({"subject": _("Give the conversation a subject.")})
    with transaction.atomic():
        conversation = conversation_lock(conversation)
        old = conversation.subject
        if old == subject:
            return conversation
        conversation.subject = subject
        conversation.save(update_fields=["subject"])
        timeline_record(
            client=conversation.client,
            kind="conversation.renamed",
            summary=gettext_noop("Conversation renamed from %(old)s to %(new)s"),
            params={"old": old, "new": subject},
            actor=actor,
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk, "from": old, "to": subject},
        )
    return conversation


def conversation_set_tags(*, conversation: Conversation, tags) -> None:
    names = sorted({" ".join(t.split())[:50] for t in tags if t and t.strip()})
    topics = [Topic.objects.get_or_create(name=name)[0] for name in names]
    conversation.tags.set(topics)


def message_receive(
    *,
    conversation: Conversation,
    body: str,
    channel: str,
    occurred_at: dt.datetime | None = None,
    contact: Contact | None = None,
    recorded_by=None,
    sender_unverified: bool = False,
) -> Message:
    """A message from the customer: starts a wait unless one is already open. With
    `sender_unverified` the address it came from was typed, not proven (the contact form)."""
    occurred_at = occurred_at or timezone.now()
    _check_not_future(occurred_at)
    with transaction.atomic():
        conversation = conversation_lock(conversation)
        message = Message.objects.create(
            conversation=conversation,
            direction=Message.Direction.FROM_CUSTOMER,
            channel=channel,
            author_contact=contact or conversation.contact,
            body=clean_text(body),
            occurred_at=occurred_at,
            recorded_by=recorded_by,
            sender_unverified=sender_unverified,
        )
        if conversation.sender_unverified and not sender_unverified:
            # A reply to our email (or a message through a /my/ link) proves the address: the
            # inbox row stops warning; the first message keeps its mark.
            conversation.sender_unverified = False
            conversation.save(update_fields=["sender_unverified"])
        waits = conversation_recompute_clock(conversation=conversation)
        url = conversation.get_absolute_url()
        message_timeline_record(
            message,
            kind="message.received",
            summary=gettext_noop("Message from %(name)s, unverified sender (%(channel)s): %(subject)s")
            if sender_unverified
            else gettext_noop("Message from %(name)s (%(channel)s): %(subject)s"),
            actor=recorded_by,
        )
        started = next((w for w in waits if w.started_by_id == message.pk), None)
        if started is not None:
            timeline_record(
                client=conversation.client,
                kind="wait.started",
                summary=gettext_noop("Customer waiting on us: reply due %(due)s"),
                params={"due": facts.moment(started.reply_due_at)},
                actor=recorded_by,
                occurred_at=started.started_at,
                url=url,
                data={"conversation_id": conversation.pk, **_wait_figures(started)},
            )
        message_emit(message)
    return message


def wait_close_no_reply_needed(*, conversation: Conversation, actor, reason: str) -> NoReplyNeeded:
    """Close the open wait without counting it as answered or breached (audited)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why no reply is needed.")})
    with transaction.atomic():
        conversation = conversation_lock(conversation)
        if conversation.status != Conversation.Status.WAITING_ON_US:
            raise ValidationError(_("Nobody is waiting for a reply in this conversation."))
        decision = NoReplyNeeded.objects.create(conversation=conversation, decided_by=actor, reason=reason[:300])
        conversation_recompute_clock(conversation=conversation)
        timeline_record(
            client=conversation.client,
            kind="wait.no_reply_needed",
            summary=gettext_noop("No reply needed: %(reason)s"),
            params={"reason": decision.reason},
            actor=actor,
            occurred_at=decision.decided_at,
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk, "decision_id": decision.pk},
        )
    return decision


def message_update_time(*, message: Message, occurred_at: dt.datetime, actor) -> Message:
    """Correct when a logged message happened; the conversation's figures are recomputed.

    The message may move, but never past a message of the other side: a reply cannot move before
    the question it answered, nor a question after its answer.
    """
    _check_not_future(occurred_at)
    with transaction.atomic():
        conversation = conversation_lock(message.conversation)
        message = Message.objects.select_for_update().get(pk=message.pk)
        others = Message.objects.filter(conversation=conversation).exclude(pk=message.pk)
        opposite = others.exclude(direction=message.direction)
        before = opposite.filter(occurred_at__lte=message.occurred_at).order_by("-occurred_at", "-id").first()
        after = opposite.filter(occurred_at__gte=message.occurred_at).order_by("occurred_at", "id").first()
        if before is not None and occurred_at < before.occurred_at:
            raise ValidationError(
                {
                    "occurred_at": _(
                        "This would move the message before %(name)s's message of %(when)s, which it follows."
                    )
                    % {"name": before.author_name(), "when": _local(before.occurred_at)}
                }
            )
        if after is not None and occurred_at > after.occurred_at:
            raise ValidationError(
                {
                    "occurred_at": _(
                        "This would move the message after %(name)s's message of %(when)s, which it precedes."
                    )
                    % {"name": after.author_name(), "when": _local(after.occurred_at)}
                }
            )
        if not message.from_customer:
            first = _first_message_at(conversation, exclude=message)
            if first is not None and occurred_at < first:
                raise ValidationError(
                    {"occurred_at": _("A reply cannot happen before the conversation's first message.")}
                )
        previous = message.occurred_at
        message.occurred_at = occurred_at
        message.save(update_fields=["occurred_at"])
        conversation_recompute_clock(conversation=conversation)
        timeline_record(
            client=conversation.client,
            kind="message.time_edited",
            summary=gettext_noop("Time of a message corrected from %(old)s to %(new)s; response figures recomputed"),
            params={"old": facts.moment(previous), "new": facts.moment(occurred_at)},
            actor=actor,
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk, "message_id": message.pk},
        )
    return message


def _local(moment: dt.datetime) -> str:
    return facts.format_moment(moment)


def message_timeline_record(message: Message, *, kind: str, summary: str, actor) -> None:
    """The client's timeline entry for a message: `summary` names its author, channel and the
    conversation's subject, rendered for each reader."""
    conversation = message.conversation
    timeline_record(
        client=conversation.client,
        kind=kind,
        summary=summary,
        params={
            "name": _author(message),
            "channel": facts.term(Channel(message.channel).label),
            "subject": conversation.subject,
        },
        actor=actor,
        occurred_at=message.occurred_at,
        body=message.body,
        url=conversation.get_absolute_url(),
        data={"conversation_id": conversation.pk, "message_id": message.pk},
    )


def _author(message: Message):
    """Who wrote a message, as data: a colleague is named for each reader."""
    if not message.from_customer and message.author_user_id:
        return facts.person(message.author_user)
    return message.author_name()
