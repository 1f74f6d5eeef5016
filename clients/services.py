"""Business actions on clients. Every change a colleague should know about lands on the timeline."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts, permissions
from agency_crm.people import display_name
from agency_crm.text import clean_line

from .models import Client, Contact, Note, Tag
from .timeline import timeline_record
from .webhook_data import client_emit_created, client_emit_updated, contact_emit_created

logger = logging.getLogger(__name__)

# Fields of Client a form may change through client_update (tags are handled separately).
CLIENT_FIELDS = [
    "name",
    "kind",
    "status",
    "response_tier",
    "website",
    "notes",
    "account_owner",
    "backup_owner",
    "referred_by",
    "referred_by_contact",
]
CONTACT_FIELDS = [
    "name",
    "email",
    "phone",
    "kakao_id",
    "role",
    "preferred_language",
    "accepts_checkins",
    "portal_access",
]


# Single-line fields a customer (or an import, or an email's display name) may have written.
LINE_FIELDS = frozenset({"name", "role", "phone", "kakao_id"})


def _clean_lines(values: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """No control characters or bidi overrides in a name (agency_crm.text)."""
    return {k: clean_line(v) if k in fields and isinstance(v, str) else v for k, v in values.items()}


def _user_label(user) -> str:
    return display_name(user, "—")


def parse_tag_names(text: str) -> list[str]:
    """'web, 유지보수 , web' -> ['web', '유지보수'] (commas or semicolons separate tags)."""
    names: list[str] = []
    for raw in (text or "").replace(";", ",").split(","):
        name = " ".join(raw.split())[:50]
        if name and name not in names:
            names.append(name)
    return names


def _set_tags(client: Client, names: Iterable[str]) -> None:
    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    client.tags.set(tags)


@transaction.atomic
def client_create(
    *,
    actor,
    name: str,
    account_owner,
    kind: str = Client.Kind.COMPANY,
    status: str = Client.Status.PROSPECT,
    response_tier: str = "standard",
    website: str = "",
    notes: str = "",
    backup_owner=None,
    referred_by: Client | None = None,
    referred_by_contact: Contact | None = None,
    tags: Iterable[str] = (),
    contacts: Iterable[dict[str, Any]] = (),
) -> Client:
    if backup_owner is not None and backup_owner == account_owner:
        raise ValidationError(_("The backup owner must be someone other than the account owner."))
    client = Client(
        name=clean_line(name),
        kind=kind,
        status=status,
        response_tier=response_tier,
        website=website,
        notes=notes,
        account_owner=account_owner,
        backup_owner=backup_owner,
        referred_by=referred_by,
        referred_by_contact=referred_by_contact,
    )
    client.full_clean()
    client.save()
    _set_tags(client, tags)
    timeline_record(
        client=client,
        kind="client.created",
        actor=actor,
        summary=gettext_noop("Client created; account owner %(owner)s"),
        params={"owner": facts.person(account_owner)},
    )
    client_emit_created(client)
    for contact_fields in contacts:
        contact_create(client=client, actor=actor, record=False, **contact_fields)
    return client


@transaction.atomic
def client_update(*, client: Client, actor, changes: dict[str, Any], tags: Iterable[str] | None = None) -> Client:
    """Apply `changes` (a subset of CLIENT_FIELDS); status and owner changes go on the timeline
    with who, when, from what to what."""
    current = Client.objects.select_for_update().get(pk=client.pk)
    before = {field: getattr(current, field) for field in CLIENT_FIELDS}
    _refuse_owner_changes(actor, current, changes)
    changes = _clean_lines(changes, LINE_FIELDS)
    before_status_label = facts.choice(current, "status")
    for field, value in changes.items():
        if field not in CLIENT_FIELDS:
            raise ValueError(f"{field} cannot be changed through client_update")
        setattr(current, field, value)
    if current.backup_owner_id is not None and current.backup_owner_id == current.account_owner_id:
        raise ValidationError({"backup_owner": _("The backup owner must be someone other than the account owner.")})
    current.full_clean()
    current.save()

    if before["status"] != current.status:
        timeline_record(
            client=current,
            kind="client.status_changed",
            actor=actor,
            summary=gettext_noop("Status changed from %(old)s to %(new)s"),
            params={"old": before_status_label, "new": facts.choice(current, "status")},
            data={"from": before["status"], "to": current.status},
        )
    _record_owner_changes(current, before["account_owner"], before["backup_owner"], actor)
    other = [f for f in CLIENT_FIELDS if f not in ("status", "account_owner", "backup_owner")]
    changed = [f for f in other if before[f] != getattr(current, f)]
    if tags is not None:
        old_tags = sorted(current.tags.values_list("name", flat=True))
        new_tags = list(tags)
        if sorted(new_tags) != old_tags:
            _set_tags(current, new_tags)
            changed.append("tags")
    if changed:
        labels = facts.listing([facts.field_label(Client, f) for f in changed])
        timeline_record(
            client=current,
            kind="client.updated",
            actor=actor,
            summary=gettext_noop("Details changed: %(fields)s"),
            params={"fields": labels},
            data={"fields": changed},
        )
    every_change = [f for f in CLIENT_FIELDS if before[f] != getattr(current, f)] + [f for f in changed if f == "tags"]
    if every_change:
        client_emit_updated(current, changed_fields=every_change)
    client.refresh_from_db()
    return current


def _refuse_owner_changes(actor, client: Client, changes: dict[str, Any]) -> None:
    """The same rule as the form (agency_crm.permissions): PermissionDenied when `actor` changes
    an owner they may not change."""
    owner_id, backup_id = client.account_owner_id, client.backup_owner_id
    if "account_owner" in changes and getattr(changes["account_owner"], "pk", None) != owner_id:
        permissions.require_owner_change(actor, owner_id)
    if "backup_owner" in changes and getattr(changes["backup_owner"], "pk", None) != backup_id:
        permissions.require_owner_change(actor, owner_id, backup_id)


def _record_owner_changes(client: Client, old_owner, old_backup, actor, *, reason: str | dict = "") -> None:
    if old_owner != client.account_owner:
        timeline_record(
            client=client,
            kind="client.owner_changed",
            actor=actor,
            summary=gettext_noop("Account owner changed from %(old)s to %(new)s"),
            params={"old": facts.person(old_owner), "new": facts.person(client.account_owner)},
            body=reason,
            data={"from": getattr(old_owner, "pk", None), "to": client.account_owner_id},
        )
    if old_backup != client.backup_owner:
        # "from X to —" read "X에서 —(으)로" in Korean: a backup set or removed says just that.
        if client.backup_owner is None:
            summary = gettext_noop("Backup owner %(old)s removed")
        elif old_backup is None:
            summary = gettext_noop("Backup owner set to %(new)s")
        else:
            summary = gettext_noop("Backup owner changed from %(old)s to %(new)s")
        timeline_record(
            client=client,
            kind="client.backup_changed",
            actor=actor,
            summary=summary,
            params={"old": facts.person(old_backup), "new": facts.person(client.backup_owner)},
            body=reason,
            data={"from": getattr(old_backup, "pk", None), "to": client.backup_owner_id},
        )


@transaction.atomic
def client_archive(*, client: Client, actor) -> bool:
    """Hide the client from lists and search; its history stays. Returns False if already archived."""
    updated = Client.objects.filter(pk=client.pk, archived_at__isnull=True).update(
        archived_at=timezone.now(), updated_at=timezone.now()
    )
    if updated:
        timeline_record(client=client, kind="client.archived", actor=actor, summary=gettext_noop("Client archived"))
    client.refresh_from_db()
    return bool(updated)


@transaction.atomic
def client_restore(*, client: Client, actor) -> bool:
    updated = Client.objects.filter(pk=client.pk, archived_at__isnull=False).update(
        archived_at=None, updated_at=timezone.now()
    )
    if updated:
        timeline_record(client=client, kind="client.restored", actor=actor, summary=gettext_noop("Client restored"))
    client.refresh_from_db()
    return bool(updated)


@transaction.atomic
def contact_create(*, client: Client, actor, record: bool = True, **fields: Any) -> Contact:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"unknown contact fields: {sorted(unknown)}")
    contact = Contact(client=client, **_clean_lines(fields, LINE_FIELDS))
    contact.full_clean()
    contact.save()
    if record:
        timeline_record(
            client=client,
            kind="contact.added",
            actor=actor,
            summary=gettext_noop("Contact added: %(name)s"),
            params={"name": contact.name},
        )
    contact_emit_created(contact)
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor, changes: dict[str, Any]) -> Contact:
    current = Contact.objects.select_for_update().get(pk=contact.pk)
    changed = []
    for field, value in _clean_lines(changes, LINE_FIELDS).items():
        if field not in CONTACT_FIELDS:
            raise ValueError(f"{field} cannot be changed through contact_update")
        if getattr(current, field) != value:
            setattr(current, field, value)
            changed.append(field)
    if "email" in changed or ("portal_access" in changed and not current.portal_access):
        current.links_version += 1  # the links sent before stop working, and stay stopped
    current.full_clean()
    current.save()
    if changed:
        labels = facts.listing([facts.field_label(Contact, f) for f in changed])
        timeline_record(
            client=current.client,
            kind="contact.updated",
            actor=actor,
            summary=gettext_noop("Contact %(name)s changed: %(fields)s"),
            params={"name": current.name, "fields": labels},
        )
    return current


@transaction.atomic
def contact_links_revoke(*, contact: Contact, actor) -> Contact:
    """Sign the contact out everywhere: every self-service link sent before stops working."""
    Contact.objects.filter(pk=contact.pk).update(links_version=F("links_version") + 1)
    contact.refresh_from_db()
    timeline_record(
        client=contact.client,
        kind="contact.links_revoked",
        actor=actor,
        summary=gettext_noop("Every self-service link of %(name)s signed out"),
        params={"name": contact.name},
    )
    return contact


@transaction.atomic
def note_add(*, client: Client, author, body: str, kind: str = Note.Kind.NOTE) -> Note:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    note = Note.objects.create(client=client, author=author, body=body, kind=kind)
    is_call = kind == Note.Kind.CALL
    timeline_record(
        client=client,
        kind="call.logged" if is_call else "note.added",
        actor=author,
        occurred_at=note.created_at,
        summary=gettext_noop("Call logged") if is_call else gettext_noop("Note added"),
        body=body,
        url=reverse("clients:detail", args=[client.pk]) + f"#note-{note.pk}",
        data={"note_id": note.pk},
    )
    return note
