"""The customer's feedback page: GET shows, only POST records, once (changeable for a short
while); tampered, expired and unknown links change nothing; "Not good" reaches every manager."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import signing
from django.test import Client as BrowserClient

from clients.models import Contact, TimelineEvent
from followups.care.links import FEEDBACK_SALT, feedback_url, unsubscribe_url
from followups.conversations.services import conversation_start
from followups.models import FeedbackRequest, Notification
from tests.factories import ManagerFactory
from tests.followups.care_factories import FeedbackRequestFactory, default_checkin_plans, seoul  # noqa: F401

pytestmark = pytest.mark.django_db
NOW = seoul(2026, 11, 23, 10)


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def feedback(owner):
    request = FeedbackRequestFactory(client__account_owner=owner, client__name="Blue Harbor", contact__name="Emma")
    request.conversation = conversation_start(
        client=request.client, contact=request.contact, subject="Loyalty points", channel="email", actor=owner
    )
    request.save()
    return request


@pytest.fixture
def link(feedback):
    with time_machine.travel(NOW, tick=False):
        return path_of(feedback_url(feedback))


def test_opening_the_link_shows_the_choice_and_records_nothing(client, feedback, link):
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        for _ in range(2):  # a mail scanner, then the customer
            response = client.get(link)
            assert response.status_code == 200
    page = response.content.decode()
    assert 'name="rating"' in page and 'value="not_good"' in page and "Loyalty points" in page
    assert response["Referrer-Policy"] == "same-origin"
    feedback.refresh_from_db()
    assert feedback.rating == "" and feedback.rated_at is None


def test_a_post_records_the_rating_once_and_a_second_one_changes_it_within_the_window(client, feedback, link):
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        response = client.post(link, {"rating": "okay", "comment": "Fine"})
    assert response.status_code == 200 and b'data-testid="feedback-thanks"' in response.content
    feedback.refresh_from_db()
    assert feedback.rating == "okay" and feedback.rated_at == NOW + dt.timedelta(minutes=1)
    with time_machine.travel(NOW + dt.timedelta(minutes=20), tick=False):
        assert client.post(link, {"rating": "great", "comment": "Actually great"}).status_code == 200
    feedback.refresh_from_db()
    assert feedback.rating == "great" and feedback.comment == "Actually great"
    assert feedback.rated_at == NOW + dt.timedelta(minutes=1)  # the first answer's time is kept
    with time_machine.travel(NOW + dt.timedelta(minutes=40), tick=False):
        late = client.post(link, {"rating": "not_good", "comment": "changed my mind"})
        reopened = client.get(link)
    assert late.status_code == 409 and b'data-testid="feedback-closed"' in late.content
    assert b'name="rating"' not in reopened.content
    feedback.refresh_from_db()
    assert feedback.rating == "great" and feedback.comment == "Actually great"
    kinds = list(TimelineEvent.objects.filter(client=feedback.client).values_list("kind", flat=True))
    assert kinds.count("feedback.received") == 1 and kinds.count("feedback.changed") == 1


def test_the_post_needs_the_csrf_token(feedback, link):
    strict = BrowserClient(enforce_csrf_checks=True)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert strict.post(link, {"rating": "great"}).status_code == 403
    feedback.refresh_from_db()
    assert feedback.rating == ""


def test_an_unknown_rating_is_refused(client, feedback, link):
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert client.post(link, {"rating": "<b>superb</b>"}).status_code == 400
    feedback.refresh_from_db()
    assert feedback.rating == ""


@pytest.mark.parametrize(
    "mangle",
    [
        lambda link: link[:-3] + ("aaa" if not link.endswith("aaa/") else "bbb") + "/",  # tampered signature
        lambda link: "/feedback/" + signing.dumps("no-such-token", salt=FEEDBACK_SALT) + "/",  # unknown request
        lambda link: "/feedback/" + signing.dumps("x", salt="another.salt") + "/",  # wrong salt
        lambda link: "/feedback/not-even-signed/",
    ],
)
def test_a_broken_link_shows_a_friendly_page_and_changes_nothing(client, feedback, link, mangle):
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        get = client.get(mangle(link))
        post = client.post(mangle(link), {"rating": "not_good", "comment": "x"})
    assert get.status_code == post.status_code == 404
    assert "This link does not work" in get.content.decode()
    feedback.refresh_from_db()
    assert feedback.rating == "" and not Notification.objects.exists()


def test_an_expired_link_changes_nothing(client, feedback, link, settings):
    with time_machine.travel(NOW + dt.timedelta(days=settings.FEEDBACK_LINK_MAX_AGE_DAYS, minutes=1), tick=False):
        response = client.post(link, {"rating": "great"})
    assert response.status_code == 404
    feedback.refresh_from_db()
    assert feedback.rating == ""


def test_not_good_notifies_every_manager_at_once_with_the_comment(client, feedback, link, manager, other_staff):
    second_manager = ManagerFactory(username="boss2")
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        client.post(link, {"rating": "not_good", "comment": "Nobody answered for a week"})
    notified = Notification.objects.filter(kind="feedback.not_good")
    assert {n.recipient for n in notified} == {manager, second_manager}
    note = notified.first()
    assert "Nobody answered for a week" in note.body and "Loyalty points" in note.body
    assert note.conversation == feedback.conversation
    assert not Notification.objects.filter(recipient=other_staff).exists()
    event = TimelineEvent.objects.get(client=feedback.client, kind="feedback.received")
    assert "Not good" in event.summary and event.body == "Nobody answered for a week"


def test_a_comment_with_markup_is_shown_as_text(feedback, link, manager_client):
    comment = '<script>alert("x")</script><b>bold</b>'
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        # The customer's own browser (manager_client is logged in, and staff may not answer).
        thanks = BrowserClient().post(link, {"rating": "not_good", "comment": comment})
    assert comment not in thanks.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in thanks.content.decode()
    with time_machine.travel(NOW + dt.timedelta(days=7), tick=False):
        review = manager_client.get("/review/weekly/")
    assert "<script>alert" not in review.content.decode() and "&lt;b&gt;bold&lt;/b&gt;" in review.content.decode()


def test_the_page_is_in_the_customers_language_not_the_browsers(client, feedback, link):
    FeedbackRequest.objects.filter(pk=feedback.pk).update(language="ko")
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        response = client.get(link, HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Content-Language"] == "ko" and '<html lang="ko">' in response.content.decode()


def test_unsubscribe_needs_a_post_and_then_stops_check_in_emails(client, feedback):
    contact = feedback.contact
    link = path_of(unsubscribe_url(contact))
    assert client.get(link).status_code == 200
    contact.refresh_from_db()
    assert contact.accepts_checkins
    response = client.post(link)
    assert response.status_code == 200 and b'data-testid="unsubscribed"' in response.content
    assert not Contact.objects.get(pk=contact.pk).accepts_checkins
    assert TimelineEvent.objects.filter(client=contact.client, kind="checkin.unsubscribed").count() == 1
    assert client.get(link[:-4] + "xyz/").status_code == 404
