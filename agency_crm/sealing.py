"""Secrets the app must keep in its database (a mailbox password), sealed with a key derived from
settings.SECRET_KEY: Fernet (AES-128-CBC with an HMAC-SHA256 tag) under a 32-byte key that HKDF
derives from the secret key and a purpose, so each use gets its own key and none is the signing
key itself. Keys of settings.SECRET_KEY_FALLBACKS still open what they sealed, as Django's
signing does, so a rotated SECRET_KEY does not lose the stored secrets; a secret sealed under a
key no longer listed cannot be opened (SealedSecretError), and has to be entered again.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SealedSecretError(Exception):
    """The sealed text was changed, or sealed under a secret key that is no longer configured."""


def _fernet(secret_key: str, purpose: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"gonggam:{purpose}".encode()).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _keys(purpose: str) -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(key, purpose) for key in keys])


def secret_seal(*, text: str, purpose: str) -> str:
    """`text` sealed for `purpose` (ASCII, safe to store in a text column)."""
    return _keys(purpose).encrypt(text.encode()).decode("ascii")


def secret_open(*, sealed: str, purpose: str) -> str:
    try:
        return _keys(purpose).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise SealedSecretError(purpose) from exc
