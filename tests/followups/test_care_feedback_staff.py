"""Staff cannot answer a feedback request as the customer (issue 15): a browser logged in as
staff or a manager gets a friendly 403 page on the customer's link, and nothing is recorded."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine

from followups.care.links import feedback_url
from followups.models import FeedbackRequest, Notification
from tests.followups.care_factories import FeedbackRequestFactory, default_checkin_plans, seoul  # noqa: F401

pytestmark = pytest.mark.django_db
NOW = seoul(2026, 11, 23, 10)


@pytest.fixture
def link(owner):
    feedback = FeedbackRequestFactory(client__account_owner=owner, contact__name="Emma")
    with time_machine.travel(NOW, tick=False):
        return feedback, urlsplit(feedback_url(feedback)).path


@pytest.mark.parametrize("persona", ["owner_client", "manager_client"])
def test_a_logged_in_colleague_cannot_answer_for_the_customer(request, link, persona):
    browser = request.getfixturevalue(persona)
    feedback, path = link
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        response = browser.post(path, {"rating": "great", "comment": "Best agency ever"})
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-testid="feedback-staff"' in page
    assert "cannot answer on a customer's behalf" in page
    feedback = FeedbackRequest.objects.get(pk=feedback.pk)
    assert (feedback.rating, feedback.comment, feedback.rated_at) == ("", "", None)
    assert not Notification.objects.exists()


def test_opening_the_link_logged_in_shows_the_same_page_without_the_form(owner_client, link):
    _feedback, path = link
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        response = owner_client.get(path)
    assert response.status_code == 403
    assert 'name="rating"' not in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_the_customer_still_answers(client, link):
    feedback, path = link
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert client.post(path, {"rating": "okay"}).status_code == 200
    assert FeedbackRequest.objects.get(pk=feedback.pk).rating == "okay"
