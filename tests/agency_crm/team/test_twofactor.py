"""Two-factor sign-in: turned on with a real code computed from the device's key, asked for after
the password, recovery codes that work once, wrong codes counted by django-axes and rate-limited,
and the agency's switch that sends a person without an authenticator to set one up."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agency_crm.team import twofactor
from agency_crm.team.models import SignInPolicy, TeamEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    """What the person's authenticator app shows now, computed from the device's key."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enable(user) -> list[str]:
    device = twofactor.twofactor_start(user=user)
    return twofactor.twofactor_confirm(user=user, code=code_for(device))


def password_step(client, username="owner", **extra):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD, **extra})


def test_turning_it_on_shows_a_qr_code_and_needs_a_right_code(owner_client, owner):
    response = owner_client.post("/settings/two-factor/start/")
    assert response.status_code == 302 and response["Location"] == "/settings/two-factor/setup/"
    page = owner_client.get("/settings/two-factor/setup/").content.decode()
    assert '<svg viewBox="' in page and 'id="twofactor-key"' in page
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    wrong = owner_client.post(
        "/settings/two-factor/setup/", {"code": "000000" if code_for(device) != "000000" else "1"}
    )
    assert wrong.status_code == 400 and "That code does not match" in wrong.content.decode()
    assert not twofactor.has_two_factor(owner)
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # past django-otp's 1 s throttle
        right = owner_client.post("/settings/two-factor/setup/", {"code": code_for(device)})
    assert right.status_code == 200
    codes = right.context["codes"]
    assert len(codes) == 10 and all(code in right.content.decode() for code in codes)
    assert twofactor.has_two_factor(owner) and twofactor.recovery_codes_left(owner) == 10
    assert TeamEvent.objects.get(kind="twofactor.enabled").text == "Minji Park turned on two-factor sign-in"
    assert "10 recovery codes left." in owner_client.get("/settings/two-factor/").content.decode()


