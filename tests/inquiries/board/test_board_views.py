"""The card menu's move (POST, works without JavaScript) and the managers' pipeline settings."""

import html as html_lib
import re

import pytest

from clients.models import TimelineEvent
from inquiries.board.models import Loss, LostReason, PipelineStage
from inquiries.models import Inquiry
from tests.inquiries.board.factories import LostReasonFactory
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    """What the board shows at the top (the messages the redirect carried)."""
    html = response.content.decode()
    return [html_lib.unescape(" ".join(text.split())) for text in re.findall(r'role="alert">(.*?)<button', html, re.S)]


def test_the_menu_moves_a_card_and_comes_back_to_the_same_filters(owner_client, owner):
    inquiry = InquiryFactory(owner=owner, title="Booking app")
    response = owner_client.post(
        f"/inquiries/board/{inquiry.pk}/move/", {"status": "won", "owner": owner.pk, "source": "fax", "stale": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/inquiries/board/?owner={owner.pk}&stale=1"  # fax is no source
    assert Inquiry.objects.get(pk=inquiry.pk).status == "won"
    page = owner_client.get(response["Location"])
    assert "“Booking app” moved to Won." in _messages(page)
    assert TimelineEvent.objects.filter(kind="inquiry.won", actor=owner).exists()


def test_a_refused_move_says_why_and_changes_nothing(owner_client, owner):
    inquiry = InquiryFactory(owner=owner, title="Booking app")
    response = owner_client.post(f"/inquiries/board/{inquiry.pk}/move/", {"status": "proposal_sent"}, follow=True)
    assert _messages(response) == [
        "Booking app: Proposal sent needs a sent proposal: send one from the inquiry's page first."
    ]
    assert Inquiry.objects.get(pk=inquiry.pk).status == "new"


def test_lost_from_the_menu_needs_a_reason(owner_client, owner):
    inquiry = InquiryFactory(owner=owner)
    response = owner_client.post(f"/inquiries/board/{inquiry.pk}/move/", {"status": "lost"}, follow=True)
    assert _messages(response) == ["Choose why the inquiry was lost."]
    reason = LostReasonFactory(name_en="Price")
    owner_client.post(
        f"/inquiries/board/{inquiry.pk}/move/", {"status": "lost", "lost_reason": reason.pk, "lost_note": "Too dear"}
    )
    assert Loss.objects.get(inquiry=inquiry).note == "Too dear"


def test_a_colleague_who_does_not_own_the_inquiry_gets_403(other_client, owner):
    inquiry = InquiryFactory(owner=owner)
    assert other_client.post(f"/inquiries/board/{inquiry.pk}/move/", {"status": "won"}).status_code == 403
    assert Inquiry.objects.get(pk=inquiry.pk).status == "new"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": "delivered"},
        {"status": "won\x00"},
        {"status": "lost", "lost_reason": "²"},
        {"status": "lost", "lost_reason": "999999999999999999999"},
        {"status": "lost", "lost_reason": "1", "lost_note": "가" * 3000},
    ],
)
def test_odd_move_input_is_refused_with_a_message(owner_client, owner, data):
    inquiry = InquiryFactory(owner=owner)
    response = owner_client.post(f"/inquiries/board/{inquiry.pk}/move/", data, follow=True)
    assert response.status_code == 200 and _messages(response)
    assert Inquiry.objects.get(pk=inquiry.pk).status == "new"


def test_moving_an_unknown_inquiry_is_404(owner_client):
    assert owner_client.post("/inquiries/board/999999/move/", {"status": "won"}).status_code == 404


def test_the_settings_page_is_for_managers(owner_client):
    assert owner_client.get("/settings/pipeline/").status_code == 403


def _settings_data(page_context, **changes) -> dict:
    data = {}
    for form in page_context["stage_forms"]:
        for field in form:
            data[field.html_name] = "" if field.value() is None else field.value()
    formset = page_context["reason_formset"]
    for name, field in formset.management_form.fields.items():
        data[f"reasons-{name}"] = formset.management_form.initial.get(name, field.initial)
    for form in formset:
        for field in form:
            value = field.value()
            if field.name == "is_active":
                if value:
                    data[field.html_name] = "on"
            elif value is not None:
                data[field.html_name] = value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_manager_renames_reorders_and_reweights_stages_and_edits_lost_reasons(manager_client):
    LostReason.objects.all().delete()
    price = LostReasonFactory(name_en="Price", name_ko="가격")
    page = manager_client.get("/settings/pipeline/")
    assert page.status_code == 200
    data = _settings_data(
        page.context,
        **{
            "stage-on_hold-name_en": "Parked",
            "stage-on_hold-name_ko": "잠시 멈춤",
            "stage-on_hold-position": "0",
            "stage-proposal_sent-win_probability": "55",
            "stage-proposal_sent-stale_after_days": "",
            "reasons-0-is_active": None,
            "reasons-1-name_en": "Went quiet",
            "reasons-1-name_ko": "연락 두절",
            "reasons-1-position": "3",
        },
    )
    data.pop("reasons-0-is_active", None)
    response = manager_client.post("/settings/pipeline/", data)
    assert response.status_code == 302, response.context and [f.errors for f in response.context["stage_forms"]]
    parked = PipelineStage.objects.get(status="on_hold")
    assert (parked.name_en, parked.name_ko, parked.position) == ("Parked", "잠시 멈춤", 0)
    sent = PipelineStage.objects.get(status="proposal_sent")
    assert (sent.win_probability, sent.stale_after_days) == (55, None)
    price.refresh_from_db()
    assert not price.is_active
    assert LostReason.objects.filter(name_en="Went quiet", name_ko="연락 두절", is_active=True).exists()
    assert PipelineStage.objects.count() == 7


def test_a_probability_over_100_is_refused(manager_client):
    page = manager_client.get("/settings/pipeline/")
    response = manager_client.post(
        "/settings/pipeline/", _settings_data(page.context, **{"stage-won-win_probability": "101"})
    )
    assert response.status_code == 400
    assert PipelineStage.objects.get(status="won").win_probability == 100


def test_a_missing_stage_is_created_when_the_settings_are_saved(manager_client):
    PipelineStage.objects.filter(status="lost").delete()
    page = manager_client.get("/settings/pipeline/")
    assert not PipelineStage.objects.filter(status="lost").exists()
    assert manager_client.post("/settings/pipeline/", _settings_data(page.context)).status_code == 302
    assert PipelineStage.objects.get(status="lost").name_en == "Lost"


def test_the_settings_page_speaks_korean(manager_client):
    html = manager_client.get("/settings/pipeline/", headers={"accept-language": "ko"}).content.decode()
    assert "실주 사유" in html and "단계" in html
