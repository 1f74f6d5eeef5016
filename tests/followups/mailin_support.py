"""Helpers for the inbound email tests: message builders, a private Dovecot IMAP server on
loopback, and the location of CPython's email test corpus."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from email.header import Header
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from pathlib import Path

import pytest
from django.utils import timezone

DOVECOT = os.environ.get("DOVECOT_PATH", "/usr/sbin/dovecot")


def build_email(
    *,
    from_: str = "Kim Minji <minji@customer.example>",
    to: str = "crm@localhost",
    subject: str = "Question about the app",
    body: str = "Hello, the login page shows an error.",
    charset: str = "utf-8",
    message_id: str | None = "auto",
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    headers: dict[str, str] | None = None,
    html: str | None = None,
    date=None,
) -> Message:
    """An email as a customer's mail program would send it, subject, name and body in `charset`.

    Legacy charsets are built with the compat32 classes, which encode the headers in the
    charset itself (=?euc-kr?b?...?=, =?ks_c_5601-1987?b?...?= for CP949), as Korean mail
    programs do; policy.default would silently re-encode them as UTF-8.
    """
    legacy = charset not in {"utf-8", "us-ascii"}
    if legacy:
        text_part = MIMEText(body, "plain", charset) if body is not None else None
        html_part = MIMEText(html, "html", charset) if html is not None else None
        if text_part is not None and html_part is not None:
            message = MIMEMultipart("alternative")
            message.attach(text_part)
            message.attach(html_part)
        else:
            message = text_part or html_part
        name, address = parseaddr(from_)
        message["From"] = formataddr((name, address), charset=charset) if name else address
        message["Subject"] = Header(subject, charset)
    else:
        message = EmailMessage()
        message["From"] = from_
        message["Subject"] = subject
        if body is not None:
            message.set_content(body, charset=charset)
        if html is not None:
            if body is None:
                message.set_content(html, subtype="html", charset=charset)
            else:
                message.add_alternative(html, subtype="html", charset=charset)
    message["To"] = to
    message["Date"] = format_datetime(date or timezone.now())
    if message_id == "auto":
        message["Message-ID"] = make_msgid(domain="customer.example")
    elif message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = " ".join(references)
    for name, value in (headers or {}).items():
        message[name] = value
    return message


def email_corpus_dir() -> Path:
    """CPython's own email test messages (test/test_email/data/msg_*.txt).

    They ship with Python's test package: pyenv and python.org builds include it; on Debian's
    python3.11 it is the libpython3.11-testsuite package (scripts/ensure_services.sh installs it).
    """
    try:
        import test.test_email as test_email
    except ImportError:
        candidates = [Path("/usr/lib/python3.11/test/test_email/data")]
    else:
        candidates = [Path(test_email.__file__).parent / "data"]
    for candidate in candidates:
        if list(candidate.glob("msg_*.txt")):
            return candidate
    pytest.fail(
        "CPython's email test corpus (test/test_email/data) is missing: install Python's test package "
        "(Debian: apt-get install libpython3.11-testsuite; `make test` does it)."
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    """A private Dovecot IMAP server on 127.0.0.1 with one mailbox user, in a temporary folder."""

    user = "crm"
    password = "imap-test-password"

    def __init__(self):
        self.port = _free_port()
        # Not pytest's tmp_path: the mail processes run as an unprivileged user (Dovecot never
        # serves mail as root), and tmp_path's parents are private to root.
        self.root = Path(tempfile.mkdtemp(prefix="gonggam-dovecot-"))
        self.root.chmod(0o755)
        if os.getuid() == 0:
            account = pwd.getpwnam("dovenull")
            self.mail_uid, self.mail_gid = account.pw_uid, account.pw_gid
            self.login_user = "dovenull"
            self.internal_user = "root"
        else:
            self.mail_uid, self.mail_gid = os.getuid(), os.getgid()
            self.login_user = self.internal_user = pwd.getpwuid(os.getuid()).pw_name
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir()
        for sub in ("mail", "home"):
            os.chown(self.root / sub, self.mail_uid, self.mail_gid)
        (self.root / "users").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        self.config = self.root / "dovecot.conf"
        self.config.write_text(self._config())
        self.proc: subprocess.Popen | None = None

    def _config(self) -> str:
        r = self.root
        return f"""
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {self.internal_user}
default_internal_group = {self.internal_user}
default_login_user = {self.login_user}
first_valid_uid = {min(self.mail_uid, 100)}
mail_location = maildir:{r}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/users
}}
userdb {{
  driver = static
  args = uid={self.mail_uid} gid={self.mail_gid} home={r}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
"""

    def start(self) -> Dovecot:
        if not os.access(DOVECOT, os.X_OK):
            pytest.fail(f"{DOVECOT} is missing: run `make test` (it installs Debian's dovecot-imapd).")
        self.proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                imap = self.connect()
            except (OSError, imaplib.IMAP4.error):
                if self.proc.poll() is not None:
                    raise AssertionError(f"dovecot exited:\n{self.log()}") from None
                time.sleep(0.1)
                continue
            imap.logout()
            return self
        raise AssertionError(f"dovecot did not answer within 20s:\n{self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def connect(self) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def append(self, message, folder: str = "INBOX") -> None:
        raw = message if isinstance(message, bytes) else message.as_bytes()
        imap = self.connect()
        try:
            typ, data = imap.append(folder, None, None, raw)
            assert typ == "OK", data
        finally:
            imap.logout()

    def flagged_count(self, flag: str = "$GonggamImported") -> tuple[int, int]:
        """(messages with the flag, messages in INBOX)."""
        imap = self.connect()
        try:
            imap.select("INBOX")
            flagged = imap.uid("SEARCH", None, f"KEYWORD {flag}")[1][0].split()
            everything = imap.uid("SEARCH", None, "ALL")[1][0].split()
            return len(flagged), len(everything)
        finally:
            imap.logout()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)

    def settings(self) -> dict:
        return {
            "IMAP_HOST": "127.0.0.1",
            "IMAP_PORT": self.port,
            "IMAP_USE_SSL": False,
            "IMAP_STARTTLS": False,
            "IMAP_USER": self.user,
            "IMAP_PASSWORD": self.password,
            "IMAP_FOLDER": "INBOX",
            "IMAP_TIMEOUT": 10,
        }


@pytest.fixture
def dovecot(settings):
    """A running private Dovecot; Django's IMAP_* settings point at it for the test."""
    server = Dovecot().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()
