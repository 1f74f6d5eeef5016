"""Poll the IMAP mailbox (and test the connection to it): fetch each new message, import it, and only then flag it.

Order matters for "no message ever lost": a message is flagged as processed on the server only
after `mail_ingest` committed it (or committed it to the "could not import" list). A crash in
between leaves it unflagged; the next poll reads it again and the stored Message-ID makes the
second import a no-op ("duplicate"), after which it is flagged. Messages are processed one at a
time, so one bad email never blocks the ones behind it.

Processed messages get the keyword flag `$GonggamImported` when the mailbox accepts keywords
(PERMANENTFLAGS contains \\*), otherwise \\Seen. The search is for messages without that flag.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
import re
import socket
import ssl
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .mailbox import ImapConfig, mailbox_config
from .models import MailboxConnection, MailboxState, MailSource

logger = logging.getLogger(__name__)

KEYWORD = "$GonggamImported"
# A per-process lock id for pg_try_advisory_lock: only one poller reads the mailbox at a time.
ADVISORY_LOCK_ID = 0x6D61696C696E  # "mailin"
UID_RE = re.compile(rb"UID (\d+)")


@dataclass
class PollResult:
    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped_locked: bool = False
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "ingested": self.ingested,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "skipped_locked": self.skipped_locked,
        }


class MailboxError(Exception):
    pass


def _check(typ, data, what: str):
    if typ != "OK":
        raise MailboxError(f"IMAP {what} failed: {typ} {data!r}"[:500])
    return data


def open_connection(config: ImapConfig) -> imaplib.IMAP4:
    """Log in to the mailbox `config` describes (followups.mailin.mailbox.mailbox_config)."""
    if config.use_ssl:
        imap = imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=ssl.create_default_context(), timeout=config.timeout
        )
    else:
        imap = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
        if config.starttls:
            imap.starttls(ssl_context=ssl.create_default_context())
    try:
        _check(*imap.login(config.user, config.password), "LOGIN")
    except BaseException:
        _logout(imap)
        raise
    return imap


@contextmanager
def _advisory_lock():
    if connection.vendor != "postgresql":
        # SQLite (make run) has a single beat process; nothing to coordinate.
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_ID])
        locked = cursor.fetchone()[0]
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_ID])


def _processed_flag(imap: imaplib.IMAP4) -> str:
    permanent = b" ".join(d for d in (imap.response("PERMANENTFLAGS")[1] or []) if d)
    return KEYWORD if b"\\*" in permanent or KEYWORD.encode() in permanent else "\\Seen"


def _unprocessed_uids(imap: imaplib.IMAP4, flag: str) -> list[bytes]:
    criteria = "UNSEEN" if flag == "\\Seen" else f"UNKEYWORD {flag}"
    data = _check(*imap.uid("SEARCH", None, f"NOT DELETED {criteria}"), "SEARCH")
    return [uid for uid in (data[0] or b"").split() if uid.isdigit()]


def _fetch(imap: imaplib.IMAP4, uid: bytes) -> bytes | None:
    data = _check(*imap.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH")
    for item in data:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def mark_processed(imap: imaplib.IMAP4, uid: bytes, flag: str) -> None:
    _check(*imap.uid("STORE", uid, "+FLAGS.SILENT", f"({flag})"), "STORE")


def mailbox_poll(*, limit: int = 200, imap: imaplib.IMAP4 | None = None) -> PollResult:
    """Import up to `limit` new messages from the mailbox; safe to run concurrently and twice."""
    from .ingest import mail_ingest

    result = PollResult()
    with _advisory_lock() as locked:
        if not locked:
            result.skipped_locked = True
            return result
        own_connection = imap is None
        error = ""
        try:
            config = mailbox_config()
            if imap is None:
                if config is None:
                    raise MailboxError("No mailbox is connected (/settings/mailbox/) and IMAP_HOST is not set.")
                imap = open_connection(config)
            folder = config.folder if config is not None else settings.IMAP_FOLDER
            _check(*imap.select(_quote(folder)), "SELECT")
            flag = _processed_flag(imap)
            for uid in _unprocessed_uids(imap, flag)[:limit]:
                raw = _fetch(imap, uid)
                if raw is None:
                    # Expunged by someone else between SEARCH and FETCH: nothing to import.
                    continue
                outcome = mail_ingest(raw=raw, source=MailSource.IMAP).outcome
                if outcome == "ingested":
                    result.ingested += 1
                elif outcome == "duplicate":
                    result.duplicates += 1
                else:
                    result.failed += 1
                # Only now, with the import committed, may the server forget about it.
                mark_processed(imap, uid, flag)
        except (OSError, imaplib.IMAP4.error, MailboxError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:2000]
            result.errors.append(error)
            logger.warning("mailin: polling the mailbox failed: %s", error)
        finally:
            if own_connection and imap is not None:
                _logout(imap)
            MailboxState.load()
            MailboxState.objects.filter(pk=1).update(
                last_poll_at=timezone.now(), last_poll_result=result.as_dict(), last_error=error
            )
    return result


def _logout(imap: imaplib.IMAP4) -> None:
    try:
        imap.logout()
    except (OSError, imaplib.IMAP4.error):
        pass


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- *Test the connection* on /settings/mailbox/ -------------------------------------------------
@dataclass(frozen=True)
class ConnectionTest:
    ok: bool
    message: str
    count: int | None = None


def _reason(exc: BaseException, config: ImapConfig) -> str:
    """What went wrong, in words a manager can act on (never the password, never a traceback)."""
    where = {"host": config.host, "port": config.port}
    if isinstance(exc, imaplib.IMAP4.error):
        return _("The server refused the user name or password.")
    if isinstance(exc, socket.gaierror):
        return _("The server %(host)s could not be found. Check its name.") % where
    if isinstance(exc, ConnectionRefusedError):
        return _("Nothing answers at %(host)s on port %(port)s. Check the server and the port.") % where
    if isinstance(exc, TimeoutError | socket.timeout):
        return _("%(host)s did not answer within %(seconds)s seconds.") % {**where, "seconds": config.timeout}
    if isinstance(exc, ssl.SSLError):
        return (
            _(
                "The secure connection to %(host)s failed. Check that the security setting matches the port "
                "(SSL/TLS on 993, STARTTLS on 143)."
            )
            % where
        )
    return _("Could not connect to %(host)s on port %(port)s (%(error)s).") % {
        **where,
        "error": type(exc).__name__,
    }


def mailbox_connection_check(*, config: ImapConfig) -> ConnectionTest:
    """Log in to the mailbox, open its folder and count the messages there; nothing is changed
    on the server (EXAMINE opens the folder read-only)."""
    try:
        imap = open_connection(config)
    except (OSError, imaplib.IMAP4.error, MailboxError) as exc:
        return ConnectionTest(ok=False, message=_reason(exc, config))
    try:
        typ, data = imap.select(_quote(config.folder), readonly=True)
        if typ != "OK":
            return ConnectionTest(
                ok=False,
                message=_("Logged in, but the folder %(folder)s could not be opened.") % {"folder": config.folder},
            )
        count = int((data or [b"0"])[0] or 0)
    except (OSError, imaplib.IMAP4.error, ValueError) as exc:
        return ConnectionTest(ok=False, message=_reason(exc, config))
    finally:
        _logout(imap)
    return ConnectionTest(
        ok=True,
        message=ngettext(
            "Logged in to %(user)s at %(host)s: %(count)s message in %(folder)s.",
            "Logged in to %(user)s at %(host)s: %(count)s messages in %(folder)s.",
            count,
        )
        % {"user": config.user, "host": config.host, "count": count, "folder": config.folder},
        count=count,
    )


def mailbox_connection_test(*, now: dt.datetime | None = None) -> ConnectionTest | None:
    """*Test the connection* on /settings/mailbox/: the mailbox the poller reads (None when there
    is none). The stored mailbox keeps the outcome, shown on the page."""
    config = mailbox_config()
    if config is None:
        return None
    outcome = mailbox_connection_check(config=config)
    if config.stored:
        MailboxConnection.objects.filter(pk=1).update(
            last_test_at=now or timezone.now(), last_test_ok=outcome.ok, last_test_message=outcome.message
        )
    return outcome
