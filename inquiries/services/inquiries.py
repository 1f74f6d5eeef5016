"""Inquiries: create, edit, change status, save the discovery checklist, mark delivered."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts, permissions
from clients.models import Client, Contact, ResponseTier
from clients.timeline import timeline_record
from clients.webhook_data import client_emit_created, contact_emit_created

from .. import hooks
from ..models import DiscoveryAnswer, DiscoveryQuestion, Inquiry
from ..webhook_data import inquiry_emit_created, inquiry_emit_status_changed

INQUIRY_FIELDS = {
    "title",
    "source",
    "referred_by",
    "referred_by_contact",
    "problem",
    "goal",
    "budget_min",
    "budget_max",
    "deadline",
    "owner",
    "hourly_rate",
    "currency",
    "assumptions",
}


@transaction.atomic
def inquiry_create(
    *,
    actor,
    details: dict,
    client: Client | None = None,
    new_client_name: str = "",
    contact: Contact | None = None,
    new_contact_name: str = "",
    new_contact_email: str = "",
) -> Inquiry:
    """Record an inquiry for an existing client, or for a prospect created on the fly."""
    unknown = set(details) - INQUIRY_FIELDS
    if unknown:
        raise ValueError(f"unknown inquiry fields: {sorted(unknown)}")
    owner = details.get("owner") or actor
    if client is None:
        if not new_client_name.strip():
            raise ValidationError(_("Choose a client or enter the name of a new prospect."))
        client = Client.objects.create(
            name=new_client_name.strip(),
            status=Client.Status.PROSPECT,
            response_tier=ResponseTier.PROSPECT,
            account_owner=owner,
        )
        timeline_record(
            client=client, kind="client.created", summary=gettext_noop("Prospect created from an inquiry"), actor=actor
        )
        client_emit_created(client)
    if contact is not None and contact.client_id != client.pk:
        raise ValidationError(_("The contact must belong to the chosen client."))
    if contact is None and new_contact_name.strip():
        contact = Contact.objects.create(client=client, name=new_contact_name.strip(), email=new_contact_email.strip())
        contact_emit_created(contact)
    inquiry = Inquiry(client=client, contact=contact, **{**details, "owner": owner})
    inquiry.full_clean()
    inquiry.save()
    timeline_record(
        client=client,
        kind="inquiry.created",
        summary=gettext_noop("Inquiry: %(title)s"),
        params={"title": inquiry.title},
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk},
    )
    inquiry_emit_created(inquiry)
    return inquiry


@transaction.atomic
def inquiry_update(*, inquiry: Inquiry, actor, changes: dict) -> Inquiry:
    unknown = set(changes) - INQUIRY_FIELDS - {"contact"}
    if unknown:
        raise ValueError(f"unknown inquiry fields: {sorted(unknown)}")
    if "owner" in changes:
        # Who may hand an inquiry on: agency_crm.permissions (the form disables the field too).
        owner_id = Inquiry.objects.select_for_update().values_list("owner_id", flat=True).get(pk=inquiry.pk)
        if getattr(changes["owner"], "pk", None) != owner_id:
            permissions.require_owner_change(actor, owner_id)
    for field, value in changes.items():
        setattr(inquiry, field, value)
    if inquiry.contact is not None and inquiry.contact.client_id != inquiry.client_id:
        raise ValidationError(_("The contact must belong to the inquiry's client."))
    inquiry.full_clean()
    inquiry.save()
    return inquiry


@transaction.atomic
def inquiry_set_status(*, inquiry: Inquiry, status: str, actor, lost_reason: str = "") -> Inquiry:
    if status not in Inquiry.Status.values:
        raise ValidationError(_("Unknown status."))
    if status == Inquiry.Status.LOST and not lost_reason.strip():
        raise ValidationError(_("Say why the inquiry was lost."))
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.delivered_on and status != Inquiry.Status.WON:
        raise ValidationError(_("A delivered inquiry stays won."))
    old_status = inquiry.status
    if old_status == status and status != Inquiry.Status.LOST:
        return inquiry
    inquiry.status = status
    inquiry.lost_reason = lost_reason.strip() if status == Inquiry.Status.LOST else ""
    if old_status != status:
        inquiry.status_changed_at = timezone.now()
    if status == Inquiry.Status.WON and inquiry.won_at is None:
        inquiry.won_at = timezone.now()
    inquiry.save(update_fields=["status", "status_changed_at", "lost_reason", "won_at", "updated_at"])
    params = {
        "title": inquiry.title,
        "old": facts.term(Inquiry.Status(old_status).label),
        "new": facts.choice(inquiry, "status"),
    }
    timeline_record(
        client=inquiry.client,
        kind="inquiry.won" if status == Inquiry.Status.WON else "inquiry.status_changed",
        summary=gettext_noop("Inquiry “%(title)s”: %(old)s → %(new)s"),
        params=params,
        body=inquiry.lost_reason,
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "from": old_status, "to": status},
    )
    inquiry_emit_status_changed(inquiry, previous_status=old_status)
    if status == Inquiry.Status.WON:
        hooks.won(inquiry=inquiry, actor=actor)
    return inquiry


@transaction.atomic
def inquiry_discovery_save(*, inquiry: Inquiry, answers: dict[int, str], actor) -> int:
    """Store answers to the discovery checklist (question id -> text); returns how many changed."""
    questions = {q.pk: q for q in DiscoveryQuestion.objects.filter(pk__in=answers.keys())}
    existing = {a.question_id: a for a in DiscoveryAnswer.objects.filter(inquiry=inquiry, question__in=questions)}
    changed = 0
    for question_id, text in answers.items():
        if question_id not in questions:
            continue
        text = (text or "").strip()
        answer = existing.get(question_id)
        if answer is None:
            if text:
                DiscoveryAnswer.objects.create(inquiry=inquiry, question_id=question_id, answer=text)
                changed += 1
        elif answer.answer != text:
            answer.answer = text
            answer.save(update_fields=["answer", "updated_at"])
            changed += 1
    if changed and inquiry.status == Inquiry.Status.NEW:
        Inquiry.objects.filter(pk=inquiry.pk, status=Inquiry.Status.NEW).update(
            status=Inquiry.Status.DISCOVERY, status_changed_at=timezone.now(), updated_at=timezone.now()
        )
    return changed


@transaction.atomic
def inquiry_mark_delivered(*, inquiry: Inquiry, delivered_on: date, actor) -> Inquiry:
    """The won work shipped on `delivered_on`; post-sale check-ins (followups) start from it."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.status != Inquiry.Status.WON:
        raise ValidationError(_("Only a won inquiry can be delivered."))
    if inquiry.delivered_on == delivered_on:
        return inquiry
    inquiry.delivered_on = delivered_on
    inquiry.save(update_fields=["delivered_on", "updated_at"])
    timeline_record(
        client=inquiry.client,
        kind="inquiry.delivered",
        summary=gettext_noop("Delivered: %(title)s"),
        params={"title": inquiry.title},
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "delivered_on": delivered_on.isoformat()},
    )
    hooks.delivered(inquiry=inquiry, actor=actor)  # followups starts the check-ins now
    return inquiry
