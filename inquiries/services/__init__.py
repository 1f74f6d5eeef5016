"""Business actions on inquiries (`inquiries`), scope items (`scope`) and proposals (`proposals`).
Each one is transaction-safe. Import them from here."""

from .inquiries import (
    INQUIRY_FIELDS,
    inquiry_create,
    inquiry_discovery_save,
    inquiry_mark_delivered,
    inquiry_set_status,
    inquiry_update,
)
from .proposals import (
    PROPOSAL_LINK_SALT,
    ProposalNotAcceptable,
    proposal_accept,
    proposal_accept_total,
    proposal_key_from_token,
    proposal_link_token,
    proposal_send,
    proposal_snapshot,
    proposal_want_ids,
)
from .scope import (
    SCOPE_ITEM_FIELDS,
    scope_item_add,
    scope_item_delete,
    scope_item_move,
    scope_item_update,
)

__all__ = [
    "INQUIRY_FIELDS",
    "PROPOSAL_LINK_SALT",
    "ProposalNotAcceptable",
    "SCOPE_ITEM_FIELDS",
    "inquiry_create",
    "inquiry_discovery_save",
    "inquiry_mark_delivered",
    "inquiry_set_status",
    "inquiry_update",
    "proposal_accept",
    "proposal_accept_total",
    "proposal_key_from_token",
    "proposal_link_token",
    "proposal_send",
    "proposal_snapshot",
    "proposal_want_ids",
    "scope_item_add",
    "scope_item_delete",
    "scope_item_move",
    "scope_item_update",
]