def test_the_login_asks_for_the_code_after_the_password(client, owner):
    enable(owner)
    device = TOTPDevice.objects.get(user=owner)
    response = password_step(client, next="/clients/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/clients/").status_code == 302  # not logged in yet
    assert "Two-factor sign-in" in client.get("/accounts/login/code/").content.decode()
    wrong = client.post("/accounts/login/code/", {"code": "12345"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):  # the next step: a fresh code
        response = client.post("/accounts/login/code/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/clients/"
    assert int(client.session["_auth_user_id"]) == owner.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_the_code_page_without_a_password_first_sends_back_to_login(client, owner):
    enable(owner)
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"
    assert client.post("/accounts/login/code/", {"code": "123456"})["Location"] == "/accounts/login/"


def test_a_passed_password_is_remembered_for_five_minutes_only(client, owner):
    enable(owner)
    password_step(client)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        device = TOTPDevice.objects.get(user=owner)
        response = client.post("/accounts/login/code/", {"code": code_for(device)})
    assert response["Location"] == "/accounts/login/" and "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client, owner):
    code = enable(owner)[0]
    password_step(client)
    assert client.post("/accounts/login/code/", {"code": code.upper()}).status_code == 302
    assert int(client.session["_auth_user_id"]) == owner.pk
    assert twofactor.recovery_codes_left(owner) == 9
    client.post("/accounts/logout/")
    password_step(client)
    again = client.post("/accounts/login/code/", {"code": code})
    assert again.status_code == 200 and "_auth_user_id" not in client.session
    assert not StaticToken.objects.filter(token=code).exists()


def test_new_recovery_codes_replace_the_old_ones(owner_client, owner):
    old = enable(owner)
    response = owner_client.post("/settings/two-factor/recovery-codes/")
    new = response.context["codes"]
    assert set(new).isdisjoint(old) and twofactor.recovery_codes_left(owner) == 10
    assert twofactor.twofactor_verify(user=owner, code=old[0]) is None


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_codes_count_as_failed_logins_for_django_axes(client, owner):
    enable(owner)
    password_step(client)
    for _ in range(2):
        assert client.post("/accounts/login/code/", {"code": "999999"}).status_code == 200
    locked = client.post("/accounts/login/code/", {"code": "999999"})
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    # Locked out: even the right code, or the right password, is refused now.
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        right = client.post("/accounts/login/code/", {"code": code_for(TOTPDevice.objects.get(user=owner))})
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert password_step(Client()).status_code == 429


@override_settings(TWO_FACTOR_CODE_RATE="2/m")
def test_code_attempts_are_rate_limited_per_account(client, owner):
    enable(owner)
    password_step(client)
    assert [client.post("/accounts/login/code/", {"code": "x1"}).status_code for _ in range(2)] == [200, 200]
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    password_step(other_address)
    assert other_address.post("/accounts/login/code/", {"code": "x2"}).status_code == 429


def test_turning_it_off_removes_the_device(owner_client, owner):
    enable(owner)
    assert owner_client.post("/settings/two-factor/off/").status_code == 302
    assert not twofactor.has_two_factor(owner) and twofactor.recovery_codes_left(owner) == 0
    assert password_step(Client())["Location"] == "/"


def test_a_manager_requires_it_only_once_they_use_it_themselves(manager_client, manager):
    response = manager_client.post("/settings/people/two-factor/", {"required": "on"}, follow=True)
    assert "Turn on two-factor sign-in for yourself first" in response.content.decode()
    assert not twofactor.two_factor_required()
    enable(manager)
    manager_client.post("/settings/people/two-factor/", {"required": "on"})
    assert SignInPolicy.objects.get().two_factor_required
    assert TeamEvent.objects.get(kind="twofactor.policy").text == "Seoyeon Kim required two-factor sign-in for everyone"


def test_when_required_a_person_without_it_is_sent_to_set_it_up_after_login(client, manager, owner):
    enable(manager)
    twofactor.twofactor_policy_set(required=True, actor=manager)
    assert password_step(client)["Location"] == "/"
    for path in ("/", "/clients/", "/settings/"):
        assert client.get(path)["Location"] == "/settings/two-factor/"
    page = client.get("/settings/two-factor/").content.decode()
    assert 'id="twofactor-required"' in page
    assert client.post("/settings/two-factor/off/")["Location"] == "/settings/two-factor/"
    client.post("/settings/two-factor/start/")
    device = TOTPDevice.objects.get(user=owner)
    assert client.post("/settings/two-factor/setup/", {"code": code_for(device)}).status_code == 200
    assert client.get("/clients/").status_code == 200
    # Now that it is required, the person cannot turn it off again.
    assert "cannot be turned off" in client.post("/settings/two-factor/off/", follow=True).content.decode()
    assert twofactor.has_two_factor(owner)


def test_while_sent_to_set_it_up_a_person_may_still_log_out_and_open_public_pages(client, manager, owner):
    enable(manager)
    twofactor.twofactor_policy_set(required=True, actor=manager)
    password_step(client)
    assert client.get("/contact/").status_code == 200
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


def test_a_manager_turns_it_off_for_a_colleague_who_lost_their_phone(manager_client, owner):
    enable(owner)
    assert manager_client.post(f"/settings/people/{owner.pk}/two-factor/reset/").status_code == 302
    assert not twofactor.has_two_factor(owner)
    assert TeamEvent.objects.get(kind="twofactor.disabled").text == (
        "Seoyeon Kim turned off two-factor sign-in for Minji Park"
    )


def test_when_required_a_colleague_who_accepts_an_invitation_sets_it_up_first(manager, accept_data):
    from agency_crm.outbox import OutboundEmail
    from agency_crm.team.invitations import invitation_send
    from tests.agency_crm.team.conftest import invitation_link

    enable(manager)
    twofactor.twofactor_policy_set(required=True, actor=manager)
    invitation_send(email="haneul@agency.example", role="staff", language="en", actor=manager)
    newcomer = Client()
    newcomer.post(invitation_link(OutboundEmail.objects.get(kind="invitation")), accept_data(language="en"))
    assert newcomer.get("/inbox/")["Location"] == "/settings/two-factor/"
