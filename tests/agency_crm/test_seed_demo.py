import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from agency_crm.roles import is_manager


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.managed}


@pytest.mark.django_db
def test_seed_demo_is_idempotent():
    call_command("seed_demo")
    first = _counts()
    assert first["auth.User"] == 3
    assert first["clients.Client"] >= 5
    call_command("seed_demo")
    second = _counts()
    # Everything except the session/axes bookkeeping is unchanged the second time.
    assert {k: v for k, v in second.items() if not k.startswith(("axes.", "sessions."))} == {
        k: v for k, v in first.items() if not k.startswith(("axes.", "sessions."))
    }


@pytest.mark.django_db
def test_seed_demo_creates_one_manager_and_two_staff(capsys):
    call_command("seed_demo")
    users = get_user_model().objects.order_by("username")
    assert [u.username for u in users if is_manager(u)] == ["manager"]
    assert sorted(u.username for u in users if not is_manager(u)) == ["junho", "minji"]
    assert "gonggam-manager" in capsys.readouterr().out


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_database_alone(owner):
    call_command("seed_demo", "--if-empty")
    assert get_user_model().objects.count() == 1
