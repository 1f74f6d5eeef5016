"""Merging two conversations of one client, and moving a wrongly threaded message out.

A customer who writes on KakaoTalk and by email about the same thing has two conversations; staff
merge one (the source) into the other (the target). Everything of the source moves: messages,
internal notes, "no reply needed" decisions, topics, the emails we sent and the rooms' own rows
(received emails and their files, web form submissions, notifications, check-ins: hooks.moved).
The source stays as a tombstone (`merged_into`) whose URL redirects to the target and that no
list or search shows. The target's clock is then replayed once on the whole thread: the earliest
customer message nobody answered starts its wait. Reminders are kept per customer message
(`Reminder` is unique per message and level), and the replay hands each one to the wait holding
its message now, so a level already reminded for a source message is not reminded again.

Who may: whoever may work both conversations, by the one rule of agency_crm.permissions (a
manager, or the owner of both).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import permissions
from agency_crm.outbox import OutboundEmail
from clients.timeline import timeline_record

from .. import hooks
from ..clock import conversation_recompute_clock
from ..models import Conversation, InternalNote, Message, NoReplyNeeded, ThreadMove
from ..subjects import short_subject
from .messages import conversation_start

# A tombstone may point at a conversation that was merged on later; the chain is short.
MAX_REDIRECTS = 10


def conversation_may_work(user, conversation: Conversation) -> bool:
    """A manager, or the conversation's owner (agency_crm.permissions.may_change_owner)."""
    return permissions.may_change_owner(user, conversation.owner_id)


def conversation_follow_merges(conversation: Conversation) -> Conversation:
    """The conversation itself, or the live one its tombstone was merged into, read afresh (the
    caller's copy may predate the merge)."""
    merged_into = Conversation.objects.filter(pk=conversation.pk).values_list("merged_into_id", flat=True).first()
    for _step in range(MAX_REDIRECTS):
        if merged_into is None:
            return conversation
        conversation = Conversation.objects.select_related("client").get(pk=merged_into)
        merged_into = conversation.merged_into_id
    return conversation


def _lock_both(first: Conversation, second: Conversation) -> tuple[Conversation, Conversation]:
    """Lock both rows in id order (two merges of the same pair in opposite directions never
    deadlock), and return them fresh, in the order asked."""
    rows = {
        row.pk: row
        for row in Conversation.objects.select_for_update(of=("self",))
        .select_related("client")
        .filter(pk__in=sorted({first.pk, second.pk}))
        .order_by("pk")
    }
    return rows[first.pk], rows[second.pk]


def _move_outbound(*, source: Conversation, target: Conversation, message_ids: list[int] | None) -> None:
    """The emails we sent follow their messages (the target's page shows their delivery, and a
    customer's answer to one threads into the target)."""
    emails = OutboundEmail.objects.select_for_update().filter(related__conversation_id=source.pk)
    for email in emails:
        if message_ids is not None and email.related.get("message_id") not in message_ids:
            continue
        email.related = {**email.related, "conversation_id": target.pk}
        email.save(update_fields=["related"])


def _check_merge(source: Conversation, target: Conversation, actor) -> None:
    if source.pk == target.pk:
        raise ValidationError(_("A conversation cannot be merged into itself."))
    if source.merged_into_id is not None:
        raise ValidationError(_("This conversation was already merged into another one."))
    if target.merged_into_id is not None:
        raise ValidationError(
            _("%(subject)s was merged into another conversation; choose that one.") % {"subject": target.subject}
        )
    if source.client_id != target.client_id:
        raise ValidationError(_("Only conversations of the same client can be merged."))
    if not (conversation_may_work(actor, source) and conversation_may_work(actor, target)):
        raise PermissionDenied(_("Only a manager or the owner of both conversations may merge them."))


