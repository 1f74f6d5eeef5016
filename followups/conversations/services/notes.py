"""Editing and deleting internal notes: by their author or a manager, audited on the client timeline.

The note's own timeline event ("conversation.note", data.note_id) follows the current text; an
edit adds "conversation.note_edited" with the text before and after, a deletion removes the note
and its event and adds "conversation.note_deleted" keeping the deleted text for the record.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.roles import is_manager
from clients.models import TimelineEvent
from clients.timeline import timeline_record

from ..models import Conversation, InternalNote


def internal_note_may_change(*, note: InternalNote, user) -> bool:
    return bool(user and user.is_active and (note.author_id == user.pk or is_manager(user)))


def _lock(note: InternalNote, actor) -> InternalNote:
    note = (
        InternalNote.objects.select_for_update(of=("self",))
        .select_related("conversation__client", "author")
        .get(pk=note.pk)
    )
    if not internal_note_may_change(note=note, user=actor):
        raise PermissionDenied
    return note


def _note_event(note: InternalNote):
    return TimelineEvent.objects.filter(
        client_id=note.conversation.client_id, kind="conversation.note", data__note_id=note.pk
    )


@transaction.atomic
def internal_note_edit(*, note: InternalNote, actor, body: str) -> InternalNote:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    note = _lock(note, actor)
    before = note.body
    if before == body:
        return note
    note.body = body
    note.save(update_fields=["body"])
    _note_event(note).update(body=body)
    conversation = note.conversation
    timeline_record(
        client=conversation.client,
        kind="conversation.note_edited",
        summary=gettext_noop("Internal note on %(subject)s edited"),
        params={"subject": conversation.subject},
        actor=actor,
        body=f"{before}\n→\n{body}",
        url=conversation.get_absolute_url(),
        data={"conversation_id": conversation.pk, "note_id": note.pk, "before": before, "after": body},
    )
    return note


@transaction.atomic
def internal_note_delete(*, note: InternalNote, actor) -> None:
    note = _lock(note, actor)
    conversation = note.conversation
    _note_event(note).delete()
    timeline_record(
        client=conversation.client,
        kind="conversation.note_deleted",
        summary=gettext_noop("Internal note on %(subject)s deleted (written by %(author)s)"),
        params={"subject": conversation.subject, "author": facts.person(note.author)},
        actor=actor,
        body=note.body,
        url=conversation.get_absolute_url(),
        data={"conversation_id": conversation.pk, "note_id": note.pk, "author_id": note.author_id},
    )
    note.delete()


def note_add(*, conversation: Conversation, author, body: str) -> InternalNote:
    """An internal note: visible to staff only, never touches the clock."""
    with transaction.atomic():
        note = InternalNote.objects.create(conversation=conversation, author=author, body=body)
        timeline_record(
            client=conversation.client,
            kind="conversation.note",
            summary=gettext_noop("Internal note on %(subject)s"),
            params={"subject": conversation.subject},
            actor=author,
            body=body,
            url=conversation.get_absolute_url(),
            data={"conversation_id": conversation.pk, "note_id": note.pk},
        )
    return note
