"""A customer opens the feedback link from a check-in email on a phone and rates the service: the
page speaks the customer's language (from the request, not the browser), records the answer only
on submit, and shows a markup comment as text."""

from urllib.parse import urlsplit

import pytest

from followups.care.links import feedback_url
from followups.conversations.services import conversation_start
from followups.models import FeedbackRequest, Notification
from tests.factories import ClientFactory, ContactFactory, ManagerFactory, UserFactory

pytestmark = pytest.mark.browser


def _request(*, language: str, subject: str) -> FeedbackRequest:
    owner = UserFactory()
    contact = ContactFactory(client=ClientFactory(account_owner=owner), preferred_language=language)
    conversation = conversation_start(
        client=contact.client, contact=contact, subject=subject, channel="email", actor=owner
    )
    return FeedbackRequest.objects.create(
        source=FeedbackRequest.Source.CONVERSATION,
        client=contact.client,
        contact=contact,
        conversation=conversation,
        owner=owner,
        channel="email",
        language=language,
    )


@pytest.mark.parametrize(
    ("language", "subject", "rating"),
    [("ko", "배송 조회 화면 오류", "not_good"), ("en", "Loyalty points estimate", "great")],
)
def test_the_customer_rates_us_from_the_link_in_their_language(live_server, browser, language, subject, rating):
    manager = ManagerFactory(username="boss")
    feedback = _request(language=language, subject=subject)
    path = urlsplit(feedback_url(feedback)).path
    # The customer's phone is set to the *other* language: the page follows the request.
    context = browser.new_context(
        locale="en-US" if language == "ko" else "ko-KR", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_text(subject).wait_for()
    feedback.refresh_from_db()
    assert feedback.rating == ""  # opening the link records nothing

    page.locator(f"input[name=rating][value={rating}]").check()
    comment = "<b>로그인</b> & stuff"
    page.fill("textarea[name=comment]", comment)
    page.locator("button[type=submit]").click()
    thanks = page.locator("[data-testid=feedback-thanks]")
    thanks.wait_for()
    assert page.locator("html").get_attribute("lang") == language
    assert comment in thanks.inner_text()  # shown as text, not as markup
    assert thanks.locator("b").count() == 0

    feedback.refresh_from_db()
    assert feedback.rating == rating and feedback.comment == comment
    notified = Notification.objects.filter(recipient=manager, kind="feedback.not_good").exists()
    assert notified is (rating == "not_good")
    context.close()
