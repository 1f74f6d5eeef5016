"""/settings/agency/: each form saves through its service, and each error is shown on its field."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agency_crm.agency.selectors import agency_name, contact_form_allowed_origins, customer_email_sender
from agency_crm.outbox import OutboundEmail
from agency_crm.outbox.services.compose import outbox_enqueue_rendered
from clients.models import ResponseTier
from followups.conversations.hours import load_calendar
from followups.models import ClosureDay, ExtraOpeningDay, OpeningInterval, ResponsePolicy
from followups.setup.selectors import contact_form_origins_set, opening_hours_set, response_targets_set

pytestmark = pytest.mark.django_db
URL = reverse("followups:agency_settings")
SEOUL = ZoneInfo("Asia/Seoul")


def week(**slots) -> dict:
    """POST data of the hours form: Monday to Friday 09:00-12:00 and 13:00-18:00, then `slots`."""
    data = {"section": "hours", "hours-time_zone": "Asia/Seoul", "hours-country": "KR", "hours-subdivision": ""}
    for day in range(5):
        data |= {f"hours-d{day}_1_opens": "09:00", f"hours-d{day}_1_closes": "12:00"}
        data |= {f"hours-d{day}_2_opens": "13:00", f"hours-d{day}_2_closes": "18:00"}
    return data | {f"hours-{name}": value for name, value in slots.items()}


def test_staff_may_not_open_the_page(owner_client):
    assert owner_client.get(URL).status_code == 403


def test_the_page_shows_every_section_and_the_embed_snippet(manager_client):
    page = manager_client.get(URL).content.decode()
    for section in ("identity", "hours", "closure", "extra", "target", "origins"):
        assert f'id="{section}"' in page
    assert "&lt;iframe src=&quot;" in page or "&lt;iframe src=" in page
    assert "/contact/embed/" in page


def test_identity_is_stored_and_the_outbox_sends_with_it(manager_client, settings):
    settings.AGENCY_NAME, settings.DEFAULT_FROM_EMAIL = "Gonggam Studio", "Gonggam <hello@gonggam.example>"
    assert customer_email_sender() == "Gonggam <hello@gonggam.example>" and agency_name() == "Gonggam Studio"
    response = manager_client.post(
        URL,
        {
            "section": "identity",
            "identity-name": "한빛 소프트",
            "identity-sender_name": "한빛 지원팀",
            "identity-sender_address": "support@hanbit.example",
        },
    )
    assert response.status_code == 302
    assert agency_name() == "한빛 소프트"
    email = outbox_enqueue_rendered(to=["jiwoo@customer.example"], subject="Hi", text="Hello", kind="reply")
    email = OutboundEmail.objects.get(pk=email.pk)
    assert email.from_email == "=?utf-8?b?7ZWc67mbIOyngOybkO2MgA==?= <support@hanbit.example>"


def test_a_bad_sender_address_is_marked_on_its_field(manager_client):
    response = manager_client.post(URL, {"section": "identity", "identity-sender_address": "not an address"})
    assert response.status_code == 400
    assert list(response.context["forms"]["identity"].errors) == ["sender_address"]


def test_hours_with_a_lunch_break_are_saved_and_the_checklist_sees_them(manager_client):
    assert not opening_hours_set()
    response = manager_client.post(URL, week())
    assert response.status_code == 302, response.context["forms"]["hours"].errors
    assert load_calendar().weekly_hours[0] == ((540, 720), (780, 1080))
    assert load_calendar().weekly_hours[5] == ()
    assert OpeningInterval.objects.count() == 10
    assert opening_hours_set()


def test_a_bad_interval_marks_that_interval_not_the_whole_form(manager_client):
    response = manager_client.post(URL, week(d2_2_opens="11:00", d3_1_closes="08:00", d4_2_closes="", tue_x="1"))
    assert response.status_code == 400
    errors = response.context["forms"]["hours"].errors
    # Wednesday's second interval overlaps its first; Thursday's first closes before it opens;
    # Friday's second has no closing time.
    assert set(errors) == {"d2_2_opens", "d3_1_closes", "d4_2_closes"}
    page = response.content.decode()
    assert 'id="id_hours-d3_1_closes_error"' in page
    assert OpeningInterval.objects.count() == 5  # nothing saved: still the default week


def test_an_unknown_time_zone_country_or_region_is_marked_on_its_field(manager_client):
    data = week() | {"hours-time_zone": "Mars/Olympus", "hours-country": "XX"}
    errors = manager_client.post(URL, data).context["forms"]["hours"].errors
    assert set(errors) == {"time_zone", "country"}
    data = week() | {"hours-subdivision": "NOPE"}
    assert set(manager_client.post(URL, data).context["forms"]["hours"].errors) == {"subdivision"}


def test_a_week_without_any_interval_is_refused_on_mondays_first_interval(manager_client):
    data = {key: value for key, value in week().items() if "_opens" not in key and "_closes" not in key}
    errors = manager_client.post(URL, data).context["forms"]["hours"].errors
    assert set(errors) == {"d0_1_opens"}


def test_closure_and_extra_opening_days_are_added_removed_and_checked(manager_client):
    assert (
        manager_client.post(
            URL, {"section": "closure", "closure-date": "2026-12-24", "closure-reason": "Party"}
        ).status_code
        == 302
    )
    assert load_calendar().closure_days == frozenset({dt.date(2026, 12, 24)})
    response = manager_client.post(
        URL, {"section": "extra", "extra-date": "2026-12-24", "extra-opens": "09:00", "extra-closes": "13:00"}
    )
    assert list(response.context["forms"]["extra"].errors) == ["date"]
    response = manager_client.post(
        URL, {"section": "extra", "extra-date": "2026-12-26", "extra-opens": "13:00", "extra-closes": "09:00"}
    )
    assert list(response.context["forms"]["extra"].errors) == ["closes"]
    assert (
        manager_client.post(
            URL, {"section": "extra", "extra-date": "2026-12-26", "extra-opens": "10:00", "extra-closes": "13:00"}
        ).status_code
        == 302
    )
    assert dict(load_calendar().extra_days) == {dt.date(2026, 12, 26): ((600, 780),)}
    closure = ClosureDay.objects.get()
    assert manager_client.post(URL, {"section": "closure_remove", "pk": closure.pk}).status_code == 302
    assert not ClosureDay.objects.exists() and ExtraOpeningDay.objects.count() == 1


def test_a_target_in_hours_and_minutes_per_tier_and_channel(manager_client):
    assert not response_targets_set()
    data = {
        "section": "target",
        "target-tier": ResponseTier.MAINTENANCE,
        "target-channel": "kakao",
        "target-first_response_minutes_0": "1",
        "target-first_response_minutes_1": "30",
        "target-next_reply_minutes_0": "4",
        "target-next_reply_minutes_1": "0",
    }
    assert manager_client.post(URL, data).status_code == 302
    policy = ResponsePolicy.objects.get(tier=ResponseTier.MAINTENANCE, channel="kakao")
    assert (policy.first_response_minutes, policy.next_reply_minutes) == (90, 240)
    assert ResponsePolicy.for_tier(ResponseTier.MAINTENANCE, channel="kakao") == policy
    assert ResponsePolicy.for_tier(ResponseTier.MAINTENANCE, channel="email").channel == ""
    assert response_targets_set()
    assert "1 h 30 min" in manager_client.get(URL).content.decode()
    # Zero, or minutes past 59, are refused on their own field.
    bad = data | {"target-first_response_minutes_0": "0", "target-first_response_minutes_1": "0"}
    bad |= {"target-next_reply_minutes_1": "75"}
    errors = manager_client.post(URL, bad).context["forms"]["target"].errors
    assert set(errors) == {"first_response_minutes", "next_reply_minutes"}


def test_the_default_target_cannot_be_removed(manager_client):
    default = ResponsePolicy.objects.get(tier="", channel="")
    assert manager_client.post(URL, {"section": "target_remove", "pk": default.pk}).status_code == 404


def test_embedding_origins_are_stored_and_the_embed_view_uses_them(manager_client, client, settings):
    settings.CONTACT_FORM_ALLOWED_ORIGINS = ["https://env.example"]
    assert contact_form_allowed_origins() == ["https://env.example"] and not contact_form_origins_set()
    response = manager_client.post(
        URL, {"section": "origins", "origins-origins": "https://www.hanbit.example/\nhttps://hanbit.example"}
    )
    assert response.status_code == 302
    assert contact_form_allowed_origins() == ["https://www.hanbit.example", "https://hanbit.example"]
    assert contact_form_origins_set()
    csp = client.get(reverse("followups:contact_embed"))["Content-Security-Policy"]
    assert "frame-ancestors https://www.hanbit.example https://hanbit.example" in csp
    response = manager_client.post(
        URL, {"section": "origins", "origins-origins": "https://ok.example\nftp://bad.example/x"}
    )
    errors = response.context["forms"]["origins"].errors["origins"]
    assert errors == ["Line 2: ftp://bad.example/x is not a site address like https://www.agency.example."]


def test_saving_hours_re_plans_an_open_wait(manager_client, owner):
    from tests.followups.conversations.test_replan import waiting

    conversation = waiting(owner, dt.datetime(2026, 12, 7, 8, 0, tzinfo=SEOUL))
    with time_machine.travel(dt.datetime(2026, 12, 7, 8, 30, tzinfo=SEOUL), tick=False):
        assert manager_client.post(URL, week()).status_code == 302
    conversation.refresh_from_db()
    assert conversation.reply_due_at == dt.datetime(2026, 12, 7, 18, 0, tzinfo=SEOUL)  # was 17:00


def test_a_refused_week_comes_back_with_every_time_as_typed(manager_client):
    response = manager_client.post(URL, week(d2_2_opens="11:00"))
    page = response.content.decode()
    assert 'name="hours-d2_2_opens" id="id_hours-d2_2_opens" value="11:00"' in page
    assert 'name="hours-d4_2_closes" id="id_hours-d4_2_closes" value="18:00"' in page
