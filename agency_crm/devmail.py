"""Reads the mail files that Django's file-based email backend writes under var/mail/.

A development convenience: with no SMTP server configured, staff can still read every email
the system wrote. Every header and body is shown as text.
"""

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.utils import timezone

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


@dataclass
class DevMail:
    file: str
    index: int
    written_at: datetime
    subject: str
    sender: str
    to: str
    text: str


def _text_of(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, UnicodeDecodeError):
        return part.get_payload(decode=True).decode("utf-8", "replace")


def list_dev_mail(limit: int = 200) -> list[DevMail]:
    mail_dir = Path(settings.MAIL_DIR)
    if not mail_dir.is_dir():
        return []
    files = sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    mails: list[DevMail] = []
    parser = BytesParser(policy=policy.default)
    for path in files:
        written_at = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.get_current_timezone())
        chunks = [c for c in path.read_bytes().split(SEPARATOR) if c.strip()]
        for index, chunk in enumerate(chunks):
            message = parser.parsebytes(chunk.strip(b"\n"))
            mails.append(
                DevMail(
                    file=path.name,
                    index=index,
                    written_at=written_at,
                    subject=str(message.get("Subject", "")),
                    sender=str(message.get("From", "")),
                    to=str(message.get("To", "")),
                    text=_text_of(message),
                )
            )
            if len(mails) >= limit:
                return mails
    return mails
