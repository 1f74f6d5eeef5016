"""Handing conversations over: one at a time (Change owner) or all of a person's (offboarding).

The conversation's waits follow it (their owner copies feed the dashboard), the handover is written
to the client timeline, and the rooms that care (reminders tells the new owner) hear of it through
`hooks.on_handed_over`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts, permissions
from clients.timeline import timeline_record

from .. import hooks
from ..clock import waits_follow_conversation
from ..models import Conversation
from ..webhook_data import conversation_emit_assigned
from .messages import conversation_lock


def _record_reassignment(*, conversation: Conversation, old, new, actor) -> None:
    timeline_record(
        client=conversation.client,
        kind="conversation.reassigned",
        summary=gettext_noop("Conversation %(subject)s moved from %(old)s to %(new)s"),
        params={"subject": conversation.subject, "old": facts.person(old, "-"), "new": facts.person(new)},
        actor=actor,
        url=conversation.get_absolute_url(),
        data={"conversation_id": conversation.pk, "from": old.pk if old else None, "to": new.pk},
    )
    conversation_emit_assigned(conversation, previous_owner_id=old.pk if old else None)


def conversation_reassign(*, conversation: Conversation, to_user, actor) -> bool:
    """Hand one conversation to another active colleague; returns False when nothing changed.

    The new owner is notified (unless they took it themselves); reminders still due on the open
    wait go to them from now on, since reminders address the owner at the time they fire.
    """
    if not to_user.is_active:
        raise ValidationError({"owner": _("Choose an active colleague.")})
    with transaction.atomic():
        conversation = conversation_lock(conversation)
        old = conversation.owner
        if old is not None and old.pk == to_user.pk:
            return False
        permissions.require_owner_change(actor, old)
        conversation.owner = to_user
        conversation.save(update_fields=["owner"])
        waits_follow_conversation(conversation=conversation)
        _record_reassignment(conversation=conversation, old=old, new=to_user, actor=actor)
        hooks.handed_over(conversation=conversation, old_owner=old, new_owner=to_user, actor=actor)
    return True


def conversations_reassign(*, from_user, to_user, actor) -> int:
    """Offboarding: move every open conversation owned by `from_user` to `to_user`."""
    moved = 0
    conversations = (
        Conversation.objects.select_for_update()
        .filter(owner=from_user)
        .exclude(status=Conversation.Status.CLOSED)
        .select_related("client")
    )
    for conversation in conversations:
        conversation.owner = to_user
        conversation.save(update_fields=["owner"])
        waits_follow_conversation(conversation=conversation)
        _record_reassignment(conversation=conversation, old=from_user, new=to_user, actor=actor)
        moved += 1
    return moved
