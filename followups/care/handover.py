"""Handing an open check-in to a colleague from /checkins/: the one ownership rule of
agency_crm.permissions (managers any check-in, its owner their own). The new owner is told, and
the handover is on the client's timeline."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm import facts, permissions
from clients.timeline import timeline_record

from .models import Checkin, FeedbackRequest
from .notices import notify_people


def checkin_reassign(*, checkin: Checkin, to_user, actor) -> bool:
    """Give `checkin` to `to_user`; returns False when they already own it.

    PermissionDenied when `actor` may not change its owner; ValidationError for a closed
    check-in or an inactive colleague.
    """
    with transaction.atomic():
        checkin = Checkin.objects.select_for_update().select_related("client", "owner").get(pk=checkin.pk)
        old = checkin.owner
        permissions.require_owner_change(actor, old)
        if not to_user.is_active:
            raise ValidationError({"owner": _("Choose an active colleague.")})
        if not checkin.is_open:
            raise ValidationError(_("This check-in is already closed."))
        if old.pk == to_user.pk:
            return False
        checkin.owner = to_user
        checkin.save(update_fields=["owner"])
        due = facts.day(checkin.due_on)
        timeline_record(
            client=checkin.client,
            kind="checkin.reassigned",
            summary=gettext_noop("Check-in of %(date)s moved from %(old)s to %(new)s"),
            params={"date": due, "old": facts.person(old, "-"), "new": facts.person(to_user)},
            actor=actor,
            url=reverse("followups:checkins"),
            data={"checkin_id": checkin.pk, "from": old.pk, "to": to_user.pk},
        )
        if to_user.pk != getattr(actor, "pk", None):
            notify_people(
                recipients=[to_user],
                kind="checkin.assigned",
                title=gettext_noop("%(name)s handed you the check-in with %(client)s (due %(date)s)"),
                params={"name": facts.person(actor), "client": checkin.client.name, "date": due},
                url=reverse("followups:checkins"),
            )
    return True


def care_follows_merge(*, source, target, message_ids: list[int], whole: bool) -> None:
    """`hooks.on_moved`: on a merge, the check-ins and feedback requests that pointed at the
    source point at the target (a moved-out message leaves them where they were)."""
    if whole:
        Checkin.objects.filter(conversation=source).update(conversation=target)
        FeedbackRequest.objects.filter(conversation=source).update(conversation=target)
