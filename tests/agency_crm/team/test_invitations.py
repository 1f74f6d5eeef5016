"""Inviting a colleague: the email (language, link from SITE_URL, a staff email with no customer
links), accepting once with Django's password validators, expired, reused, cancelled and resent
links."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from agency_crm.outbox.signature import STAFF_KINDS
from agency_crm.preferences.services import language_for
from agency_crm.roles import is_manager
from agency_crm.team import invitations
from agency_crm.team.models import Invitation, TeamEvent
from tests.agency_crm.team.conftest import invitation_link

pytestmark = pytest.mark.django_db
User = get_user_model()


def _invite(manager, **overrides):
    values = {"email": "haneul@agency.example", "role": "staff", "language": "ko", "actor": manager}
    values.update(overrides)
    return invitations.invitation_send(**values)


def test_an_invitation_is_a_staff_email_in_the_chosen_language_with_a_link_from_site_url(manager, settings):
    settings.SITE_URL = "http://testserver"
    invitation = _invite(manager, first_name="Haneul", last_name="Kim")
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.INVITATION)
    assert "invitation" in STAFF_KINDS
    assert email.to == ["haneul@agency.example"] and email.language == "ko" and email.client is None
    assert "초대" in email.subject
    assert invitation_link(email).startswith("/join/")
    # A staff email: the internal footer, never the customers' feedback or self-service links.
    assert "/feedback/" not in email.text_body and "/my/" not in email.text_body
    assert "직원용 내부 이메일입니다." in email.text_body  # the staff footer, in Korean
    assert "Seoyeon Kim 님이 Gonggam Demo Agency의 CRM인 공감(Gonggam)에 직원(으)로 초대했습니다" in email.text_body
    assert invitation.expires_at - timezone.now() > timedelta(days=6)


def test_managers_see_the_invitation_link_hidden_in_the_outbox(manager_client, manager):
    _invite(manager, language="en")
    email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.INVITATION)
    page = manager_client.get(f"/outbox/{email.pk}/").content.decode()
    assert "/join/" not in page and "[invitation link hidden]" in page


def test_the_invite_page_sends_and_shows_the_open_invitation(manager_client):
    response = manager_client.post(
        "/settings/people/invite/", {"email": "new@agency.example", "role": "manager", "language": "en"}
    )
    assert response.status_code == 302
    page = manager_client.get("/settings/people/").content.decode()
    assert "new@agency.example" in page and "Send again" in page
    assert TeamEvent.objects.get(kind="invitation.sent").text.endswith("invited new@agency.example as Manager")


def test_an_address_already_invited_or_in_use_is_refused_on_the_field(manager_client, manager, owner):
    _invite(manager)
    again = manager_client.post(
        "/settings/people/invite/", {"email": "HANEUL@agency.example", "role": "staff", "language": "en"}
    )
    assert again.status_code == 400
    assert again.context["form"].errors["email"] == [
        "This address has already been invited. Resend that invitation from the team page."
    ]
    taken = manager_client.post("/settings/people/invite/", {"email": owner.email, "role": "staff", "language": "en"})
    assert "already has an account" in taken.context["form"].errors["email"][0]


def test_accepting_creates_the_colleague_in_their_role_and_language_and_logs_them_in(client, manager, accept_data):
    _invite(manager, role="manager", first_name="Haneul")
    path = invitation_link(OutboundEmail.objects.get(kind="invitation"))
    page = client.get(path)
    assert page.status_code == 200 and 'value="haneul"' in page.content.decode()
    response = client.post(path, accept_data())
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(username="haneul")
    assert user.email == "haneul@agency.example" and is_manager(user) and user.is_staff
    assert language_for(user) == "ko"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get("/clients/").status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.accepted_user == user and invitation.accepted_at is not None


def test_a_weak_password_is_refused_on_the_field_and_nothing_is_created(client, manager, accept_data):
    _invite(manager)
    path = invitation_link(OutboundEmail.objects.get(kind="invitation"))
    response = client.post(path, accept_data(password1="12345678", password2="12345678"))
    assert response.status_code == 400
    errors = response.context["form"].errors["password1"]
    assert "This password is too common." in errors and "This password is entirely numeric." in errors
    similar = client.post(path, accept_data(password1="haneul2026", password2="haneul2026"))
    assert any("too similar" in e for e in similar.context["form"].errors["password1"])
    assert not User.objects.filter(username="haneul").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_used_link_works_only_once(client, manager, accept_data):
    _invite(manager)
    path = invitation_link(OutboundEmail.objects.get(kind="invitation"))
    assert client.post(path, accept_data()).status_code == 302
    client.logout()
    again = client.post(path, accept_data(username="second"))
    assert again.status_code == 404
    assert "already been used" in again.content.decode()
    assert User.objects.filter(email="haneul@agency.example").count() == 1


def test_an_expired_link_is_refused(client, manager, accept_data):
    _invite(manager)
    path = invitation_link(OutboundEmail.objects.get(kind="invitation"))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.get(path)
        assert response.status_code == 404 and "has expired" in response.content.decode()
        assert client.post(path, accept_data()).status_code == 404
    assert not User.objects.filter(username="haneul").exists()


def test_a_tampered_link_is_refused(client, manager):
    _invite(manager)
    path = invitation_link(OutboundEmail.objects.get(kind="invitation"))
    response = client.get(path[:-3] + "xx/")
    assert response.status_code == 404 and "not valid" in response.content.decode()


def test_a_cancelled_link_is_refused(client, manager_client, manager, accept_data):
    invitation = _invite(manager)
    path = invitation_link(OutboundEmail.objects.get(kind="invitation"))
    assert manager_client.post(f"/settings/people/invitations/{invitation.pk}/cancel/").status_code == 302
    manager_client.logout()
    response = client.post(path, accept_data())
    assert response.status_code == 404 and "was cancelled" in response.content.decode()
    assert TeamEvent.objects.filter(kind="invitation.cancelled").count() == 1
    with pytest.raises(ValidationError):
        invitations.invitation_resend(invitation=invitation, actor=manager)


def test_resending_sends_a_new_link_and_the_older_one_stops_working(client, manager_client, manager, accept_data):
    invitation = _invite(manager)
    first = invitation_link(OutboundEmail.objects.get(kind="invitation"))
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        assert manager_client.post(f"/settings/people/invitations/{invitation.pk}/resend/").status_code == 302
        second_email = OutboundEmail.objects.filter(kind="invitation").order_by("-pk").first()
        second = invitation_link(second_email)
    assert second != first and second_email.language == "ko"
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    manager_client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=9)):
        # 9 days after the first email, 4 after the second: the new link still works.
        assert "newer invitation" in client.get(first).content.decode()
        assert client.post(second, accept_data()).status_code == 302
    assert TeamEvent.objects.filter(kind="invitation.resent").count() == 1


def test_staff_cannot_invite(other_client):
    assert other_client.get("/settings/people/invite/").status_code == 403
    assert other_client.post("/settings/people/invite/", {"email": "x@agency.example"}).status_code == 403
    assert not Invitation.objects.exists()
