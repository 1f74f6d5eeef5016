"""/dashboard/ and its drill-down page: access, figures on the page, filters from allow-lists,
CSV export with formula escaping, escaping of names, and a constant number of queries."""

import csv
import io
import re

import pytest
import time_machine
from django.urls import reverse

from followups.conversations.hours import load_calendar
from followups.dashboard.views import csv_cell
from inquiries.models import Inquiry
from inquiries.services import proposal_accept, proposal_send, proposal_want_ids
from tests.factories import UserFactory
from tests.followups.dashboard_data import NOW, SCRIPTS, build_known_conversations
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db
URL = reverse("followups:dashboard")
DRILL = reverse("followups:dashboard_conversations")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def known(frozen, owner, other_staff):
    return build_known_conversations(minji=owner, junho=other_staff)


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_staff_get_403(other_client):
    assert other_client.get(URL).status_code == 403
    assert other_client.get(DRILL).status_code == 403
    assert other_client.get(URL, {"export": "owners"}).status_code == 403


def test_manager_sees_the_headline_figures(manager_client, known):
    response = manager_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    # First response median 7200 s and p90 32400 s; next reply 16200 s and 17640 s.
    assert "2:00:00 / 9:00:00" in body
    assert "4:30:00 / 4:54:00" in body
    assert "77.8%" in body  # 7 of 9 within target
    assert 'data-figure="waiting"' in body
    waiting = response.context["waiting"].total
    assert (waiting.total, waiting.overdue) == (5, 2)


def test_calendar_toggle_switches_every_figure(manager_client, known):
    body = manager_client.get(URL, {"basis": "calendar"}).content.decode()
    # First response median 18000 s (5 h) and p90 159120 s (44:12:00).
    assert "5:00:00 / 44:12:00" in body


def test_every_breakdown_row_links_to_the_conversations_behind_it(manager_client, known, owner):
    tables = manager_client.get(URL).context["tables"]
    minji_row = next(row for row in tables["owners"].rows if row.label == "Minji Park")
    response = manager_client.get(minji_row.link)
    subjects = {c.subject for c in response.context["page"].object_list}
    assert subjects == {"Subject c1", "Subject c2", "Subject c3", "Subject c4"}

    week_row = next(row for row in tables["weeks"].rows if row.label == "2026-03-16")
    subjects = {c.subject for c in manager_client.get(week_row.link).context["page"].object_list}
    assert subjects == {"Subject c3", "Subject c4", "Subject c7"}

    channel_row = next(row for row in tables["channels"].rows if row.label == "KakaoTalk")
    subjects = {c.subject for c in manager_client.get(channel_row.link).context["page"].object_list}
    assert subjects == {"Subject c5", "Subject c6", "Subject c7"}

    waiting_row = next(row for row in tables["waiting"].rows if row.label == "Minji Park")
    subjects = {c.subject for c in manager_client.get(waiting_row.link).context["page"].object_list}
    assert subjects == {"Subject c8", "Subject c10", "Subject c12"}


def test_drill_down_by_bucket_and_overdue(manager_client, known):
    def subjects(**params):
        response = manager_client.get(DRILL, {"waiting": 1, **params})
        return {c.subject for c in response.context["page"].object_list}

    assert subjects(bucket="4_8h") == {"Subject c11"}
    assert subjects(bucket="over_3d") == {"Subject c10"}
    assert subjects(overdue=1) == {"Subject c9", "Subject c10"}
    assert manager_client.get(DRILL, {"waiting": 1, "bucket": "nonsense"}).status_code == 404


def test_filters_come_from_allow_lists(manager_client, known, owner):
    response = manager_client.get(URL, {"period": "9999w", "basis": "dollars", "channel": "fax", "tier": "gold"})
    assert response.status_code == 200
    filters = response.context["filters"]
    assert (filters.period, filters.basis, filters.channel, filters.tier) == ("4w", "business", "", "")
    assert manager_client.get(URL, {"owner": "999999"}).status_code == 404
    assert manager_client.get(URL, {"export": "passwords"}).status_code == 404
    narrowed = manager_client.get(URL, {"owner": owner.pk}).context["total"]
    assert narrowed.count == 5


def test_csv_export_of_a_table(manager_client, known):
    rows = csv_rows(manager_client.get(URL, {"export": "owners"}))
    assert rows[0][0] == "Owner"
    assert rows[0][2] == "First response median (seconds)"
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["Minji Park"][1:4] == ["4", "8100", "40500"]
    assert by_name["Junho Lee"][1:4] == ["3", "3600", "15120"]
    assert by_name["Total"][1:5] == ["7", "7200", "32400", "0.7143"]

    weeks = csv_rows(manager_client.get(URL, {"export": "weeks"}))
    assert [row[0] for row in weeks[1:]] == ["2026-02-23", "2026-03-02", "2026-03-09", "2026-03-16", "Total"]
    waiting = csv_rows(manager_client.get(URL, {"export": "waiting"}))
    assert waiting[-1] == ["Total", "1", "1", "1", "1", "1", "2", "5"]


def test_csv_cells_that_look_like_formulas_are_neutralised(manager_client, frozen):
    sneaky = UserFactory(username="sneaky", first_name='=HYPERLINK("http://evil")', last_name="")
    build_known_conversations(minji=sneaky, junho=UserFactory(username="plain", first_name="+1", last_name=""))
    rows = csv_rows(manager_client.get(URL, {"export": "owners"}))
    labels = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in labels
    assert "'+1" in labels
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_cell(prefix + "x") == "'" + prefix + "x"
    assert csv_cell("plain") == "plain"
    assert csv_cell(None) == ""
    assert csv_cell(0.5) == "0.5"


