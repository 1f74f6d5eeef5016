"""The outbox settings come from the environment and refuse bad values at start-up."""

import pytest

from tests.agency_crm.test_settings import PRODUCTION, run_manage


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MANAGEMENT_EMAIL": "not-an-address"}, "MANAGEMENT_EMAIL"),
        ({"OUTBOX_MAX_ATTEMPTS": "0"}, "OUTBOX_MAX_ATTEMPTS"),
        ({"OUTBOX_RETRY_BASE_SECONDS": "0"}, "OUTBOX_RETRY_BASE_SECONDS"),
        ({"OUTBOX_SENDING_LEASE_SECONDS": "60"}, "OUTBOX_SENDING_LEASE_SECONDS"),
        ({"OUTBOX_MAX_ATTEMPTS": "many"}, "many"),
        ({"OUTBOX_GIVE_UP_AFTER": "three days"}, "three days"),
        ({"OUTBOX_GIVE_UP_AFTER": "10"}, "OUTBOX_GIVE_UP_AFTER"),
        ({"OUTBOX_RETRY_MAX_SECONDS": "30"}, "OUTBOX_RETRY_MAX_SECONDS"),
    ],
)
def test_bad_outbox_settings_stop_the_start_up(env, message):
    result = run_manage("check", **PRODUCTION, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_defaults_come_from_the_site_and_the_sender():
    code = (
        "from django.conf import settings as s; "
        "print(s.MANAGEMENT_EMAIL, s.EMAIL_MESSAGE_ID_DOMAIN, s.OUTBOX_MAX_ATTEMPTS, "
        "s.OUTBOX_RETRY_BASE_SECONDS, s.OUTBOX_SENDING_LEASE_SECONDS, s.OUTBOX_RETRY_MAX_SECONDS, "
        "s.OUTBOX_GIVE_UP_AFTER)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        **PRODUCTION,
        SITE_URL="https://crm.hanbit.example",
        DEFAULT_FROM_EMAIL="Hanbit <hello@hanbit.example>",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "hello@hanbit.example",
        "crm.hanbit.example",
        "6",
        "60",
        "600",
        "3600",
        "259200",
    ]


def test_the_give_up_deadline_comes_from_the_environment():
    code = "from django.conf import settings as s; print(s.OUTBOX_GIVE_UP_AFTER)"
    result = run_manage("shell", "-c", code, **PRODUCTION, OUTBOX_GIVE_UP_AFTER="86400")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "86400"
