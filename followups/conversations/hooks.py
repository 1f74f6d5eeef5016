"""How the rooms above `conversations` take part in its work without it importing them.

`conversations` is the ground floor of followups (see README, "Architecture"): it never imports
`reminders`, `mailin` or `care`. Where its work must cause theirs, they register a function here
from `FollowupsConfig.ready()`, the way `clients.search` takes providers:

- after every replay of the response clock, `reminders` gives each reminder to the wait that now
  holds its customer message, plans the open wait's reminder levels and stops those of closed
  waits (in the same transaction);
- after the opening hours, closures or targets changed, `reminders` re-plans every open wait's
  reminder levels (the warning moves even where the due time did not);
- after a handover, `reminders` tells the new owner;
- when we write an email in a conversation, `mailin` names the customer email it answers, so the
  reply threads in the customer's mail program;
- when messages move to another conversation (a merge, a message moved out), the rooms that keep
  rows of their own about them (received emails and their files, web form submissions,
  notifications) move those rows along, in the same transaction.
- when a reply is recorded, `kakao` sends one on KakaoTalk through its gateway, with its photos
  and files (or refuses it, raising ValidationError, which rolls the reply back);
- when another channel hears from a stranger, `mailin` opens the conversation in its triage.

Registering the same function twice keeps one. With nothing registered (a test that wants the
clock alone) the conversation's own work still happens.
"""

from __future__ import annotations

from collections.abc import Callable

_waits_replayed: list[Callable] = []
_handed_over: list[Callable] = []
_thread_parents: list[Callable] = []
_calendar_changed: list[Callable] = []
_moved: list[Callable] = []
_reply_recorded: list[Callable] = []
_unknown_senders: list[Callable] = []


def _add(registry: list[Callable], function: Callable) -> Callable:
    if function not in registry:
        registry.append(function)
    return function


def on_waits_replayed(function: Callable) -> Callable:
    """`function(*, waits, calendar, customer_messages)` runs after each clock replay with the
    conversation's waits in time order and, per wait id, the ids of the customer messages it
    holds (the one that started it first)."""
    return _add(_waits_replayed, function)


def on_calendar_changed(function: Callable) -> Callable:
    """`function(*, calendar)` runs after the opening hours, closures or targets changed and every
    open wait was replayed on the new `calendar`, in the same transaction."""
    return _add(_calendar_changed, function)


def on_handed_over(function: Callable) -> Callable:
    """`function(*, conversation, old_owner, new_owner, actor)` runs after a conversation changes hands."""
    return _add(_handed_over, function)


def on_thread_parent(function: Callable) -> Callable:
    """`function(conversation) -> {"message_id", "references"} | None`: the customer email our next
    email in the conversation answers."""
    return _add(_thread_parents, function)


def on_moved(function: Callable) -> Callable:
    """`function(*, source, target, message_ids, whole)` runs after the messages `message_ids`
    moved from `source` to `target`, before either clock is replayed; `whole` is True for a merge
    (everything of `source` follows, not only what belongs to those messages)."""
    return _add(_moved, function)


def moved(*, source, target, message_ids: list[int], whole: bool) -> None:
    for function in _moved:
        function(source=source, target=target, message_ids=message_ids, whole=whole)


def on_reply_recorded(function: Callable) -> Callable:
    """`function(*, conversation, message, author, attachments)` runs in the reply's transaction
    after our message is stored (`attachments`: the composer's files for a channel other than
    email, else empty); it may raise ValidationError to refuse the reply."""
    return _add(_reply_recorded, function)


def on_unknown_sender(function: Callable) -> Callable:
    """`function(*, subject, channel, address, name) -> Conversation`: a conversation in triage
    for a sender no contact matches (the first registered answers)."""
    return _add(_unknown_senders, function)


def reply_recorded(*, conversation, message, author, attachments: list | None = None) -> None:
    for function in _reply_recorded:
        function(conversation=conversation, message=message, author=author, attachments=list(attachments or []))


def unknown_sender_conversation(*, subject: str, channel: str, address: str = "", name: str = ""):
    """The triage conversation for a stranger, or None when no room keeps a triage."""
    for function in _unknown_senders:
        return function(subject=subject, channel=channel, address=address, name=name)
    return None


def waits_replayed(*, waits, calendar, customer_messages: dict[int, list[int]]) -> None:
    for function in _waits_replayed:
        function(waits=waits, calendar=calendar, customer_messages=customer_messages)


def calendar_changed(*, calendar) -> None:
    for function in _calendar_changed:
        function(calendar=calendar)


def handed_over(*, conversation, old_owner, new_owner, actor) -> None:
    for function in _handed_over:
        function(conversation=conversation, old_owner=old_owner, new_owner=new_owner, actor=actor)


def thread_parent(conversation) -> dict | None:
    for function in _thread_parents:
        parent = function(conversation)
        if parent is not None:
            return parent
    return None
