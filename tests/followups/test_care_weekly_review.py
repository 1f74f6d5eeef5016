"""The weekly review: repeated topics and feedback themes with a frozen clock and known data,
slow and breached answers, happiness and its change, and the Monday email sent once."""

import datetime as dt

import pytest
import time_machine

from agency_crm.outbox import OutboundEmail
from followups.answers.services import saved_reply_create
from followups.care.selectors import happiness
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.dashboard.weekly_review import weekly_review, weekly_review_send
from followups.knowledge.services import article_create
from followups.models import ClosureDay, FeedbackRequest, WeeklyReview
from tests.factories import ManagerFactory
from tests.followups.care_factories import (  # noqa: F401
    ClientFactory,
    ContactFactory,
    FeedbackRequestFactory,
    default_checkin_plans,
    seoul,
)

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)  # Monday


def conversation_with_message(owner, subject, tags, when, reply_after=None):
    contact = ContactFactory(client=ClientFactory(account_owner=owner))
    conversation = conversation_start(
        client=contact.client, contact=contact, subject=subject, channel="email", actor=owner, tags=tags
    )
    message_receive(conversation=conversation, body="Help", channel="email", occurred_at=when)
    if reply_after is not None:
        conversation_reply(
            conversation=conversation, author=owner, body="Done", channel="phone", occurred_at=when + reply_after
        )
    return conversation


def rate(conversation, rating, when, comment=""):
    # Check-in sourced, so one conversation may carry several ratings.
    return FeedbackRequestFactory(
        source=FeedbackRequest.Source.CHECKIN,
        client=conversation.client,
        contact=conversation.contact,
        conversation=conversation,
        rating=rating,
        comment=comment,
        rated_at=when,
    )


@pytest.fixture
def known_week(owner):
    with time_machine.travel(seoul(2026, 11, 23, 10), tick=False):
        logins = [
            conversation_with_message(owner, f"Login fails {n}", ["login bug"], seoul(2026, 11, 17 + n, 10))
            for n in range(3)
        ]
        # Answered after two business days: slow, and past the 8-hour target.
        invoice = conversation_with_message(
            owner, "Invoice copy", ["invoice"], seoul(2026, 11, 17, 10), reply_after=dt.timedelta(days=2)
        )
        # The week before: neither topic counts it.
        old = conversation_with_message(owner, "Old login", ["login bug", "invoice"], seoul(2026, 11, 12, 10))
        rate(logins[0], "not_good", seoul(2026, 11, 18, 15), comment="Still broken")
        rate(logins[1], "okay", seoul(2026, 11, 19, 15))
        rate(invoice, "great", seoul(2026, 11, 20, 15))
        rate(old, "great", seoul(2026, 11, 12, 15))
        rate(old, "great", seoul(2026, 11, 13, 15))
    return {"logins": logins, "invoice": invoice, "old": old}


def test_only_topics_and_themes_that_occurred_more_than_once_are_listed(known_week):
    review = weekly_review(week_start=WEEK)
    assert [(t["name"], len(t["conversations"])) for t in review["topics"]] == [("login bug", 3)]
    assert {c.subject for c in review["topics"][0]["conversations"]} == {
        "Login fails 0",
        "Login fails 1",
        "Login fails 2",
    }
    assert [(t["name"], [f.rating for f in t["feedback"]]) for t in review["themes"]] == [
        ("login bug", ["not_good", "okay"])
    ]


def test_repeated_topics_and_questions_without_a_saved_reply_or_article_are_listed(known_week, owner):
    with time_machine.travel(seoul(2026, 11, 23, 10), tick=False):
        for when in (seoul(2026, 11, 18, 11), seoul(2026, 11, 19, 11)):
            conversation_with_message(owner, "배송 언제 되나요?", [], when)
        conversation_with_message(owner, "Re: 배송 언제 되나요?", [], seoul(2026, 11, 20, 11))
    review = weekly_review(week_start=WEEK)
    assert [(row["kind"], row["name"], len(row["conversations"])) for row in review["unanswered"]] == [
        ("topic", "login bug", 3),
        ("question", "배송 언제 되나요?", 3),
    ]
    # A shared saved reply tagged with the topic answers it; an article titled with the question
    # answers that; a personal saved reply answers nothing for the agency.
    saved_reply_create(actor=owner, values={"title": "Login help", "body_en": "...", "tags": "Login bug"})
    saved_reply_create(actor=owner, values={"title": "배송 언제 되나요?", "body_ko": "...", "shared": False})
    assert [row["name"] for row in weekly_review(week_start=WEEK)["unanswered"]] == ["배송 언제 되나요?"]
    article_create(actor=owner, values={"title": "배송 언제 되나요? (FAQ)", "body": "2영업일"})
    assert weekly_review(week_start=WEEK)["unanswered"] == []


