"""What a personal access token may do: one scope per resource group and verb.

A view names its group (`api_scope = "clients"`); reads need `<group>:read`, writes
`<group>:write` (agency_crm.api.access). Write does not include read: a token for a website's
contact form may create clients without reading the list.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

GROUPS = {
    "clients": _("Clients, their contacts and timeline"),
    "inquiries": _("Inquiries, scope items and proposals"),
    "conversations": _("Conversations, messages and internal notes"),
    "care": _("Check-ins and feedback"),
    "answers": _("Saved replies and knowledge articles"),
    "users": _("Colleagues"),
}
# Groups the API only reads.
READ_ONLY = frozenset({"care", "answers", "users"})

SCOPES: list[str] = [
    f"{group}:{verb}" for group in GROUPS for verb in ("read", "write") if verb == "read" or group not in READ_ONLY
]


def scope_choices() -> list[tuple[str, str]]:
    return [(scope, f"{scope} — {GROUPS[scope.split(':')[0]]}") for scope in SCOPES]


def needed_scope(group: str, *, write: bool) -> str:
    return f"{group}:{'write' if write else 'read'}"
