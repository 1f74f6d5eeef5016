"""Personal access tokens: django-rest-knox's token (only a SHA-512 digest of the secret is kept,
found by its first 15 characters) with what /settings/tokens/ shows and the API checks: a name,
scopes, and when and from where it was last used. Revoking deletes the row: the secret stops at
once and nothing of it is left to steal.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class PersonalToken(AbstractAuthToken):
    # The page's handle for a token (revoke): never the digest, never part of the secret.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    scopes = models.JSONField(_("scopes"), default=list)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        # The tokens page lists a person's tokens, newest first.
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"

    @property
    def expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
