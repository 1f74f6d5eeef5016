"""Referrals: who referred whom, checked where they are entered, and the figures (the client
page's worth, the dashboard's share and top referrers) exact against a hand-made dataset."""

import datetime as dt
import secrets
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clients.models import Client
from clients.services import client_update
from inquiries import services
from inquiries.forms import InquiryForm
from inquiries.models import Inquiry, Proposal
from inquiries.referrals import client_referrals, referral_figures, worth_of_referrals
from tests.factories import ClientFactory, ContactFactory, UserFactory
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.django_db


def _won(inquiry: Inquiry, total: str, currency: str) -> Inquiry:
    """`inquiry` won through an accepted proposal of `total` in `currency`."""
    now = timezone.now()
    Proposal.objects.create(
        inquiry=inquiry, number=1, key=secrets.token_urlsafe(8), link_token="t",
        snapshot={"currency": currency, "items": []},
        sent_at=now, sent_by=inquiry.owner, expires_at=now + dt.timedelta(days=30), accepted_at=now,
        accepted_by_name="Kim", accepted_total=Decimal(total),
    )  # fmt: skip
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.WON, accepted_total=Decimal(total), won_at=now)
    return inquiry


@pytest.fixture
def dataset():
    """Hanbit referred Blue Harbor (a client), and three of Namsan's inquiries; Seoul Dental
    referred one of Blue Harbor's inquiries itself. One inquiry says Referral with no referrer."""
    hanbit, dental = ClientFactory(name="Hanbit"), ClientFactory(name="Seoul Dental")
    blue = ClientFactory(name="Blue Harbor", referred_by=hanbit)
    namsan = ClientFactory(name="Namsan")
    inherit = _won(InquiryFactory(client=blue, title="Blue 1"), "12345678", "KRW")  # Hanbit's, inherited
    _won(InquiryFactory(client=blue, title="Blue 2", referred_by=dental), "5000000", "KRW")  # Seoul Dental's
    InquiryFactory(client=blue, title="Blue 3", status=Inquiry.Status.WON)  # won without a proposal
    _won(InquiryFactory(client=namsan, title="Namsan 1", referred_by=hanbit), "1000.10", "USD")
    _won(InquiryFactory(client=namsan, title="Namsan 2", referred_by=hanbit), "0.20", "USD")
    InquiryFactory(client=namsan, title="Namsan 3", referred_by=hanbit, status=Inquiry.Status.LOST, lost_reason="x")
    InquiryFactory(client=namsan, title="Namsan 4", source=Inquiry.Source.REFERRAL)
    InquiryFactory(client=namsan, title="Namsan 5", source=Inquiry.Source.EMAIL)
    return {"hanbit": hanbit, "dental": dental, "blue": blue, "namsan": namsan, "inherit": inherit}


def test_what_a_referrer_brought_in_is_summed_exactly_per_currency(dataset):
    assert worth_of_referrals(client=dataset["hanbit"]) == [("KRW", Decimal("12345678")), ("USD", Decimal("1000.30"))]
    assert worth_of_referrals(client=dataset["dental"]) == [("KRW", Decimal("5000000"))]
    assert worth_of_referrals(client=dataset["namsan"]) == []


def test_the_client_page_card_lists_whom_they_referred_in_three_queries(dataset, django_assert_num_queries):
    # 1 the clients it referred, 2 the inquiries it referred (with their clients), 3 their worth.
    with django_assert_num_queries(3):
        referrals = client_referrals(client=dataset["hanbit"])
    assert [c.name for c in referrals.clients] == ["Blue Harbor"]
    assert sorted(i.title for i in referrals.inquiries) == ["Blue 1", "Blue 3", "Namsan 1", "Namsan 2", "Namsan 3"]
    assert not client_referrals(client=dataset["namsan"])


def test_the_dashboard_share_and_top_referrers_are_exact(dataset, django_assert_num_queries):
    start, end = timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(seconds=1)
    # 1 the counts, 2 the top referrers with their names, 3 every referrer's accepted totals.
    with django_assert_num_queries(3):
        figures = referral_figures(start=start, end=end)
    # Eight new inquiries; all but Namsan 5 came by referral (Namsan 4 says so without a referrer).
    assert (figures.total, figures.referred, figures.share) == (8, 7, 7 / 8)
    hanbit, dental = figures.top
    assert (hanbit.name, hanbit.inquiries, hanbit.won) == ("Hanbit", 5, 4)
    assert hanbit.worth == [("KRW", Decimal("12345678")), ("USD", Decimal("1000.30"))]
    assert (dental.name, dental.inquiries, dental.won, dental.worth) == (
        "Seoul Dental",
        1,
        1,
        [("KRW", Decimal("5000000"))],
    )
    # Nothing in an empty period, in the same three queries.
    with django_assert_num_queries(3):
        empty = referral_figures(start=end, end=end + dt.timedelta(days=1))
    assert (empty.total, empty.share, empty.top) == (0, None, [])


