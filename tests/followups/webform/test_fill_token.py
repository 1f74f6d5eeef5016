"""The contact form's fill token is good for one post, and a post sooner than a person can type
gets the form back with what the visitor wrote, not the thank-you page."""

import pytest

from followups.models import Conversation, WebSubmission
from tests.followups.test_webform import post, shown, visitor_ip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def staff(manager):
    return manager


def test_one_token_is_good_for_one_accepted_post(client):
    token = shown(10)
    first, _form = post(client, {"started": token})
    assert first.status_code == 302
    for _ in range(3):
        again, _form = post(client, {"started": token})
        assert again.status_code == 302  # the same thank-you page: a robot learns nothing
    assert Conversation.objects.count() == 1
    statuses = sorted(WebSubmission.objects.values_list("status", "filter_reason"))
    assert statuses == [("accepted", "")] + [("filtered", "reused")] * 3


def test_a_too_fast_post_gets_the_form_back_with_the_text_kept(client):
    response, form = post(client, {"message": "Our shop needs a booking page, please."}, seconds_ago=1)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please check your message and send it again." in page
    assert "Our shop needs a booking page, please." in page and 'value="Lee Hana"' in page
    assert f'value="{form["email"]}"' in page
    assert not WebSubmission.objects.exists() and not Conversation.objects.exists()
    # The form carries a fresh token, good once the visitor has looked again.
    fresh = page.split('name="started" value="', 1)[1].split('"', 1)[0]
    assert fresh != form["started"]


def test_a_too_fast_post_keeps_its_token_for_the_next_try(client):
    token = shown(1)
    ip = visitor_ip()
    assert post(client, {"started": token}, ip=ip)[0].status_code == 400
    assert post(client, {"started": shown(10)}, ip=ip)[0].status_code == 302
    assert WebSubmission.objects.get().status == "accepted"
