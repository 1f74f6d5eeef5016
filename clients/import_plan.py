"""What a valid CSV import would do, client by client, and doing it.

Rows are matched to existing clients on the `id` column, which the export writes (the stable key:
names change and may repeat; emails and business numbers are not on every client). A row with an
id updates that client, a row without one creates a client. Only the columns the file has are
compared, so a file with a few columns changes only those. On an update:
- kind, status, response_tier and contact_language left empty keep the current value;
- website, notes, tags and backup_owner are set as written (empty clears them), as an export
  writes every one;
- contacts are matched within the client by email (case-insensitive) or, for a row without email,
  by name; unmatched ones are added; contacts missing from the file are kept (never deleted).
Changes are written through clients.services (client_update, contact_update, contact_create), so
each lands on the client's timeline with who made it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from .models import Client, Contact, ResponseTier
from .services import client_create, client_update, contact_create, contact_update, parse_tag_names

# file column -> Client field, for the client's own columns.
CLIENT_COLUMNS = {
    "name": "name",
    "kind": "kind",
    "status": "status",
    "response_tier": "response_tier",
    "account_owner": "account_owner",
    "backup_owner": "backup_owner",
    "website": "website",
    "notes": "notes",
}
KEEP_WHEN_EMPTY = {"kind", "status", "response_tier", "contact_language", "contact_accepts_checkins"}
# file column -> Contact field.
CONTACT_COLUMNS = {
    "contact_name": "name",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_kakao_id": "kakao_id",
    "contact_role": "role",
    "contact_language": "preferred_language",
    "contact_accepts_checkins": "accepts_checkins",
}
CHOICES = {
    "kind": dict(Client.Kind.choices),
    "status": dict(Client.Status.choices),
    "response_tier": dict(ResponseTier.choices),
    "contact_language": dict(Contact.Language.choices),
}


def _show(column: str, value: Any) -> str:
    """A value as the preview shows it: choice labels, usernames, yes/no, tags joined."""
    if value is None or value == "":
        return "—"
    if column in CHOICES:
        return str(CHOICES[column].get(value, value))
    if column in ("account_owner", "backup_owner"):
        return value.get_username()
    if column == "contact_accepts_checkins":
        return "yes" if value else "no"
    if column == "tags":
        return "; ".join(value)
    return str(value)


@dataclass
class ContactPlan:
    action: str  # "create", "update" or "unchanged"
    name: str
    contact: Contact | None = None
    values: dict[str, Any] = field(default_factory=dict)  # Contact field -> new value
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, before, after)


@dataclass
class ClientPlan:
    action: str  # "create", "update" or "unchanged"
    name: str
    client: Client | None = None
    values: dict[str, Any] = field(default_factory=dict)  # Client field -> new value
    tags: list[str] | None = None  # None: the tags stay as they are
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    contacts: list[ContactPlan] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return self.action == "create" or bool(self.changes) or any(c.action != "unchanged" for c in self.contacts)


def group_key(row) -> str:
    """Rows of one client: the same id, or (new clients) the same name."""
    cleaned = row.cleaned or {}
    return f"id:{cleaned['id']}" if cleaned.get("id") else f"name:{row.values.get('name', '').strip()}"


def _client_values(data: dict, columns: set[str]) -> dict[str, Any]:
    values = {}
    for column, field_name in CLIENT_COLUMNS.items():
        if column not in columns:
            continue
        value = data.get(column)
        if column in KEEP_WHEN_EMPTY and not value:
            continue
        values[field_name] = value if value is not None else ("" if column not in ("backup_owner",) else None)
    return values


def _contact_values(row, columns: set[str], *, creating: bool) -> dict[str, Any]:
    data = row.cleaned
    values = {}
    for column, field_name in CONTACT_COLUMNS.items():
        if column not in columns:
            continue
        raw = (row.values.get(column) or "").strip()
        if column in KEEP_WHEN_EMPTY and not raw and not creating:
            continue
        values[field_name] = data.get(column)
    if creating:
        values["preferred_language"] = values.get("preferred_language") or Contact.Language.KOREAN
        values.setdefault("accepts_checkins", True)
    return values


def _find_contact(client: Client, data: dict) -> Contact | None:
    email = (data.get("contact_email") or "").lower()
    for contact in client.contacts.all():
        if email and contact.email.lower() == email:
            return contact
        if not email and contact.name == data["contact_name"]:
            return contact
    return None


def _contact_plan(client: Client | None, row, columns: set[str]) -> ContactPlan:
    data = row.cleaned
    existing = _find_contact(client, data) if client is not None else None
    if existing is None:
        return ContactPlan("create", data["contact_name"], values=_contact_values(row, columns, creating=True))
    plan = ContactPlan("unchanged", existing.name, contact=existing)
    for field_name, value in _contact_values(row, columns, creating=False).items():
        before = getattr(existing, field_name)
        if before != value:
            column = next(c for c, f in CONTACT_COLUMNS.items() if f == field_name)
            plan.values[field_name] = value
            plan.changes.append((column.removeprefix("contact_"), _show(column, before), _show(column, value)))
    if plan.changes:
        plan.action = "update"
    return plan


def build_plans(rows, columns: set[str], existing: dict[int, Client]) -> list[ClientPlan]:
    """One plan per client of the (valid) rows, in file order. No queries: `existing` holds the
    matched clients with their owners, tags and contacts loaded."""
    plans: dict[str, ClientPlan] = {}
    for row in rows:
        data = row.cleaned
        key = group_key(row)
        plan = plans.get(key)
        if plan is None:
            client = existing.get(data.get("id")) if data.get("id") else None
            plan = plans[key] = _client_plan(client, data, columns)
        if data.get("contact_name"):
            contact_plan = _contact_plan(plan.client, row, columns)
            if not any(c.name == contact_plan.name and c.action == "create" for c in plan.contacts):
                plan.contacts.append(contact_plan)
    for plan in plans.values():
        if plan.action == "unchanged" and any(c.action != "unchanged" for c in plan.contacts):
            plan.action = "update"
    return list(plans.values())


def _client_plan(client: Client | None, data: dict, columns: set[str]) -> ClientPlan:
    tags = parse_tag_names(data.get("tags") or "") if "tags" in columns else None
    values = _client_values(data, columns)
    if client is None:
        return ClientPlan("create", data["name"], values=values, tags=tags or [])
    plan = ClientPlan("unchanged", client.name, client=client)
    for field_name, value in values.items():
        before = getattr(client, field_name)
        if before != value:
            plan.values[field_name] = value
            plan.changes.append((field_name, _show(field_name, before), _show(field_name, value)))
    if tags is not None:
        current = [tag.name for tag in client.tags.all()]
        if sorted(current) != sorted(tags):
            plan.tags = tags
            plan.changes.append(("tags", _show("tags", sorted(current)), _show("tags", tags)))
    if plan.changes:
        plan.action = "update"
    return plan


def plans_digest(plans: list[ClientPlan]) -> str:
    """A fingerprint of what the preview showed: the confirmation applies only the same changes."""
    parts = [
        repr(
            (
                p.action,
                p.client.pk if p.client else p.name,
                p.changes,
                [(c.action, c.name, c.changes) for c in p.contacts],
            )
        )
        for p in plans
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def apply_plans(plans: list[ClientPlan], *, actor) -> dict[str, int]:
    """Write the plans through the services (call inside a transaction). Returns counts by action."""
    counts = {"created": 0, "updated": 0}
    for plan in plans:
        if plan.action == "create":
            client = client_create(
                actor=actor,
                name=plan.values["name"],
                kind=plan.values.get("kind") or Client.Kind.COMPANY,
                status=plan.values.get("status") or Client.Status.PROSPECT,
                response_tier=plan.values.get("response_tier") or ResponseTier.STANDARD,
                account_owner=plan.values["account_owner"],
                backup_owner=plan.values.get("backup_owner"),
                website=plan.values.get("website") or "",
                notes=plan.values.get("notes") or "",
                tags=plan.tags or [],
            )
            counts["created"] += 1
        else:
            client = plan.client
            if plan.values or plan.tags is not None:
                client = client_update(client=client, actor=actor, changes=plan.values, tags=plan.tags)
            if plan.has_changes:
                counts["updated"] += 1
        for contact_plan in plan.contacts:
            if contact_plan.action == "create":
                contact_create(client=client, actor=actor, record=plan.action != "create", **contact_plan.values)
            elif contact_plan.action == "update":
                contact_update(contact=contact_plan.contact, actor=actor, changes=contact_plan.values)
    return counts
