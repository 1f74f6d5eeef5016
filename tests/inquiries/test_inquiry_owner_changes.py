"""Who may change an inquiry's owner (issue 15): managers any inquiry's, the owner their own (to
a colleague), nobody else. The field is disabled for others, and a forged POST gets 403."""

import pytest
from django.core.exceptions import PermissionDenied

from inquiries.models import Inquiry
from inquiries.services import inquiry_update
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inquiry(owner):
    return InquiryFactory(owner=owner, title="Booking app")


def _post(client, inquiry, **changes):
    data = {
        "title": inquiry.title,
        "contact": inquiry.contact_id,
        "source": inquiry.source,
        "problem": inquiry.problem,
        "goal": inquiry.goal,
        "owner": inquiry.owner_id,
        "currency": "",
    }
    data.update(changes)
    return client.post(f"/inquiries/{inquiry.pk}/edit/", data)


def test_a_colleague_cannot_take_a_colleagues_inquiry(other_client, other_staff, inquiry, owner):
    assert _post(other_client, inquiry, owner=other_staff.pk).status_code == 403
    assert Inquiry.objects.get(pk=inquiry.pk).owner == owner


def test_a_forged_change_is_refused_even_when_the_rest_of_the_form_is_invalid(other_client, other_staff, inquiry):
    assert _post(other_client, inquiry, owner=other_staff.pk, title="").status_code == 403


def test_a_colleague_edits_the_details_with_the_owner_field_disabled(other_client, inquiry, owner):
    form = other_client.get(f"/inquiries/{inquiry.pk}/edit/").context["form"]
    assert form.fields["owner"].disabled
    assert _post(other_client, inquiry, title="Booking app v2").status_code == 302
    # A browser sends nothing for a disabled field: the owner stays.
    data_without_owner = {"title": "v3", "contact": inquiry.contact_id, "source": inquiry.source, "problem": "p"}
    assert other_client.post(f"/inquiries/{inquiry.pk}/edit/", data_without_owner).status_code == 302
    inquiry = Inquiry.objects.get(pk=inquiry.pk)
    assert (inquiry.title, inquiry.owner) == ("v3", owner)


def test_the_owner_hands_the_inquiry_to_a_colleague(owner_client, inquiry, other_staff):
    assert not owner_client.get(f"/inquiries/{inquiry.pk}/edit/").context["form"].fields["owner"].disabled
    assert _post(owner_client, inquiry, owner=other_staff.pk).status_code == 302
    assert Inquiry.objects.get(pk=inquiry.pk).owner == other_staff


def test_a_manager_reassigns_any_inquiry(manager_client, inquiry, other_staff):
    assert _post(manager_client, inquiry, owner=other_staff.pk).status_code == 302
    assert Inquiry.objects.get(pk=inquiry.pk).owner == other_staff


def test_the_service_refuses_an_owner_change_by_a_colleague(other_staff, inquiry, owner):
    with pytest.raises(PermissionDenied):
        inquiry_update(inquiry=inquiry, actor=other_staff, changes={"owner": other_staff})
    assert Inquiry.objects.get(pk=inquiry.pk).owner == owner