def conversation_merge(*, source: Conversation, target: Conversation, actor) -> Conversation:
    """Merge `source` into `target` (see the module's docstring). Returns the target."""
    with transaction.atomic():
        source, target = _lock_both(source, target)
        _check_merge(source, target, actor)
        message_ids = list(Message.objects.filter(conversation=source).values_list("pk", flat=True))
        Message.objects.filter(pk__in=message_ids).update(conversation=target)
        InternalNote.objects.filter(conversation=source).update(conversation=target)
        NoReplyNeeded.objects.filter(conversation=source).update(conversation=target)
        target.tags.add(*source.tags.all())
        _move_outbound(source=source, target=target, message_ids=None)
        hooks.moved(source=source, target=target, message_ids=message_ids, whole=True)
        # The target first: its replay hands the source's reminders to the merged wait before the
        # source's replay deletes the waits they were on.
        conversation_recompute_clock(conversation=target)
        conversation_recompute_clock(conversation=source)
        source.merged_into = target
        source.status = Conversation.Status.CLOSED
        source.save(update_fields=["merged_into", "status"])
        ThreadMove.objects.create(
            kind=ThreadMove.Kind.MERGE, source=source, target=target, moved_by=actor, message_count=len(message_ids)
        )
        timeline_record(
            client=target.client,
            kind="conversation.merged",
            summary=gettext_noop("Conversation %(source)s merged into %(target)s (%(count)s messages)"),
            params={"source": source.subject, "target": target.subject, "count": len(message_ids)},
            actor=actor,
            url=target.get_absolute_url(),
            data={"conversation_id": target.pk, "from_conversation_id": source.pk, "message_ids": message_ids},
        )
    return target


def _move_out(*, message: Message, actor, kind: str) -> tuple[Conversation, Conversation, Message]:
    """Move `message` to a new conversation of its own (subject from its text, the same client,
    contact, channel and owner) and replay both clocks. Call inside a transaction."""
    old = Conversation.objects.select_for_update(of=("self",)).select_related("client").get(pk=message.conversation_id)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.conversation_id != old.pk or not old.messages.exclude(pk=message.pk).exists():
        raise ValidationError(_("This message already has a conversation of its own."))
    new = conversation_start(
        client=old.client,
        contact=message.author_contact or old.contact,
        subject=short_subject(message.body),
        channel=message.channel,
        owner=old.owner,
        actor=actor,
    )
    new = Conversation.objects.select_for_update().select_related("client").get(pk=new.pk)
    Message.objects.filter(pk=message.pk).update(conversation=new)
    _move_outbound(source=old, target=new, message_ids=[message.pk])
    hooks.moved(source=old, target=new, message_ids=[message.pk], whole=False)
    conversation_recompute_clock(conversation=old)
    conversation_recompute_clock(conversation=new)
    ThreadMove.objects.create(
        kind=kind, source=old, target=new, moved_by=actor, message_count=1, moved_at=timezone.now()
    )
    return old, new, message


def message_move_out(*, message: Message, actor) -> Conversation:
    """ "Move to a new conversation": a message threaded into the wrong conversation leaves it
    for one of its own. Both clocks are replayed, so each conversation waits only for its own
    messages. Refused when the message is alone in its conversation, in a merged one, or for
    someone who may not work the conversation."""
    with transaction.atomic():
        conversation = Conversation.objects.get(pk=message.conversation_id)
        if conversation.merged_into_id is not None:
            raise ValidationError(_("This conversation was already merged into another one."))
        if not conversation_may_work(actor, conversation):
            raise PermissionDenied(_("Only a manager or the conversation's owner may move its messages."))
        old, new, message = _move_out(message=message, actor=actor, kind=ThreadMove.Kind.MOVE_OUT)
        timeline_record(
            client=new.client,
            kind="conversation.split",
            summary=gettext_noop("A message moved from %(old)s to a new conversation %(new)s"),
            params={"old": old.subject, "new": new.subject},
            actor=actor,
            url=new.get_absolute_url(),
            data={"conversation_id": new.pk, "from_conversation_id": old.pk, "message_id": message.pk},
        )
    return new


def logged_message_to_new_conversation(*, message: Message, actor) -> Conversation:
    """ "Start a new conversation instead" after the inbox's quick log: the colleague who logged
    the message (the view checks it) moves it out of the open conversation it joined."""
    with transaction.atomic():
        old, new, message = _move_out(message=message, actor=actor, kind=ThreadMove.Kind.MOVE_OUT)
        timeline_record(
            client=new.client,
            kind="conversation.split",
            summary=gettext_noop("A logged message moved from %(old)s to a new conversation %(new)s"),
            params={"old": old.subject, "new": new.subject},
            actor=actor,
            url=new.get_absolute_url(),
            data={"conversation_id": new.pk, "from_conversation_id": old.pk, "message_id": message.pk},
        )
    return new
