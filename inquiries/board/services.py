"""Moving an inquiry on the board, and the managers' edits of stages and lost reasons."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm import permissions
from inquiries.models import Inquiry, ScopeItem
from inquiries.services import inquiry_set_status

from .models import Loss, LostReason

Status = Inquiry.Status


def may_move(user, inquiry: Inquiry) -> bool:
    """The board puts every colleague's inquiries one drag away, so only the inquiry's owner and
    managers move it: the rule of who may hand a piece of work on (agency_crm.permissions)."""
    return permissions.may_change_owner(user, inquiry.owner_id)


def movable_ids(user, inquiries) -> set[int]:
    """The ids of `inquiries` (anything with `id` and `owner_id`) that `user` may move: asked once
    for a manager, who may move them all."""
    if permissions.may_change_owner(user, None):
        return {inquiry.id for inquiry in inquiries}
    return {inquiry.id for inquiry in inquiries if permissions.may_change_owner(user, inquiry.owner_id)}


def _refusal(inquiry: Inquiry, status: str) -> str | None:
    """Why `inquiry` may not enter `status` now (None when it may). The status service adds its own
    rules (a delivered inquiry stays won; lost needs a reason)."""
    if (
        inquiry.status == Status.WON
        and status != Status.WON
        and inquiry.proposals.filter(accepted_at__isnull=False).exists()
    ):
        return _("The customer accepted a proposal for this inquiry, so it stays won.")
    if status == Status.SCOPED and not inquiry.scope_items.filter(priority=ScopeItem.Priority.MUST).exists():
        return _("Scoped needs at least one Must item: add the scope on the inquiry's page first.")
    if status == Status.PROPOSAL_SENT and not inquiry.proposals.exists():
        return _("Proposal sent needs a sent proposal: send one from the inquiry's page first.")
    return None


@transaction.atomic
def inquiry_move(
    *, inquiry: Inquiry, status: str, actor, lost_reason: LostReason | None = None, lost_note: str = ""
) -> Inquiry:
    """Move `inquiry` to the stage of `status` (through inquiry_set_status, which writes the client
    timeline). Lost needs an active reason from the managers' list; the note is optional."""
    if status not in Status.values:
        raise ValidationError(_("Unknown stage."))
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if not may_move(actor, inquiry):
        raise PermissionDenied
    if inquiry.status == status and status != Status.LOST:
        return inquiry
    refusal = _refusal(inquiry, status)
    if refusal:
        raise ValidationError(refusal)
    lost_note = (lost_note or "").strip()
    reason_text = ""
    if status == Status.LOST:
        if lost_reason is None or not LostReason.objects.filter(pk=lost_reason.pk, is_active=True).exists():
            raise ValidationError(_("Choose why the inquiry was lost."))
        # The inquiry's own reason text (the inquiry page, the timeline) in the agency's language.
        name = lost_reason.name_in(settings.LANGUAGE_CODE)
        reason_text = f"{name}: {lost_note}" if lost_note else name
    inquiry = inquiry_set_status(inquiry=inquiry, status=status, actor=actor, lost_reason=reason_text)
    if status == Status.LOST:
        Loss.objects.update_or_create(
            inquiry=inquiry,
            defaults={"reason": lost_reason, "note": lost_note, "recorded_at": timezone.now(), "recorded_by": actor},
        )
    else:
        Loss.objects.filter(inquiry=inquiry).delete()
    return inquiry


@transaction.atomic
def pipeline_settings_save(*, stage_forms: list, reason_formset) -> None:
    """Save the managers' stages (one per status: a missing row is created) and lost reasons,
    all or nothing. The forms are valid (the view checked)."""
    for form in stage_forms:
        form.save()
    reason_formset.save()
