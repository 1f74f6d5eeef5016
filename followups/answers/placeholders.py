"""Filling a saved reply for the conversation at hand.

Plain token substitution in one pass: `{contact_name}` and its five siblings are replaced by data,
and nothing else is touched, so braces or template syntax anywhere (in the reply or in a customer's
name) stay text, and a value is never substituted again. A placeholder with no data becomes a
visible marker ([[due_time?]]) that the reply form refuses to send. `{portal_link}` stays as it
is: the reply by email to that contact alone replaces it with their link.
"""

from __future__ import annotations

import re

from agency_crm import facts
from agency_crm.people import display_name

from ..conversations.models import Conversation
from ..conversations.placeholders import PORTAL_LINK, missing_marker
from ..portal.links import portal_may_use

PLACEHOLDERS = ("contact_name", "client_name", "my_name", "owner_name", "due_time", "portal_link")
_TOKEN = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")


def reply_language(conversation: Conversation) -> str:
    return conversation.contact.preferred_language if conversation.contact_id else "ko"


def placeholder_values(*, conversation: Conversation, user) -> dict[str, str]:
    """The data of each placeholder for this conversation ("" where there is none)."""
    contact = conversation.contact
    client = conversation.client
    language = reply_language(conversation)
    return {
        "contact_name": contact.name if contact else "",
        "client_name": "" if client.is_placeholder else client.name,
        "my_name": display_name(user, ""),
        "owner_name": display_name(client.account_owner, "") if client.account_owner_id else "",
        "due_time": facts.format_moment_for(language, conversation.reply_due_at) if conversation.reply_due_at else "",
        # Left as the placeholder: the email to the contact alone carries the link itself.
        "portal_link": PORTAL_LINK if contact is not None and portal_may_use(contact) else "",
    }


# A value that looks like a marker ("Kim [[due_time?]]", a visitor's name) must not block the
# reply: markers are found in the saved reply's own text, so a value loses its double brackets.
_MARKER_BRACKETS = re.compile(r"\[\[|\]\]")


def _as_value(value: str) -> str:
    return _MARKER_BRACKETS.sub(lambda match: match.group(0)[0], value)


def fill(text: str, values: dict[str, str]) -> str:
    return _TOKEN.sub(lambda match: _as_value(values.get(match.group(1)) or "") or missing_marker(match.group(1)), text)
