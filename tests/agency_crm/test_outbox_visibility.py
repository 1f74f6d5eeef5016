"""Who sees which email in the outbox (issue 15): staff see emails to customers (those with a
client) and emails addressed to themselves; managers see all. Hidden emails are 404 on the
preview and on retry (404 rather than 403: the outbox does not say what exists)."""

import pytest
from django.urls import reverse

from agency_crm.outbox import OutboundEmail
from tests.agency_crm.factories import OutboundEmailFactory
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
Kind, Status = OutboundEmail.Kind, OutboundEmail.Status


@pytest.fixture
def emails(owner, manager, other_staff):
    return {
        "customer": OutboundEmailFactory(client=ClientFactory(account_owner=other_staff), subject="Re: menu"),
        "review": OutboundEmailFactory(
            kind=Kind.WEEKLY_REVIEW, client=None, to=[manager.email], subject="Weekly review", status=Status.FAILED
        ),
        "their_digest": OutboundEmailFactory(
            kind=Kind.REMINDER, client=None, to=[other_staff.email], subject="Their digest"
        ),
        "my_digest": OutboundEmailFactory(
            kind=Kind.REMINDER, client=None, to=[owner.email.upper()], subject="My digest", status=Status.FAILED
        ),
        "cc_me": OutboundEmailFactory(
            kind=Kind.OTHER, client=None, to=["x@agency.example"], cc=[owner.email], subject="Cc"
        ),
    }


def _listed(client, **params):
    response = client.get(reverse("outbox_list"), params)
    assert response.status_code == 200
    return {email.subject for email in response.context["page"]}, response.context["counts"]


def test_staff_list_customer_emails_and_their_own(owner_client, emails):
    subjects, counts = _listed(owner_client)
    assert subjects == {"Re: menu", "My digest", "Cc"}
    assert counts["failed"] == 1  # their own digest, not the manager's review
    assert _listed(owner_client, status="failed")[0] == {"My digest"}


def test_staff_get_404_for_internal_email_to_someone_else(owner_client, emails):
    for key in ("review", "their_digest"):
        assert owner_client.get(reverse("outbox_detail", args=[emails[key].pk])).status_code == 404
    for key in ("customer", "my_digest", "cc_me"):
        assert owner_client.get(reverse("outbox_detail", args=[emails[key].pk])).status_code == 200


def test_staff_cannot_retry_an_email_they_cannot_see(owner_client, emails):
    review = emails["review"]
    assert owner_client.post(reverse("outbox_retry", args=[review.pk])).status_code == 404
    assert OutboundEmail.objects.get(pk=review.pk).status == Status.FAILED
    assert owner_client.post(reverse("outbox_retry", args=[emails["my_digest"].pk])).status_code == 302
    assert OutboundEmail.objects.get(pk=emails["my_digest"].pk).status == Status.PENDING


def test_managers_see_every_email(manager_client, emails):
    subjects, counts = _listed(manager_client)
    assert subjects == {email.subject for email in emails.values()}
    assert counts["failed"] == 2
    assert manager_client.get(reverse("outbox_detail", args=[emails["their_digest"].pk])).status_code == 200


def test_a_colleague_without_an_email_address_sees_only_customer_emails(client, emails):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="noemail", email=""))
    OutboundEmailFactory(kind=Kind.OTHER, client=None, to=["ops@agency.example"], subject="Ops")
    assert _listed(client)[0] == {"Re: menu"}
