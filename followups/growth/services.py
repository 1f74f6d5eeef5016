"""Growth items: recorded when an inquiry is delivered, then started as a new inquiry, snoozed to
the next check-in, or dropped. Each action is one transaction and happens once (a unique
constraint for recording, a conditional update or a row lock for the rest)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy

from agency_crm import facts
from clients.timeline import timeline_record
from inquiries.models import Inquiry, ScopeItem
from inquiries.services import inquiry_create, scope_item_add

from ..care.models import Checkin
from .models import GrowthItem
from .selectors import deferred_wants

RECORDED = facts.plural(
    ngettext_lazy(
        "%(count)d deferred want of “%(title)s” kept to ask about at the check-ins",
        "%(count)d deferred wants of “%(title)s” kept to ask about at the check-ins",
        "count",
    ),
    "count",
)


@transaction.atomic
def growth_items_record(*, inquiry: Inquiry, actor=None) -> int:
    """Turn the deferred wants of a delivered inquiry into growth items on its client; returns
    how many were new. Registered with `inquiries.hooks.on_delivered` (it runs inside the
    delivery's transaction); marking the inquiry delivered again adds nothing."""
    inquiry = Inquiry.objects.select_related("client").get(pk=inquiry.pk)
    if inquiry.delivered_on is None:
        return 0
    existing = set(GrowthItem.objects.filter(inquiry=inquiry).values_list("source_item_id", flat=True))
    new = [
        GrowthItem(
            client=inquiry.client,
            inquiry=inquiry,
            delivered_on=inquiry.delivered_on,
            source_item_id=want.source_item_id,
            title=want.title[:200],
            description=want.description,
            priority=want.priority,
            phase=want.phase,
            reason=want.reason,
            optimistic_hours=want.optimistic_hours,
            likely_hours=want.likely_hours,
            pessimistic_hours=want.pessimistic_hours,
            hourly_rate=want.hourly_rate,
            currency=want.currency,
            cost_expected=want.cost_expected,
        )
        for want in deferred_wants(inquiry=inquiry)
        if want.source_item_id not in existing
    ]
    if not new:
        return 0
    # The unique constraint keeps a replayed delivery (or a concurrent one) from adding twice.
    GrowthItem.objects.bulk_create(new, ignore_conflicts=True)
    message, extra = RECORDED
    timeline_record(
        client=inquiry.client,
        kind="growth.recorded",
        summary=message,
        params={"count": len(new), "title": inquiry.title, **extra},
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "count": len(new)},
    )
    return len(new)


def _claim(item: GrowthItem) -> GrowthItem:
    """The item's row, locked; a ValidationError when it is no longer open."""
    item = GrowthItem.objects.select_for_update(of=("self",)).select_related("client", "inquiry").get(pk=item.pk)
    if not item.is_open:
        raise ValidationError(_("This growth item has already been dealt with."))
    return item


@transaction.atomic
def growth_item_snooze(*, item: GrowthItem, checkin: Checkin, actor) -> GrowthItem:
    """Not now: hide the item until the client's next check-in (the first one due after this)."""
    if checkin.client_id != item.client_id:
        raise ValidationError(_("This check-in is not with the growth item's client."))
    item = _claim(item)
    item.resurface_on = checkin.due_on + dt.timedelta(days=1)
    item.snooze_count = F("snooze_count") + 1
    item.save(update_fields=["resurface_on", "snooze_count"])
    item.refresh_from_db()
    return item


@transaction.atomic
def growth_item_drop(*, item: GrowthItem, actor) -> GrowthItem:
    """The customer no longer wants it: it leaves the check-ins for good."""
    item = _claim(item)
    item.status = GrowthItem.Status.DROPPED
    item.closed_at = timezone.now()
    item.closed_by = actor
    item.save(update_fields=["status", "closed_at", "closed_by"])
    timeline_record(
        client=item.client,
        kind="growth.dropped",
        summary=gettext_noop("Deferred want dropped: %(title)s"),
        params={"title": item.title},
        actor=actor,
        data={"growth_item_id": item.pk},
    )
    return item


@transaction.atomic
def growth_item_start_inquiry(*, item: GrowthItem, actor, details: dict) -> Inquiry:
    """Start a new inquiry for the item's client from it: `details` (title, source, problem, goal)
    as the form had them, the old inquiry's contact, rate and currency, and the want itself as its
    first scope item with the old three-point estimate. The item links to the new inquiry."""
    item = _claim(item)
    client = item.client
    if client.is_archived or client.is_placeholder:
        raise ValidationError(_("This client is archived: restore it before starting an inquiry."))
    old = item.inquiry
    contact = old.contact if old.contact_id and old.contact.client_id == client.pk else None
    inquiry = inquiry_create(
        actor=actor,
        client=client,
        contact=contact,
        details={
            "title": details["title"],
            "source": details["source"],
            "problem": details["problem"],
            "goal": details.get("goal", ""),
            "owner": actor,
            "hourly_rate": old.hourly_rate,
            "currency": old.currency,
        },
    )
    scope_item_add(
        inquiry=inquiry,
        actor=actor,
        fields={
            "title": item.title,
            "description": item.description,
            "priority": ScopeItem.Priority.MUST,
            "phase": ScopeItem.Phase.FIRST,
            "optimistic_hours": item.optimistic_hours,
            "likely_hours": item.likely_hours,
            "pessimistic_hours": item.pessimistic_hours,
        },
    )
    item.status = GrowthItem.Status.STARTED
    item.started_inquiry = inquiry
    item.closed_at = timezone.now()
    item.closed_by = actor
    item.save(update_fields=["status", "started_inquiry", "closed_at", "closed_by"])
    timeline_record(
        client=client,
        kind="growth.started",
        summary=gettext_noop("New inquiry from a deferred want of “%(old)s”: %(title)s"),
        params={"old": old.title, "title": inquiry.title},
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"growth_item_id": item.pk, "inquiry_id": inquiry.pk, "from_inquiry_id": old.pk},
    )
    inquiry.refresh_from_db()  # adding the scope item moved it to Scoped
    return inquiry
