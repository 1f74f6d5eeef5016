import pytest
from django.core.management import call_command

from clients import search
from clients.models import TimelineEvent
from inquiries.models import Inquiry, Proposal
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_inquiries_in_several_statuses_once():
    call_command("seed_demo")
    statuses = set(Inquiry.objects.values_list("status", flat=True))
    assert {"proposal_sent", "scoped", "new"} <= statuses
    assert Proposal.objects.count() == 1
    call_command("seed_demo")
    assert Inquiry.objects.count() == 4 and Proposal.objects.count() == 1


def test_both_providers_are_registered():
    keys = {provider.key for provider in search.providers()}
    assert {"inquiries", "scope_items"} <= keys


def test_inquiries_and_scope_items_are_found_by_korean_text():
    inquiry = InquiryFactory(title="온라인 예약 시스템", problem="전화 예약이 너무 많아요")
    ScopeItemFactory(inquiry=inquiry, title="카카오 알림톡 리마인더", description="예약 하루 전 알림")
    ScopeItemFactory(title="Unrelated")
    results = {provider.key: hits for provider, hits in search.search_all("예약")}
    assert [hit.title for hit in results["inquiries"]] == ["온라인 예약 시스템"]
    assert [hit.title for hit in results["scope_items"]] == ["카카오 알림톡 리마인더"]
    assert results["scope_items"][0].url.startswith(f"/inquiries/{inquiry.pk}/#item-")
    assert inquiry.client.name in results["inquiries"][0].meta


def test_search_page_lists_inquiry_hits_escaped(owner_client):
    InquiryFactory(title="<b>Booking</b> app", problem="needs booking")
    body = owner_client.get("/search/", {"q": "booking"}).content.decode()
    assert "&lt;b&gt;" in body and "<b>Booking</b>" not in body


def test_inquiries_appear_on_the_client_timeline(owner_client, owner):
    call_command("seed_demo")
    inquiry = Inquiry.objects.get(title="온라인 예약 시스템")
    kinds = set(TimelineEvent.objects.filter(client=inquiry.client).values_list("kind", flat=True))
    assert {"inquiry.created", "proposal.sent"} <= kinds
    body = owner_client.get(f"/clients/{inquiry.client_id}/").content.decode()
    assert "온라인 예약 시스템" in body


@pytest.mark.django_db
def test_inquiries_of_archived_clients_leave_search(owner_client):
    from django.utils import timezone

    from clients.search import search_all
    from tests.inquiries.factories import InquiryFactory

    inquiry = InquiryFactory(title="Archived 물류 portal")
    assert any(p.key == "inquiries" and hits for p, hits in search_all("Archived 물류"))
    inquiry.client.archived_at = timezone.now()
    inquiry.client.save(update_fields=["archived_at"])
    assert not any(p.key in {"inquiries", "scope_items"} and hits for p, hits in search_all("Archived 물류"))