def test_names_are_shown_as_text(manager_client, frozen):
    build_known_conversations(
        minji=UserFactory(username="x1", first_name="<script>alert(1)</script>", last_name=""),
        junho=UserFactory(username="x2"),
    )
    body = manager_client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def _won_inquiry(*, owner, wants_taken: bool):
    inquiry = InquiryFactory(owner=owner)
    ScopeItemFactory(inquiry=inquiry, priority="must")
    ScopeItemFactory(inquiry=inquiry, priority="should")
    proposal = proposal_send(inquiry=inquiry, actor=owner)
    want_ids = proposal_want_ids(proposal.snapshot) if wants_taken else []
    proposal_accept(proposal=proposal, accepted_by_name="Client", want_ids=want_ids)


def test_inquiry_funnel_counts_statuses_won_rate_and_the_car_share(manager_client, frozen, owner):
    _won_inquiry(owner=owner, wants_taken=False)
    _won_inquiry(owner=owner, wants_taken=False)
    _won_inquiry(owner=owner, wants_taken=True)
    InquiryFactory(owner=owner, status=Inquiry.Status.LOST, lost_reason="Budget")
    InquiryFactory(owner=owner, status=Inquiry.Status.NEW)
    funnel = manager_client.get(URL).context["funnel"]
    counts = {status: count for status, _label, count in funnel.by_status}
    assert counts["won"] == 3 and counts["lost"] == 1 and counts["new"] == 1 and counts["scoped"] == 0
    assert funnel.won_rate == pytest.approx(3 / 4)
    assert (funnel.accepted, funnel.accepted_car_only, funnel.accepted_with_wants) == (3, 2, 1)
    assert funnel.car_only_share == pytest.approx(2 / 3)
    rows = csv_rows(manager_client.get(URL, {"export": "funnel"}))
    assert ["Accepted proposals that took the Car (Musts only)", "0.6667"] in rows


def test_charts_are_server_rendered_svg_with_their_numbers_in_tables(manager_client, known):
    body = manager_client.get(URL).content.decode()
    assert body.count("<svg") == 2
    # Each chart names the table that holds its numbers, for screen readers.
    assert 'aria-describedby="weeks-table"' in body and 'id="weeks-table"' in body
    assert 'aria-describedby="waiting-table"' in body and 'id="waiting-table"' in body
    assert 'id="week-chart-title"' in body
    # One bar per week and series: four weeks, first response and next reply medians.
    assert len(response_context_bars(body, "week-chart")) == 8
    assert 'data-table="weeks"' in body and 'data-table="waiting"' in body
    # Nothing is loaded from another site (no CDN). Not `"cdn" not in body`: a random CSRF token
    # contains those three letters now and then.
    assert not re.search(r'(src|href)="(https?:)?//', body)


def response_context_bars(body: str, chart_id: str) -> list[str]:
    svg = body.split(f'id="{chart_id}"', 1)[1].split("</svg>", 1)[0]
    return svg.split("<rect")[1:]


def _dashboard_queries(django_assert_num_queries, client, params=None, extra=0):
    # 1 session, 2 user, 3-4 the user's own and group permissions (has_perm), 5 every user
    # (owner filter and names), 6 business calendar, 7 closure days, 8 response figures (one
    # GROUPING SETS query), 9 waiting now by owner, 10 inquiries by status, 11 accepted
    # proposals, 12 happiness (selectors_care), 13 check-ins by due day and status, 14-16 the
    # referral share, the top referrers and their accepted totals (inquiries.referrals).
    # (+ `extra`: a long period first looks for the beat task's snapshot, see test_dashboard_snapshots)
    with django_assert_num_queries(16 + extra):
        response = client.get(URL, params or {})
    assert response.status_code == 200


def test_the_dashboard_takes_a_constant_number_of_queries(manager_client, django_assert_num_queries, frozen):
    load_calendar()  # the singleton row exists in a running agency
    _dashboard_queries(django_assert_num_queries, manager_client)
    build_known_conversations(minji=UserFactory(username="a"), junho=UserFactory(username="b"))
    _dashboard_queries(django_assert_num_queries, manager_client)
    build_known_conversations(minji=UserFactory(username="c"), junho=UserFactory(username="d"))
    _dashboard_queries(django_assert_num_queries, manager_client, {"basis": "calendar", "period": "52w"}, extra=1)


def test_the_drill_down_takes_a_constant_number_of_queries(manager_client, django_assert_num_queries, frozen):
    build_known_conversations(minji=UserFactory(username="a"), junho=UserFactory(username="b"))
    # 1 session, 2 user, 3-4 permissions, 5 every user, 6 business calendar, 7 closure days,
    # 8 the paginator's count, 9 the page of conversations with client, contact and owner.
    with django_assert_num_queries(9):
        response = manager_client.get(DRILL, {"period": "12w"})
    assert len(response.context["page"].object_list) == len([s for s in SCRIPTS if len(s[4]) > 1])


def test_a_year_of_weeks_labels_only_as_many_bars_as_fit():
    from followups.dashboard.charts import CHART_LABEL_WIDTH, bar_chart

    four = bar_chart([(f"w{n}", [1.0, 2.0]) for n in range(4)], ["a", "b"])
    assert [label["text"] for label in four["labels"]] == ["w0", "w1", "w2", "w3"]
    year = bar_chart([(f"w{n}", [1.0, None]) for n in range(52)], ["a", "b"])
    assert len(year["bars"]) == 104  # every week keeps its bars (and their tooltips)
    xs = [label["x"] for label in year["labels"]]
    assert year["labels"][0]["text"] == "w0" and len(xs) < 52
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= CHART_LABEL_WIDTH
