"""Business actions of conversations (see DESIGN.md: keyword-only, transaction-safe services)."""

from ..clock import conversation_recompute_clock
from .handover import conversation_reassign, conversations_reassign
from .merge import (
    conversation_follow_merges,
    conversation_may_work,
    conversation_merge,
    logged_message_to_new_conversation,
    message_move_out,
)
from .messages import (
    conversation_rename,
    conversation_set_tags,
    conversation_start,
    message_receive,
    message_update_time,
    wait_close_no_reply_needed,
)
from .notes import internal_note_delete, internal_note_edit, internal_note_may_change, note_add
from .outreach import conversation_email_contact
from .reply import conversation_log, conversation_reply, reply_email

__all__ = [
    "conversation_email_contact",
    "conversation_follow_merges",
    "conversation_may_work",
    "conversation_merge",
    "conversation_log",
    "conversation_reassign",
    "conversation_rename",
    "conversation_recompute_clock",
    "conversation_reply",
    "conversation_set_tags",
    "conversation_start",
    "conversations_reassign",
    "internal_note_delete",
    "internal_note_edit",
    "internal_note_may_change",
    "logged_message_to_new_conversation",
    "message_move_out",
    "message_receive",
    "message_update_time",
    "note_add",
    "reply_email",
    "wait_close_no_reply_needed",
]
