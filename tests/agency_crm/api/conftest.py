import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas' passwords need no real key stretching here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
