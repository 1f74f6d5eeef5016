"""/inquiries/board/: columns in the agency's order, cards, next-step marks, sums, filters, queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from inquiries import hooks
from inquiries.board.models import PipelineStage
from inquiries.models import Inquiry
from tests.factories import UserFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 8, 3, 0, tzinfo=dt.UTC)  # 12:00 in Seoul


def _column(html: str, status: str) -> str:
    match = re.search(rf'data-testid="column-{status}".*?</section>', html, re.S)
    assert match, status
    return match.group(0)


def _cards(html: str, status: str) -> list[str]:
    return re.findall(r'<article class="board-card.*?</article>', _column(html, status), re.S)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_one_column_per_stage_in_the_agencys_order_with_its_names_in_each_language(owner_client, frozen):
    PipelineStage.objects.exclude(status="on_hold").update(position=F("position") + 1)
    PipelineStage.objects.filter(status="on_hold").update(position=0, name_en="Parked", name_ko="잠시 멈춤")
    html = owner_client.get("/inquiries/board/").content.decode()
    order = re.findall(r'<section class="board-column" data-stage="(\w+)"', html)
    assert order == ["on_hold", "new", "discovery", "scoped", "proposal_sent", "won", "lost"]
    assert "Parked" in _column(html, "on_hold")
    html = owner_client.get("/inquiries/board/", headers={"accept-language": "ko"}).content.decode()
    assert "잠시 멈춤" in _column(html, "on_hold")


def test_a_card_shows_client_title_owner_estimate_and_days_in_stage(owner_client, owner, frozen):
    inquiry = InquiryFactory(
        owner=owner, title="예약 앱", client__name="서울 치과의원", status_changed_at=NOW - dt.timedelta(days=4)
    )
    # Car: E = (10 + 80 + 30)/6 = 20 h, spread (30 - 10)/6 = 3.33 h: 13.33 .. 26.67 h x 120,000
    ScopeItemFactory(inquiry=inquiry, optimistic_hours=10, likely_hours=20, pessimistic_hours=30)
    ScopeItemFactory(inquiry=inquiry, priority="could", optimistic_hours=100, likely_hours=100, pessimistic_hours=100)
    [card] = _cards(owner_client.get("/inquiries/board/").content.decode(), "new")
    assert "서울 치과의원" in card and "예약 앱" in card and "Minji Park" in card
    assert "₩1,600,000 – ₩3,200,000" in card
    assert "(Car estimate)" in card
    assert "4 days in this stage" in card
    assert "Stale" in card  # New goes stale after 3 days


def test_the_estimate_is_the_accepted_total_else_the_budget_in_the_inquirys_currency(owner_client, owner, frozen):
    InquiryFactory(owner=owner, status="won", accepted_total=Decimal("8400000"))
    InquiryFactory(owner=owner, currency="USD", budget_min=Decimal("1000"), budget_max=Decimal("2500.5"))
    InquiryFactory(owner=owner, title="No figure")
    html = owner_client.get("/inquiries/board/").content.decode()
    assert "₩8,400,000 <span" in _cards(html, "won")[0]
    new = _cards(html, "new")
    assert any("USD 1,000.00 – USD 2,500.50" in card and "(their budget)" in card for card in new)
    assert not any('data-testid="card-estimate"' in card for card in new if "No figure" in card)


def test_each_column_counts_its_inquiries_and_sums_their_estimates_weighted_by_probability(owner_client, owner, frozen):
    PipelineStage.objects.filter(status="proposal_sent").update(win_probability=50)
    for total in ("1000000", "3000000"):
        inquiry = InquiryFactory(owner=owner, status="proposal_sent", accepted_total=Decimal(total))
    InquiryFactory(owner=owner, status="proposal_sent", currency="USD", budget_min=100, budget_max=300)
    InquiryFactory(owner=owner, status="proposal_sent")  # no figure: counted, not summed
    html = owner_client.get("/inquiries/board/").content.decode()
    column = _column(html, "proposal_sent")
    assert re.search(r'data-testid="column-count">4<', column)
    weighted = re.search(r'data-testid="column-weighted">(.*?)</div>\s*</header>', column, re.S).group(1)
    assert "₩2,000,000" in weighted  # (1,000,000 + 3,000,000) x 50%
    assert "USD 50.00 – USD 150.00" in weighted
    assert "weighted at 50%" in weighted
    assert inquiry.pk


def _provider(steps):
    def next_steps(inquiry_ids):
        # The shape a real provider has: one query for all ids.
        ids = set(Inquiry.objects.filter(pk__in=inquiry_ids).values_list("pk", flat=True))
        return {pk: step for pk, step in steps.items() if pk in ids}

    return next_steps


@pytest.fixture
def next_steps():
    """Registers a provider for the test and removes it after."""
    registered = []

    def register(steps):
        function = hooks.on_next_steps(_provider(steps))
        registered.append(function)

    yield register
    for function in registered:
        hooks._next_steps.remove(function)


def test_the_next_step_marks_overdue_today_later_and_none(owner_client, owner, next_steps, frozen):
    overdue, today, later, none = (InquiryFactory(owner=owner, title=t) for t in ("A", "B", "C", "D"))
    lost = InquiryFactory(owner=owner, status="lost", lost_reason="Price")
    next_steps(
        {
            overdue.pk: hooks.NextStep("Call back", NOW - dt.timedelta(hours=1), True),
            # A date-only task is due at the end of its day: due today.
            today.pk: hooks.NextStep("Send the quote", dt.datetime(2026, 12, 8, 14, 59, 59, tzinfo=dt.UTC), False),
            later.pk: hooks.NextStep("Demo", NOW + dt.timedelta(days=2), True),
        }
    )
    html = owner_client.get("/inquiries/board/").content.decode()
    marks = dict(re.findall(r'data-card="(\d+)".*?data-mark="(\w+)"', _column(html, "new"), re.S))
    assert marks == {str(overdue.pk): "overdue", str(today.pk): "today", str(later.pk): "later", str(none.pk): "none"}
    assert "Overdue: Call back" in html and "Today: Send the quote" in html and "No next step" in html
    assert "data-mark" not in _column(html, "lost")
    assert lost.pk


def test_filters_by_owner_source_and_stale_only(owner_client, owner, other_staff, frozen):
    mine = InquiryFactory(owner=owner, source="phone", title="Mine by phone")
    InquiryFactory(owner=other_staff, source="phone", title="Theirs by phone")
    InquiryFactory(owner=owner, source="email", title="Mine by email", status_changed_at=NOW - dt.timedelta(days=10))

    def titles(query):
        html = owner_client.get(f"/inquiries/board/?{query}").content.decode()
        return sorted(re.findall(r'class="fw-semibold d-block" href="[^"]+">([^<]+)<', html))

    assert titles(f"owner={owner.pk}") == ["Mine by email", "Mine by phone"]
    assert titles("source=phone") == ["Mine by phone", "Theirs by phone"]
    assert titles("stale=1") == ["Mine by email"]
    assert titles(f"owner={owner.pk}&source=phone") == ["Mine by phone"]
    # Values outside the allow-lists are ignored, not errors.
    assert len(titles("owner=999999&source=fax&stale=yes")) == 3
    assert mine.pk


def test_only_the_owner_and_managers_get_a_cards_move_menu(owner_client, owner, other_staff, frozen):
    InquiryFactory(owner=owner, title="Mine")
    InquiryFactory(owner=other_staff, title="Theirs")
    html = owner_client.get("/inquiries/board/").content.decode()
    cards = {
        re.search(r'fw-semibold d-block" href="[^"]+">([^<]+)<', card).group(1): card for card in _cards(html, "new")
    }
    assert 'draggable="true"' in cards["Mine"] and "data-move" in cards["Mine"]
    assert 'draggable="true"' not in cards["Theirs"] and "data-move" not in cards["Theirs"]


def test_a_column_shows_thirty_cards_and_links_to_the_rest(owner_client, owner, frozen):
    Inquiry.objects.bulk_create(
        InquiryFactory.build(owner=owner, client=InquiryFactory(owner=owner).client, contact=None) for _ in range(31)
    )
    html = owner_client.get("/inquiries/board/").content.decode()
    assert len(_cards(html, "new")) == 30
    assert "2 more in the inquiry list" in _column(html, "new")


def test_the_board_runs_a_constant_number_of_queries(owner_client, owner, next_steps, django_assert_num_queries):
    steps = {}
    next_steps(steps)

    def build(n):
        for _ in range(n):
            inquiry = InquiryFactory(owner=UserFactory(), status="scoped")
            ScopeItemFactory(inquiry=inquiry)
            steps[inquiry.pk] = hooks.NextStep("Call", timezone.now(), True)

    def load():
        # session, user, owners for the filter, stages, every column's count and sums, the shown
        # cards (ranked per column, with client and owner), their Musts' hours, active lost
        # reasons, the next-step provider's query, the tasks room's next open task of every
        # card (followups.todo, one DISTINCT ON query), and the navigation's role check (user
        # permissions, group permissions)
        with django_assert_num_queries(12):
            response = owner_client.get("/inquiries/board/")
        assert response.status_code == 200
        return response.content.decode()

    build(2)
    assert len(_cards(load(), "scoped")) == 2
    build(12)
    assert len(_cards(load(), "scoped")) == 14


def test_a_stage_missing_from_the_database_shows_with_its_default(owner_client, frozen):
    PipelineStage.objects.filter(status="won").delete()
    html = owner_client.get("/inquiries/board/").content.decode()
    assert "Won" in _column(html, "won")
    assert not PipelineStage.objects.filter(status="won").exists()  # a GET writes nothing


def test_the_column_sums_count_the_car_and_a_one_ended_budget_as_the_cards_do(owner_client, owner, frozen):
    """The column heads are summed by the database (sums.py), the cards in Python: they agree."""
    PipelineStage.objects.filter(status="scoped").update(win_probability=40)
    car = InquiryFactory(owner=owner, status="scoped", hourly_rate=Decimal("100000"))
    ScopeItemFactory(inquiry=car, optimistic_hours=10, likely_hours=20, pessimistic_hours=30)
    ScopeItemFactory(inquiry=car, priority="wont", optimistic_hours=50, likely_hours=50, pessimistic_hours=50)
    InquiryFactory(owner=owner, status="scoped", budget_max=Decimal("1000000"))
    html = owner_client.get("/inquiries/board/").content.decode()
    cards = _cards(html, "scoped")
    # 13.33..26.67 h x 100,000; the budget "up to 1,000,000" is both ends.
    assert any("₩1,333,333 – ₩2,666,667" in card for card in cards)
    assert any("₩1,000,000 <span" in card for card in cards)
    weighted = re.search(r'data-testid="column-weighted">(.*?)</header>', _column(html, "scoped"), re.S).group(1)
    # (1,333,333.3 + 1,000,000) x 40% .. (2,666,666.7 + 1,000,000) x 40%
    assert "₩933,333 – ₩1,466,667" in weighted
