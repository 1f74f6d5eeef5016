"""/dashboard/pipeline/: won and lost by reason, stage conversion by month, in constant queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from inquiries.board.models import LostReason
from inquiries.board.services import inquiry_move
from inquiries.models import Inquiry, Proposal
from tests.inquiries.board.factories import LostReasonFactory
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 8, 3, 0, tzinfo=dt.UTC)


def _rows(html: str, table: str) -> dict[str, list[str]]:
    body = re.search(rf'data-table="{table}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr.*?</tr>", body, re.S):
        label = re.sub(r"<[^>]+>", "", re.search(r"<th.*?</th>", row, re.S).group(0)).strip()
        rows[label] = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)]
    return rows


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_only_managers_see_it(owner_client):
    assert owner_client.get("/dashboard/pipeline/").status_code == 403


def test_won_and_lost_by_reason(manager_client, manager):
    # A hand-made list of reasons: the ones the migration seeds (present unless a transactional
    # test flushed them) would add rows of their own.
    LostReason.objects.all().delete()
    price, timing = LostReasonFactory(name_en="Price"), LostReasonFactory(name_en="Timing")
    LostReasonFactory(name_en="Retired", is_active=False)
    with time_machine.travel(NOW - dt.timedelta(days=30), tick=False):
        for _ in range(2):
            inquiry_move(inquiry=InquiryFactory(owner=manager), status="won", actor=manager)
        for reason in (price, price, timing):
            inquiry_move(inquiry=InquiryFactory(owner=manager), status="lost", actor=manager, lost_reason=reason)
        # Lost before the list: only its typed reason.
        InquiryFactory(owner=manager, status="lost", lost_reason="Too far away")
    with time_machine.travel(NOW - dt.timedelta(days=400), tick=False):
        inquiry_move(inquiry=InquiryFactory(owner=manager), status="won", actor=manager)  # before the period
    with time_machine.travel(NOW, tick=False):
        html = manager_client.get("/dashboard/pipeline/").content.decode()
    assert _rows(html, "outcomes") == {
        "Won": ["2", "33.3%"],
        "Lost: Price": ["2", "33.3%"],
        "Lost: Timing": ["1", "16.7%"],
        "Lost: no reason from the list": ["1", "16.7%"],
    }


def test_stage_conversion_by_month_counts_what_each_months_inquiries_reached(manager_client, manager):
    with time_machine.travel(dt.datetime(2026, 11, 10, 1, tzinfo=dt.UTC), tick=False):
        reached = InquiryFactory(owner=manager)
        ScopeItemFactory(inquiry=reached)
        Proposal.objects.create(
            inquiry=reached,
            number=1,
            key="k",
            link_token="t",
            snapshot={},
            sent_at=NOW,
            sent_by=manager,
            expires_at=NOW,
        )
        Inquiry.objects.filter(pk=reached.pk).update(status="won", accepted_total=Decimal(1))
        InquiryFactory(owner=manager, status="lost", lost_reason="Price")
        scoped = InquiryFactory(owner=manager)
        ScopeItemFactory(inquiry=scoped)
        InquiryFactory(owner=manager)
    # 00:30 on 1 December in Seoul is still November in UTC: it belongs to December.
    with time_machine.travel(dt.datetime(2026, 11, 30, 15, 30, tzinfo=dt.UTC), tick=False):
        InquiryFactory(owner=manager)
    with time_machine.travel(NOW, tick=False):
        html = manager_client.get("/dashboard/pipeline/").content.decode()
    rows = _rows(html, "conversion")
    assert len(rows) == 12
    assert rows["November 2026"] == ["4", "50.0%", "50.0%", "25.0%", "25.0%", "25.0%", "100.0%"]
    assert rows["December 2026"][0] == "1"
    assert rows["January 2026"] == ["0", "no data", "no data", "no data", "no data", "no data", "no data"]


def test_the_page_runs_a_constant_number_of_queries(manager_client, manager, django_assert_num_queries):
    def build(n):
        for _ in range(n):
            inquiry_move(
                inquiry=InquiryFactory(owner=manager), status="lost", actor=manager, lost_reason=LostReasonFactory()
            )
            inquiry_move(inquiry=InquiryFactory(owner=manager), status="won", actor=manager)

    def load():
        # session, user, the manager check (user permissions, group permissions), the outcome
        # counts, the lost reasons' names, the monthly cohorts
        with django_assert_num_queries(7):
            assert manager_client.get("/dashboard/pipeline/").status_code == 200

    build(1)
    load()
    build(5)
    load()
