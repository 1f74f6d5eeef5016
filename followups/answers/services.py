"""Saved replies: who may see and change which, writing them, and using one in a conversation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm.roles import is_manager

from ..conversations.models import Conversation
from .models import SavedReply
from .placeholders import fill, placeholder_values, reply_language

FIELDS = ("title", "body_ko", "body_en", "tags", "shared")


def saved_replies_for(user) -> QuerySet[SavedReply]:
    """The shared ones and the user's own personal ones."""
    return SavedReply.objects.filter(Q(shared=True) | Q(created_by=user)).select_related("created_by")


def saved_reply_may_change(*, reply: SavedReply, user) -> bool:
    return reply.created_by_id == user.pk or (reply.shared and is_manager(user))


def _clean(values: dict) -> dict:
    values = {field: values[field] for field in FIELDS if field in values}
    if not (values.get("body_ko", "").strip() or values.get("body_en", "").strip()):
        raise ValidationError(_("Write the text in Korean, in English, or both."))
    values["tags"] = ", ".join(dict.fromkeys(t.strip() for t in values.get("tags", "").split(",") if t.strip()))
    return values


def saved_reply_create(*, actor, values: dict) -> SavedReply:
    return SavedReply.objects.create(created_by=actor, **_clean(values))


def saved_reply_update(*, reply: SavedReply, actor, values: dict) -> SavedReply:
    if not saved_reply_may_change(reply=reply, user=actor):
        raise PermissionDenied
    for field, value in _clean(values).items():
        setattr(reply, field, value)
    reply.save()
    return reply


def saved_reply_delete(*, reply: SavedReply, actor) -> None:
    if not saved_reply_may_change(reply=reply, user=actor):
        raise PermissionDenied
    reply.delete()


@transaction.atomic
def saved_reply_use(*, reply: SavedReply, conversation: Conversation, user) -> str:
    """The reply's text filled for this conversation, in its contact's language; counted as used."""
    SavedReply.objects.filter(pk=reply.pk).update(usage_count=F("usage_count") + 1, last_used_at=timezone.now())
    text = reply.body_for(reply_language(conversation))
    return fill(text, placeholder_values(conversation=conversation, user=user))
