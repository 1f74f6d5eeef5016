"""Scope items: add, edit, delete and reorder what the customer needs now and what they want."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from agency_crm import facts
from clients.timeline import timeline_record

from .. import estimates
from ..models import Inquiry, ScopeItem

SCOPE_ITEM_FIELDS = {
    "title",
    "description",
    "priority",
    "phase",
    "optimistic_hours",
    "likely_hours",
    "pessimistic_hours",
}


def _validate_item_fields(fields: dict) -> None:
    unknown = set(fields) - SCOPE_ITEM_FIELDS
    if unknown:
        raise ValueError(f"unknown scope item fields: {sorted(unknown)}")


def _check_estimate(item: ScopeItem) -> None:
    errors = estimates.estimate_errors(item.optimistic_hours, item.likely_hours, item.pessimistic_hours)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scope_item_add(*, inquiry: Inquiry, actor, fields: dict) -> ScopeItem:
    _validate_item_fields(fields)
    # Lock the inquiry so two items added at once get distinct positions.
    Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
    last = ScopeItem.objects.filter(inquiry=inquiry).aggregate(m=Max("position"))["m"]
    item = ScopeItem(inquiry=inquiry, position=0 if last is None else last + 1, **fields)
    _check_estimate(item)
    item.full_clean()
    item.save()
    timeline_record(
        client=inquiry.client,
        kind="scope_item.added",
        summary=gettext_noop("Scope item for “%(inquiry)s”: %(title)s (%(priority)s, %(hours)s h expected)"),
        params={
            "inquiry": inquiry.title,
            "title": item.title,
            "priority": facts.choice(item, "priority"),
            "hours": str(estimates.round_hours(item.estimate.expected)),
        },
        actor=actor,
        url=f"{inquiry.get_absolute_url()}#item-{item.pk}",
        data={"inquiry_id": inquiry.pk, "scope_item_id": item.pk},
    )
    # Conditional: the in-memory status may be stale, the row's is not.
    Inquiry.objects.filter(pk=inquiry.pk, status__in=[Inquiry.Status.NEW, Inquiry.Status.DISCOVERY]).update(
        status=Inquiry.Status.SCOPED, updated_at=timezone.now()
    )
    return item


@transaction.atomic
def scope_item_update(*, item: ScopeItem, actor, fields: dict) -> ScopeItem:
    _validate_item_fields(fields)
    for field, value in fields.items():
        setattr(item, field, value)
    _check_estimate(item)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def scope_item_delete(*, item: ScopeItem, actor) -> None:
    inquiry = item.inquiry
    timeline_record(
        client=inquiry.client,
        kind="scope_item.removed",
        summary=gettext_noop("Scope item removed from “%(inquiry)s”: %(title)s"),
        params={"inquiry": inquiry.title, "title": item.title},
        actor=actor,
        url=inquiry.get_absolute_url(),
        data={"inquiry_id": inquiry.pk, "scope_item_id": item.pk},
    )
    item.delete()


@transaction.atomic
def scope_item_move(*, item: ScopeItem, direction: str, actor) -> None:
    """Move an item one place up or down; positions are renumbered 0..n-1."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    items = list(ScopeItem.objects.select_for_update().filter(inquiry_id=item.inquiry_id).order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    changed = []
    for position, other in enumerate(items):
        if other.position != position:
            other.position = position
            changed.append(other)
    ScopeItem.objects.bulk_update(changed, ["position"])
