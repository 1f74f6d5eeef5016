"""The automatic customer notices by AlimTalk, beside their email.

`kakao_customer_notice` is registered with `agency_crm.outbox.notices` in FollowupsConfig.ready():
proposals (inquiries), check-ins and feedback requests (care) and the "your answer is due" of
reminders call `customer_notice(...)` when they write their email (or, for the answer due, when
the promised reply time comes), without knowing KakaoTalk. Each purpose goes by the AlimTalk
template the agency registered for it, filled from what the caller and the contact give:

- proposal_sent: #{name} #{agency} #{title} #{number} #{link} (the proposal's public link);
- checkin: #{name} #{agency} #{subject} #{owner} #{link} (the check-in's feedback link);
- feedback_request: #{name} #{agency} #{subject} #{link} (the feedback link);
- answer_due: #{name} #{agency} #{subject} #{due} (the reply time we promised, reached now).

A template with any other variable is not sent automatically (it can be sent from the panel).
"""

from __future__ import annotations

from agency_crm.outbox import OutboundEmail
from agency_crm.outbox import notices as outbox_notices

from .alimtalk import alimtalk_notice, template_variables
from .models import AlimTalkTemplate

PURPOSES = {
    outbox_notices.PROPOSAL_SENT: (AlimTalkTemplate.Purpose.PROPOSAL_SENT, OutboundEmail.Kind.PROPOSAL),
    outbox_notices.CHECKIN: (AlimTalkTemplate.Purpose.CHECKIN, OutboundEmail.Kind.CHECKIN),
    outbox_notices.FEEDBACK_REQUEST: (AlimTalkTemplate.Purpose.FEEDBACK_REQUEST, OutboundEmail.Kind.FEEDBACK_REQUEST),
    outbox_notices.ANSWER_DUE: (AlimTalkTemplate.Purpose.ANSWER_DUE, OutboundEmail.Kind.REMINDER),
}


# What each automatic notice fills a template with (the acknowledgement is sent by inbound.py).
AUTOMATIC_VARIABLES = {
    AlimTalkTemplate.Purpose.ACKNOWLEDGEMENT: ("name", "agency", "subject", "due"),
    AlimTalkTemplate.Purpose.ANSWER_DUE: ("name", "agency", "subject", "due"),
    AlimTalkTemplate.Purpose.PROPOSAL_SENT: ("name", "agency", "title", "number", "link"),
    AlimTalkTemplate.Purpose.CHECKIN: ("name", "agency", "subject", "owner", "link"),
    AlimTalkTemplate.Purpose.FEEDBACK_REQUEST: ("name", "agency", "subject", "link"),
}


def automatic_gaps(template: AlimTalkTemplate) -> list[str] | None:
    """None for a template sent by hand only (its purpose is no automatic notice), else the
    #{variables} an automatic notice cannot fill (empty: it goes on its own)."""
    known = AUTOMATIC_VARIABLES.get(template.purpose)
    if known is None:
        return None
    return [name for name in template_variables(template.text) if name not in known]


def kakao_customer_notice(*, purpose: str, contact, values: dict, conversation=None, once_key: str = "") -> None:
    """agency_crm.outbox.notices.on_customer_notice: the same notice by AlimTalk, when it may go."""
    template_purpose, kind = PURPOSES[purpose]
    alimtalk_notice(
        purpose=template_purpose,
        contact=contact,
        kind=kind,
        conversation=conversation,
        values=values,
        once_key=once_key,
    )
