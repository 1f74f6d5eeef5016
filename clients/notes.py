"""Editing and deleting client notes (and logged calls): by their author or a manager, audited on
the timeline with who, when and what changed.

A note is shown on the client page through its timeline event ("note.added" / "call.logged",
data.note_id), so an edit rewrites that event's text and adds a "note.edited" event holding the
text before and after; a deletion removes the note and its event and adds a "note.deleted" event
that keeps the deleted text for the record.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts
from agency_crm.roles import is_manager

from .models import Note, TimelineEvent
from .timeline import timeline_record

NOTE_EVENT_KINDS = ("note.added", "call.logged")


def note_may_change(*, note: Note, user) -> bool:
    return bool(user and user.is_active and (note.author_id == user.pk or is_manager(user)))


def _check(note: Note, actor) -> Note:
    note = Note.objects.select_for_update().select_related("client").get(pk=note.pk)
    if not note_may_change(note=note, user=actor):
        raise PermissionDenied
    return note


def _note_events(note: Note):
    return TimelineEvent.objects.filter(client_id=note.client_id, kind__in=NOTE_EVENT_KINDS, data__note_id=note.pk)


@transaction.atomic
def note_edit(*, note: Note, actor, body: str) -> Note:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    note = _check(note, actor)
    before = note.body
    if before == body:
        return note
    note.body = body
    note.save(update_fields=["body"])
    _note_events(note).update(body=body)
    is_call = note.kind == Note.Kind.CALL
    timeline_record(
        client=note.client,
        kind="note.edited",
        actor=actor,
        summary=gettext_noop("Call note edited") if is_call else gettext_noop("Note edited"),
        body=f"{before}\n→\n{body}",
        url=reverse("clients:detail", args=[note.client_id]) + f"#note-{note.pk}",
        data={"note_id": note.pk, "before": before, "after": body},
    )
    return note


@transaction.atomic
def note_delete(*, note: Note, actor) -> None:
    note = _check(note, actor)
    is_call = note.kind == Note.Kind.CALL
    _note_events(note).delete()
    timeline_record(
        client=note.client,
        kind="note.deleted",
        actor=actor,
        summary=gettext_noop("Call note deleted (written by %(author)s)")
        if is_call
        else gettext_noop("Note deleted (written by %(author)s)"),
        params={"author": facts.person(note.author)},
        body=note.body,
        data={"note_id": note.pk, "kind": note.kind, "author_id": note.author_id},
    )
    note.delete()