def test_the_review_page_links_an_unanswered_topic_to_writing_one(known_week, manager_client):
    with time_machine.travel(seoul(2026, 11, 23, 10), tick=False):
        page = manager_client.get("/review/weekly/").content.decode()
    assert '<a href="/replies/new/?title=login%20bug">' in page
    assert '<a href="/knowledge/new/?title=login%20bug">' in page
    assert manager_client.get("/replies/new/?title=login%20bug").context["form"].initial["title"] == "login bug"


def test_the_review_lists_slow_and_breached_answers_and_at_risk_clients(known_week):
    review = weekly_review(week_start=WEEK)
    assert [w.conversation.subject for w in review["slowest"]] == ["Invoice copy"]
    assert review["slowest"][0].business_hours == 18.0
    breached = {w.conversation.subject for w in review["breached"]}
    # Login fails 0..2 are still unanswered past their due time; the invoice was answered late.
    assert breached == {"Invoice copy", "Login fails 0", "Login fails 1", "Login fails 2"}
    assert [row["client"] for row in review["at_risk"]] == [known_week["logins"][0].client]


def test_happiness_figures_and_their_change_from_the_previous_week(known_week):
    review = weekly_review(week_start=WEEK)
    assert review["happiness"] == {"great": 1, "okay": 1, "not_good": 1, "total": 3, "score": 0.0, "ratio": 1.0}
    assert review["previous_happiness"]["great"] == 2 and review["previous_happiness"]["score"] == 100.0
    assert review["happiness_change"] == -100.0


def test_happiness_can_be_filtered_by_owner_channel_and_tier(known_week, other_staff):
    start, end = WEEK, WEEK + dt.timedelta(days=7)
    assert happiness(start=start, end=end, owner=other_staff)["total"] == 0
    assert happiness(start=start, end=end, channel="email")["total"] == 3
    assert happiness(start=start, end=end, channel="phone")["total"] == 0
    assert happiness(start=start, end=end, tier="standard")["total"] == 3
    assert happiness(start=start, end=end, tier="maintenance")["total"] == 0
    empty = happiness(start=WEEK - dt.timedelta(days=70), end=WEEK - dt.timedelta(days=63))
    assert empty["score"] is None and empty["ratio"] is None


QUERIES = 19


def test_the_page_shows_the_week_in_a_constant_number_of_queries(known_week, manager_client, django_assert_num_queries):
    with time_machine.travel(seoul(2026, 11, 23, 10), tick=False):
        manager_client.get("/review/weekly/")  # warm-up: the business calendar row is created once
        # session, user, user permissions, group permissions, business calendar, closure days,
        # conversations of the week + their topics, the shared saved replies and articles that may
        # answer its repeated topics (login bug), ratings + their conversations' topics,
        # slowest answers, the week's response figures (the dashboard's query), breached waits,
        # overdue check-ins, at-risk check-ins, happiness x2.
        with django_assert_num_queries(QUERIES):
            response = manager_client.get("/review/weekly/")
        more = known_week["logins"][0]
        for n in range(3):
            rate(more, "great", seoul(2026, 11, 20, 16, n))
        with django_assert_num_queries(QUERIES):
            manager_client.get("/review/weekly/")
    page = response.content.decode()
    assert "login bug" in page and "Login fails 2" in page and "Still broken" in page


def test_past_weeks_stay_viewable_and_bad_dates_are_404(known_week, manager_client):
    with time_machine.travel(seoul(2026, 12, 3, 10), tick=False):
        response = manager_client.get("/review/weekly/2026-11-18/")  # any day of the week
        assert response.status_code == 200 and response.context["review"]["week_start"] == WEEK
        assert "login bug" in response.content.decode()
        assert manager_client.get("/review/weekly/2026-13-01/").status_code == 404
        assert manager_client.get("/review/weekly/2027-01-04/").status_code == 404  # the future


