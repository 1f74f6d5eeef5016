import pytest
from django.test import override_settings

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_login_with_the_right_password_reaches_home(client, owner):
    response = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_wrong_password_shows_a_form_error(client, owner):
    response = client.post("/accounts/login/", {"username": "owner", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_out_with_a_clear_message(client, owner):
    for _ in range(2):
        assert client.post("/accounts/login/", {"username": "owner", "password": "wrong"}).status_code == 200
    locked = client.post("/accounts/login/", {"username": "owner", "password": "wrong"})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Even the right password is refused while locked out.
    again = client.post("/accounts/login/", {"username": "owner", "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_is_per_username(client, owner, other_staff):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "owner", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "other", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(owner_client):
    response = owner_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert owner_client.get("/clients/").status_code == 302


@pytest.mark.django_db
def test_password_reset_page_is_public(client):
    response = client.get("/accounts/password_reset/")
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()
