"""Customer notices that may go by another channel too (KakaoTalk's AlimTalk), beside their email.

The apps that tell a customer something by email (inquiries: a proposal was sent; followups'
care: a check-in, a feedback request; reminders: the answer we promised is due) call
`customer_notice(...)` at the moment they write that email, in the same transaction. The rooms
that can reach customers another way register a handler from `FollowupsConfig.ready()`;
`agency_crm` and the calling apps never import them (the same registry pattern as
`agency_crm.outbox.failures`), so a lower floor never learns that KakaoTalk exists.

A handler is called as `handler(*, purpose, contact, values, conversation, once_key)`:
- `purpose`: one of PURPOSES;
- `values`: what the caller knows about the notice, text or aware datetimes (the handler formats
  them for the contact), e.g. {"subject": ..., "link": ..., "due": <datetime>};
- `conversation`: the conversation the notice is about, or None (a proposal);
- `once_key`: what makes the notice one of its kind ("proposal-12"), "" for "once per
  conversation and day".
A handler decides for itself whether the contact may receive it, and writes its own outbox rows
(sent after the commit). It never raises for a contact it cannot reach.
"""

from __future__ import annotations

from collections.abc import Callable

ANSWER_DUE = "answer_due"
PROPOSAL_SENT = "proposal_sent"
CHECKIN = "checkin"
FEEDBACK_REQUEST = "feedback_request"
PURPOSES = (ANSWER_DUE, PROPOSAL_SENT, CHECKIN, FEEDBACK_REQUEST)

_handlers: list[Callable] = []


def on_customer_notice(handler: Callable) -> Callable:
    """Register `handler(*, purpose, contact, values, conversation, once_key)`; twice keeps one."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def customer_notice(*, purpose: str, contact, values: dict, conversation=None, once_key: str = "") -> None:
    """Tell the registered channels that `contact` is being sent the notice `purpose`."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown customer notice {purpose!r}")
    if contact is None:
        return
    for handler in _handlers:
        handler(purpose=purpose, contact=contact, values=dict(values), conversation=conversation, once_key=once_key)
