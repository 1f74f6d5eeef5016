"""The marker a filled saved reply leaves where a placeholder had no data (issue 19).

It lives with conversations, the floor that sends replies, so the reply form can refuse a text
that still holds one whatever room filled it.
"""

import re

MISSING = "[[{name}?]]"
_MISSING = re.compile(r"\[\[([a-z_]+)\?\]\]")


def missing_marker(name: str) -> str:
    return MISSING.format(name=name)


def unfilled(text: str) -> list[str]:
    """The placeholder names whose markers are still in `text`, in order, once each."""
    return list(dict.fromkeys(_MISSING.findall(text or "")))


# A saved reply's {portal_link} stays in the composer as written: the self-service link is the
# contact's key, so staff never hold it. The reply by email puts the link in its place, and only
# in an email to that contact alone (conversations.services.reply).
PORTAL_LINK = "{portal_link}"
