"""The webhook settings fail loudly on values that cannot work."""

import pytest

from tests.agency_crm.test_settings import PRODUCTION, run_manage


@pytest.mark.parametrize(
    "env, says",
    [
        ({"WEBHOOKS_RETRY_SCHEDULE": "0,-5"}, "WEBHOOKS_RETRY_SCHEDULE"),
        ({"WEBHOOKS_RETRY_SCHEDULE": "0,soon"}, "invalid literal"),
        ({"WEBHOOKS_GIVE_UP_AFTER": "0"}, "WEBHOOKS_GIVE_UP_AFTER"),
        ({"WEBHOOKS_TIMEOUT_SECONDS": "200"}, "WEBHOOKS_TIMEOUT_SECONDS"),
    ],
)
def test_bad_webhook_settings_stop_the_start_up(env, says):
    result = run_manage("check", **PRODUCTION, **env)
    assert result.returncode != 0
    assert says in result.stderr