def test_the_dashboard_filters_by_owner(dataset):
    owner = UserFactory()
    Inquiry.objects.filter(title__in=["Namsan 1", "Namsan 5"]).update(owner=owner)
    start, end = timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(seconds=1)
    figures = referral_figures(start=start, end=end, owner_id=owner.pk)
    assert (figures.total, figures.referred) == (2, 1)
    assert [(r.name, r.inquiries, r.worth) for r in figures.top] == [("Hanbit", 1, [("USD", Decimal("1000.10"))])]


def test_a_client_cannot_refer_itself_nor_name_another_clients_contact():
    manager = UserFactory()
    client, other = ClientFactory(account_owner=manager), ClientFactory()
    with pytest.raises(ValidationError) as error:
        client_update(client=client, actor=manager, changes={"referred_by": client})
    assert "referred_by" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        client_update(
            client=client, actor=manager, changes={"referred_by": other, "referred_by_contact": ContactFactory()}
        )
    assert "referred_by_contact" in error.value.message_dict
    contact = ContactFactory(client=other)
    client_update(client=client, actor=manager, changes={"referred_by": other, "referred_by_contact": contact})
    client.refresh_from_db()
    assert (client.referred_by, client.referred_by_contact) == (other, contact)
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.filter(pk=client.pk).update(referred_by=client)


def test_an_inquiry_cannot_be_referred_by_its_own_client():
    owner = UserFactory()
    client = ClientFactory()
    details = {"title": "App", "source": "email", "problem": "p", "owner": owner, "referred_by": client}
    with pytest.raises(ValidationError):
        services.inquiry_create(actor=owner, client=client, details=details)
    with pytest.raises(IntegrityError), transaction.atomic():
        InquiryFactory(client=client, referred_by=client)


def test_the_inquiry_form_takes_the_referrer_from_a_contact_alone_and_refuses_odd_pairs():
    owner = UserFactory()
    client, referrer = ClientFactory(), ClientFactory()
    contact = ContactFactory(client=referrer)
    base = {"title": "App", "client": client.pk, "source": "referral", "problem": "p", "owner": owner.pk}
    form = InquiryForm({**base, "referred_by_contact": contact.pk}, user=owner)
    assert form.is_valid(), form.errors
    assert form.inquiry_details()["referred_by"] == referrer
    form = InquiryForm({**base, "referred_by": client.pk}, user=owner)
    assert not form.is_valid() and "referred_by" in form.errors
    form = InquiryForm({**base, "referred_by": referrer.pk, "referred_by_contact": ContactFactory().pk}, user=owner)
    assert not form.is_valid() and "referred_by_contact" in form.errors
    form = InquiryForm({**base, "referred_by": "x' OR 1=1"}, user=owner)
    assert not form.is_valid() and "referred_by" in form.errors


def test_the_client_page_shows_the_referrer_and_the_worth(owner_client, dataset):
    body = owner_client.get(f"/clients/{dataset['hanbit'].pk}/").content.decode()
    card = body.split('data-testid="client-referrals"', 1)[1].split("</section>", 1)[0]
    assert "KRW 12,345,678" in card and "USD 1,000.30" in card and "Blue Harbor" in card and "Namsan 3" in card
    body = owner_client.get(f"/clients/{dataset['blue'].pk}/").content.decode()
    assert 'data-testid="client-referred-by"' in body and "Hanbit" in body


def test_the_dashboard_shows_the_share_and_top_referrers_in_constant_queries(manager_client, dataset, manager):
    def measured():
        with CaptureQueriesContext(connection) as queries:
            response = manager_client.get("/dashboard/")
        return response, len(queries)

    measured()  # the first visit creates the business calendar's row
    response, first = measured()
    body = response.content.decode()
    assert 'data-figure="referral-share">87.5%' in body
    section = body.split('data-testid="dashboard-referrals"', 1)[1].split("</section>", 1)[0]
    assert section.index("Hanbit") < section.index("Seoul Dental") and "USD 1,000.30" in section
    for n in range(5):
        _won(InquiryFactory(client=ClientFactory(referred_by=ClientFactory(name=f"R{n}"))), "10", "KRW")
    _response, second = measured()
    assert second == first
