"""/settings/tokens/: everyone makes and revokes their own tokens (shown once, kept as a digest);
managers see and revoke everyone's; nobody else's token is even found."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from agency_crm.api.models import PersonalToken
from tests.agency_crm.api.support import token_for
from tests.factories import ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return UserFactory(username="minji"), UserFactory(username="junho"), ManagerFactory(username="boss")


def test_a_token_is_made_with_its_scopes_and_expiry_and_kept_as_a_digest(client, people):
    minji, _junho, _boss = people
    client.force_login(minji)
    day = timezone.localdate() + dt.timedelta(days=30)
    page = client.post(
        reverse("api_tokens:list"), {"name": "Billing", "scopes": ["inquiries:read"], "expires_on": day.isoformat()}
    )
    token = PersonalToken.objects.get()
    secret = page.context["created"]["secret"]
    assert secret.startswith("gg_") and secret in page.content.decode()
    assert token.user == minji and token.scopes == ["inquiries:read"] and token.name == "Billing"
    assert timezone.localtime(token.expiry).date() == day
    assert secret not in (token.digest, token.token_key) and token.token_key == secret[:15]
    assert client.get(reverse("api:inquiries"), HTTP_AUTHORIZATION=f"Token {secret}").status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["clients:read"]},
        {"name": "x", "scopes": []},
        {"name": "x", "scopes": ["admin:everything"]},
        {"name": "x", "scopes": ["clients:read"], "expires_on": "2001-01-01"},
        {"name": "x", "scopes": ["care:write"]},  # care is read only
    ],
)
def test_a_bad_form_makes_no_token(client, people, data):
    client.force_login(people[0])
    assert client.post(reverse("api_tokens:list"), data).status_code == 200
    assert not PersonalToken.objects.exists()


def test_staff_see_and_revoke_only_their_own_tokens(client, people):
    minji, junho, _boss = people
    token_for(minji, name="Minji's")
    token_for(junho, name="Junho's")
    client.force_login(minji)
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "Minji&#x27;s" in page and "Junho&#x27;s" not in page
    theirs = PersonalToken.objects.get(user=junho)
    response = client.post(reverse("api_tokens:revoke", kwargs={"public_id": theirs.public_id}))
    assert response.status_code == 404 and PersonalToken.objects.filter(pk=theirs.pk).exists()
    mine = PersonalToken.objects.get(user=minji)
    assert client.post(reverse("api_tokens:revoke", kwargs={"public_id": mine.public_id})).status_code == 302
    assert not PersonalToken.objects.filter(pk=mine.pk).exists()


def test_managers_see_and_revoke_everyones_and_a_leavers_tokens_stop(client, people):
    minji, junho, boss = people
    header = token_for(junho, name="Junho's")
    junho.is_active = False
    junho.save()
    assert client.get(reverse("api:users"), HTTP_AUTHORIZATION=header).status_code == 401
    client.force_login(boss)
    page = client.get(reverse("api_tokens:list")).content.decode()
    assert "Junho&#x27;s" in page and "deactivated: stopped" in page
    token = PersonalToken.objects.get(user=junho)
    assert client.post(reverse("api_tokens:revoke", kwargs={"public_id": token.public_id})).status_code == 302
    assert not PersonalToken.objects.exists()


def test_revoke_takes_post_only(client, people):
    client.force_login(people[0])
    token_for(people[0])
    token = PersonalToken.objects.get()
    assert client.get(reverse("api_tokens:revoke", kwargs={"public_id": token.public_id})).status_code == 405
