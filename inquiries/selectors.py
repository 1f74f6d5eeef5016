"""Reads for the inquiry pages; each page runs a constant number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, QuerySet

from . import estimates
from .models import DiscoveryAnswer, DiscoveryQuestion, Inquiry, Proposal, ScopeItem

# Allow-lists for the list page's query parameters.
LIST_SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "deadline": ("deadline", "id"),
    "client": ("client__name", "id"),
}


@dataclass(frozen=True)
class Comparison:
    car: estimates.Bundle
    flying_car: estimates.Bundle
    must_share: Decimal | None
    currency: str
    hourly_rate: Decimal
    capacity_per_week: Decimal

    @property
    def must_share_warning(self) -> bool:
        return estimates.must_share_exceeds_limit(self.must_share)

    @property
    def must_share_percent(self) -> Decimal | None:
        return None if self.must_share is None else estimates.round_hours(self.must_share * 100)


def scope_comparison(*, inquiry: Inquiry, items: list[ScopeItem]) -> Comparison:
    """Car = Musts; flying car = Musts + Shoulds + Coulds (Won'ts are out of both)."""
    rate = inquiry.effective_hourly_rate
    capacity = settings.TEAM_CAPACITY_HOURS_PER_WEEK
    needs = [item.estimate for item in items if item.is_need]
    everything = [item.estimate for item in items if item.is_need or item.is_want]
    car = estimates.bundle(needs, hourly_rate=rate, capacity_per_week=capacity)
    flying_car = estimates.bundle(everything, hourly_rate=rate, capacity_per_week=capacity)
    return Comparison(
        car=car,
        flying_car=flying_car,
        must_share=estimates.must_share(must_expected=car.expected, total_expected=flying_car.expected),
        currency=inquiry.effective_currency,
        hourly_rate=rate,
        capacity_per_week=capacity,
    )


def inquiry_list(*, status: str = "", owner_id: int | None = None, sort: str = "newest") -> QuerySet[Inquiry]:
    queryset = (
        Inquiry.objects.select_related("client", "owner", "contact")
        .annotate(item_count=Count("scope_items"))
        .order_by(*LIST_SORTS.get(sort, LIST_SORTS["newest"]))
    )
    if status:
        queryset = queryset.filter(status=status)
    if owner_id:
        queryset = queryset.filter(owner_id=owner_id)
    return queryset


def inquiry_owner_choices() -> QuerySet:
    """Staff who can own inquiries (the owner filter on the list page)."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def inquiry_status_counts() -> dict[str, int]:
    counts = dict.fromkeys(Inquiry.Status.values, 0)
    for row in Inquiry.objects.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def inquiry_detail_queryset() -> QuerySet[Inquiry]:
    return Inquiry.objects.select_related(
        "client", "contact", "owner", "referred_by", "referred_by_contact", "client__referred_by"
    ).prefetch_related(
        Prefetch("scope_items", queryset=ScopeItem.objects.order_by("position", "id")),
        Prefetch("proposals", queryset=Proposal.objects.select_related("sent_by").order_by("-number")),
        Prefetch("discovery_answers", queryset=DiscoveryAnswer.objects.all()),
    )


@dataclass(frozen=True)
class ChecklistRow:
    question: DiscoveryQuestion
    answer: str


def discovery_checklist(inquiry: Inquiry) -> list[ChecklistRow]:
    """Active questions with this inquiry's answers (uses the prefetched answers)."""
    answers = {a.question_id: a.answer for a in inquiry.discovery_answers.all()}
    return [ChecklistRow(q, answers.get(q.pk, "")) for q in DiscoveryQuestion.objects.filter(is_active=True)]


def proposal_for_key(key: str) -> Proposal | None:
    return Proposal.objects.select_related("inquiry", "inquiry__client").filter(key=key).first()