def test_the_monday_email_goes_to_every_manager_once_at_opening(known_week, manager):
    ManagerFactory(username="boss2")
    with time_machine.travel(seoul(2026, 11, 23, 8, 59), tick=False):
        assert weekly_review_send() is None
    with time_machine.travel(seoul(2026, 11, 23, 9, 0), tick=False):
        review = weekly_review_send()
        assert weekly_review_send() is None
    assert review.week_start == WEEK and review.emailed_at is not None
    emails = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.WEEKLY_REVIEW)
    assert sorted(e.to[0] for e in emails) == ["boss2@agency.example", "boss@agency.example"]
    body = emails[0].text_body
    assert "login bug (3)" in body and "/review/weekly/2026-11-16/" in body
    assert WeeklyReview.objects.count() == 1


def test_when_monday_is_a_closure_day_the_review_waits_for_tuesdays_opening(manager):
    ClosureDay.objects.create(date=dt.date(2026, 11, 23), reason="Workshop")
    with time_machine.travel(seoul(2026, 11, 23, 11), tick=False):
        assert weekly_review_send() is None
    with time_machine.travel(seoul(2026, 11, 24, 9, 5), tick=False):
        assert weekly_review_send().week_start == WEEK
    assert FeedbackRequest.objects.count() == 0


# --- breaches are real ones, and agree with the dashboard (issue 14.3) ----------------------------
def test_waits_due_later_today_are_not_breaches_yet(owner, manager_client):
    # Viewed on Thursday 19 Nov 2026 at 00:40; the target is 8 business hours (09:00-18:00).
    with time_machine.travel(seoul(2026, 11, 18, 23), tick=False):
        conversation_with_message(owner, "Due Wed 17:00", [], seoul(2026, 11, 18, 9))
        conversation_with_message(owner, "Due Thu 13:00", [], seoul(2026, 11, 18, 14))
        conversation_with_message(owner, "Due Thu 16:30", [], seoul(2026, 11, 18, 17, 30))
        conversation_with_message(owner, "Due Thu 17:00", [], seoul(2026, 11, 18, 20))
    with time_machine.travel(seoul(2026, 11, 19, 0, 40), tick=False):
        review = weekly_review(week_start=WEEK)
        page = manager_client.get(f"/review/weekly/{WEEK.isoformat()}/").content.decode()
    assert {w.conversation.subject for w in review["breached"]} == {"Due Wed 17:00"}
    breached_section = page.split('data-testid="breached"')[1].split("</section>")[0]
    assert "Due Wed 17:00" in breached_section and "Due Thu" not in breached_section


def test_the_review_counts_late_answers_exactly_as_the_dashboard_does(known_week):
    from followups.dashboard import selectors as dashboard

    with time_machine.travel(seoul(2026, 12, 2, 10), tick=False):
        review = weekly_review(week_start=WEEK)
    start, end = seoul(2026, 11, 16, 0), seoul(2026, 11, 23, 0)
    figures = dashboard.response_breakdown(filters=dashboard.DashboardFilters(), start=start, end=end).total
    answered_late = [w for w in review["breached"] if w.closed_at is not None]
    assert review["responses"].count == figures.count == 1
    assert len(answered_late) == figures.count - figures.met == 1


def test_an_answer_outside_business_hours_shows_zero_business_hours_not_none(owner, manager_client):
    with time_machine.travel(seoul(2026, 11, 21, 12), tick=False):  # Saturday
        conversation_with_message(
            owner, "Weekend question", [], seoul(2026, 11, 21, 10), reply_after=dt.timedelta(hours=1)
        )
    with time_machine.travel(seoul(2026, 11, 23, 10), tick=False):
        review = weekly_review(week_start=WEEK)
        page = manager_client.get(f"/review/weekly/{WEEK.isoformat()}/").content.decode()
    assert [w.business_hours for w in review["slowest"]] == [0.0]
    assert "None business hours" not in page and "0.0 business hours" in page
