"""Secrets kept in the database are sealed with a key derived from SECRET_KEY (agency_crm.sealing)."""

import pytest

from agency_crm.sealing import SealedSecretError, secret_open, secret_seal


def test_a_sealed_secret_opens_again_and_does_not_show_the_text():
    sealed = secret_seal(text="imap-password-123", purpose="mailbox")
    assert "imap-password-123" not in sealed
    assert secret_open(sealed=sealed, purpose="mailbox") == "imap-password-123"


def test_each_purpose_has_its_own_key():
    sealed = secret_seal(text="imap-password-123", purpose="mailbox")
    with pytest.raises(SealedSecretError):
        secret_open(sealed=sealed, purpose="another use")


def test_a_rotated_secret_key_still_opens_through_the_fallbacks(settings):
    sealed = secret_seal(text="비밀번호", purpose="mailbox")
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    with pytest.raises(SealedSecretError):
        secret_open(sealed=sealed, purpose="mailbox")
    settings.SECRET_KEY_FALLBACKS = [old]
    assert secret_open(sealed=sealed, purpose="mailbox") == "비밀번호"


def test_a_changed_token_is_refused():
    sealed = secret_seal(text="imap-password-123", purpose="mailbox")
    with pytest.raises(SealedSecretError):
        secret_open(sealed=sealed[:-4] + "AAAA", purpose="mailbox")
