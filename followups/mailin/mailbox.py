"""Which mailbox the poller reads, and the services of /settings/mailbox/ (managers).

The mailbox a manager connected in the app (MailboxConnection, its password sealed with a key
derived from SECRET_KEY) wins; without one, the IMAP_* settings are the default, for deployments
that keep the mailbox in their environment. `mailbox_config()` is the one place that decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from agency_crm.sealing import SealedSecretError, secret_open, secret_seal

from .models import MailboxConnection, MailboxState

# The key of the mailbox password (agency_crm.sealing): a purpose of its own.
PASSWORD_PURPOSE = "followups.mailin.mailbox-password"


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    use_ssl: bool
    starttls: bool
    user: str
    password: str = field(repr=False)
    folder: str
    poll_seconds: int
    stored: bool  # True: the mailbox connected in the app; False: the IMAP_* settings

    @property
    def timeout(self) -> int:
        return settings.IMAP_TIMEOUT


def _from_connection(row: MailboxConnection, password: str) -> ImapConfig:
    return ImapConfig(
        host=row.host,
        port=row.port,
        use_ssl=row.security == MailboxConnection.Security.SSL,
        starttls=row.security == MailboxConnection.Security.STARTTLS,
        user=row.username,
        password=password,
        folder=row.folder,
        poll_seconds=row.poll_seconds,
        stored=True,
    )


def mailbox_config() -> ImapConfig | None:
    """The mailbox to poll: the stored one, else IMAP_* when IMAP_HOST is set, else None."""
    row = MailboxConnection.objects.filter(pk=1).first()
    if row is not None:
        try:
            password = secret_open(sealed=row.password_sealed, purpose=PASSWORD_PURPOSE)
        except SealedSecretError:
            # Sealed under a SECRET_KEY no longer configured: the login fails and says so.
            password = ""
        return _from_connection(row, password)
    if settings.IMAP_HOST:
        return ImapConfig(
            host=settings.IMAP_HOST,
            port=settings.IMAP_PORT,
            use_ssl=settings.IMAP_USE_SSL,
            starttls=settings.IMAP_STARTTLS,
            user=settings.IMAP_USER,
            password=settings.IMAP_PASSWORD,
            folder=settings.IMAP_FOLDER,
            poll_seconds=settings.IMAP_POLL_SECONDS,
            stored=False,
        )
    return None


def mailbox_connected() -> bool:
    """Is there a mailbox to poll (stored, or in the settings)? One query at most."""
    return bool(settings.IMAP_HOST) or MailboxConnection.objects.filter(pk=1).exists()


def mailbox_poll_due(*, now: dt.datetime) -> bool:
    """Beat asks every few seconds; the mailbox is read once its poll interval has passed."""
    config = mailbox_config()
    if config is None:
        return False
    last = MailboxState.objects.filter(pk=1).values_list("last_poll_at", flat=True).first()
    # One second of slack: beat's tick and the poll's own duration must not skip a whole tick.
    return last is None or (now - last).total_seconds() >= config.poll_seconds - 1


@transaction.atomic
def mailbox_connection_save(
    *,
    host: str,
    port: int,
    security: str,
    username: str,
    password: str,
    folder: str,
    poll_seconds: int,
    by,
) -> MailboxConnection:
    """Store the mailbox; an empty `password` keeps the stored one (it is never shown again)."""
    row = MailboxConnection.objects.select_for_update().filter(pk=1).first() or MailboxConnection(pk=1)
    if password:
        row.password_sealed = secret_seal(text=password, purpose=PASSWORD_PURPOSE)
    elif not row.password_sealed:
        raise ValueError("A new mailbox needs its password.")
    row.host, row.port, row.security, row.username = host.strip(), port, security, username.strip()
    row.folder, row.poll_seconds, row.updated_by = folder.strip() or "INBOX", poll_seconds, by
    # A changed mailbox has not been tested yet.
    row.last_test_at, row.last_test_ok, row.last_test_message = None, None, ""
    row.save()
    return row


def mailbox_connection_remove(*, by) -> None:
    """Forget the stored mailbox (the IMAP_* settings, if any, are read again)."""
    MailboxConnection.objects.filter(pk=1).delete()
