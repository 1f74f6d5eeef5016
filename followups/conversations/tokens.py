"""The reply token: lets a customer's reply find its conversation when headers are lost.

A token is "<conversation id>-<10 hex chars of an HMAC>", so it cannot be guessed to post into
someone else's conversation. It travels in the Reply-To plus-address (crm+12-ab12cd34ef@agency)
and in the subject ("[#12-ab12cd34ef]").
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "followups.mailin.reply-token"
TOKEN = r"(\d{1,12})-([0-9a-f]{10})"
SUBJECT_TOKEN_RE = re.compile(r"\[#" + TOKEN + r"\]")
PLUS_TOKEN_RE = re.compile(r"\+" + TOKEN + r"@", re.IGNORECASE)


def _signature(conversation_id: int) -> str:
    return salted_hmac(SALT, str(conversation_id)).hexdigest()[:10]


def conversation_token(conversation_id: int) -> str:
    return f"{conversation_id}-{_signature(conversation_id)}"


def _check(match: re.Match | None) -> int | None:
    if match is None:
        return None
    conversation_id, signature = int(match.group(1)), match.group(2).lower()
    return conversation_id if constant_time_compare(signature, _signature(conversation_id)) else None


def conversation_id_from_subject(subject: str) -> int | None:
    for match in SUBJECT_TOKEN_RE.finditer(subject or ""):
        found = _check(match)
        if found is not None:
            return found
    return None


def conversation_id_from_addresses(addresses: list[str]) -> int | None:
    for address in addresses:
        found = _check(PLUS_TOKEN_RE.search(address or ""))
        if found is not None:
            return found
    return None


def reply_address(conversation_id: int) -> str:
    """The mailbox address with the token as plus-address: crm+12-ab12cd34ef@agency.example."""
    local, _at, domain = settings.MAILIN_ADDRESS.rpartition("@")
    local = local.split("+", 1)[0]
    return f"{local}+{conversation_token(conversation_id)}@{domain}"


def subject_with_token(subject: str, conversation_id: int) -> str:
    token = f"[#{conversation_token(conversation_id)}]"
    subject = SUBJECT_TOKEN_RE.sub("", subject or "").strip()
    return f"{subject} {token}".strip()
