"""Parse raw email bytes into a ParsedEmail, never raising on bad input.

Python's `email` package (policy.default) does the MIME work; this module adds what a CRM needs
on top: every header read defensively (a malformed header is recorded as a defect, not raised),
Korean charsets decoded the way real mail uses them (EUC-KR labels often carry CP949-only
characters, so they are decoded as CP949, its superset), a text body for HTML-only mail,
attachments with a size cap, a cap on the number of MIME parts walked, auto-reply and bounce
detection, and a stable synthesized Message-ID (a hash of the bytes) when the header is missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.header import decode_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from agency_crm.text import clean_line, clean_text

from .html import html_to_text, sanitize_html

MESSAGE_ID_RE = re.compile(r"<([^<>\s]{1,500})>")
SYNTHESIZED_DOMAIN = "synthesized.gonggam.invalid"
MAX_MESSAGE_ID = 255
MAX_SUBJECT = 998
# Charset labels as mail clients send them, mapped to the codec that decodes them correctly.
CHARSET_ALIASES = {
    "euc-kr": "cp949",
    "euc_kr": "cp949",
    "euckr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ksc5601": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "unknown-8bit": "utf-8",
    "x-unknown": "utf-8",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
}
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
BOUNCE_SENDERS = {"mailer-daemon", "postmaster"}


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    size: int
    content: bytes | None  # None when larger than MAILIN_MAX_ATTACHMENT_BYTES (not stored)
    content_id: str = ""

    @property
    def too_large(self) -> bool:
        return self.content is None


@dataclass
class ParsedEmail:
    message_id: str
    message_id_synthesized: bool
    subject: str
    from_address: str  # lower-case, "" when the From header holds no usable address
    from_name: str
    recipients: list[str]  # To, Cc, Delivered-To, X-Original-To (for the plus-address token)
    in_reply_to: list[str]
    references: list[str]
    sent_at: dt.datetime | None
    text: str
    html: str  # sanitised (html.sanitize_html), "" when the mail has no HTML part
    attachments: list[ParsedAttachment] = field(default_factory=list)
    automatic_reason: str = ""  # why it is an auto-reply or bounce; "" for a person's mail
    defects: list[str] = field(default_factory=list)
    raw_size: int = 0
    sha256: str = ""

    @property
    def is_automatic(self) -> bool:
        return bool(self.automatic_reason)


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Decode with the declared charset (aliases applied), else UTF-8, else CP949, never raising."""
    candidates = []
    if charset:
        label = charset.strip().strip('"').lower()
        candidates.append(CHARSET_ALIASES.get(label, label))
    candidates += ["utf-8", "cp949"]
    for codec in candidates:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return data.decode("utf-8", errors="replace")


def decode_header_value(value: str) -> str:
    """Decode RFC 2047 encoded words ourselves, with the Korean aliases and never raising."""
    try:
        chunks = decode_header(value)
    except Exception:
        return value
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes) and charset is None:
            # decode_header hands back the unencoded text between encoded words this way.
            out.append(chunk.decode("raw-unicode-escape", errors="replace"))
        elif isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    text = "".join(out)
    # decode_header keeps the whitespace between plain and encoded words; fold line breaks.
    return " ".join(text.split())


def _raw_header(message: EmailMessage, name: str) -> str | None:
    """The header's raw value, without policy.default's parsing (which can raise)."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            if isinstance(value, str):
                return value
            return str(value)
    return None


def _raw_headers(message: EmailMessage, name: str) -> list[str]:
    return [str(v) for k, v in message.raw_items() if k.lower() == name.lower()]


def _unsurrogate(text: str) -> str:
    """Raw 8-bit header bytes arrive surrogate-escaped: decode them as UTF-8, else as Korean."""
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return text
    data = text.encode("utf-8", errors="surrogateescape")
    return decode_bytes(data, "utf-8" if _is_utf8(data) else "cp949")


def _header_text(message: EmailMessage, name: str, defects: list[str]) -> str:
    raw = _raw_header(message, name)
    if raw is None:
        return ""
    raw = raw.replace("\r", "").replace("\n", " ")
    fixed = _unsurrogate(raw)
    if fixed != raw:
        defects.append(f"{name}: 8-bit header bytes")
        raw = fixed
    try:
        return decode_header_value(raw)
    except Exception as exc:  # defensive: decode_header_value already swallows errors
        defects.append(f"{name}: {exc}")
        return raw


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _message_ids(value: str) -> list[str]:
    return [f"<{m}>" for m in MESSAGE_ID_RE.findall(value or "")]


def _clean_message_id(value: str) -> str:
    if len(value) <= MAX_MESSAGE_ID:
        return value
    # An absurdly long id still has to deduplicate: keep a stable digest of it.
    return f"<{hashlib.sha256(value.encode()).hexdigest()}@long.gonggam.invalid>"


def _valid_address(address: str) -> str:
    address = (address or "").strip().lower()
    if not address or len(address) > 254:  # RFC 5321's limit, and our column's
        return ""
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def _addresses(message: EmailMessage, names: list[str]) -> list[str]:
    values = []
    for name in names:
        values += [v.replace("\r", "").replace("\n", " ") for v in _raw_headers(message, name)]
    try:
        pairs = getaddresses(values)
    except Exception:
        return []
    return [addr.lower() for _name, addr in pairs if "@" in (addr or "")]


def _sent_at(message: EmailMessage, defects: list[str]) -> dt.datetime | None:
    raw = _raw_header(message, "Date")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError) as exc:
        defects.append(f"Date: {exc}")
        return None
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        return moment.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        return None


def _automatic_reason(message: EmailMessage, from_address: str, content_types: set[str]) -> str:
    auto_submitted = (_raw_header(message, "Auto-Submitted") or "").strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return f"Auto-Submitted: {auto_submitted[:50]}"
    precedence = (_raw_header(message, "Precedence") or "").strip().lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "X-Autogenerated"):
        if _raw_header(message, name) is not None:
            return name
    if "message/delivery-status" in content_types or "message/disposition-notification" in content_types:
        return "delivery status notification"
    if message.get_content_type() == "multipart/report":
        return "delivery status notification"
    if from_address.split("@", 1)[0] in BOUNCE_SENDERS:
        return "bounce sender"
    return_path = _raw_header(message, "Return-Path")
    if return_path is not None and return_path.strip() == "<>":
        return "null return path"
    return ""


def _part_filename(part, defects: list[str]) -> str:
    try:
        name = part.get_filename() or ""
    except Exception as exc:
        defects.append(f"filename: {exc}")
        name = ""
    name = decode_header_value(str(name)) if "=?" in str(name) else str(name)
    # Only the last path segment, no control characters; shown as text and sent as a download.
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:200]


def _payload(part, defects: list[str]) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception as exc:
        defects.append(f"payload: {exc}")
        payload = None
    if payload is None:
        raw = part.get_payload()
        if isinstance(raw, str):
            payload = raw.encode("utf-8", errors="surrogateescape")
        elif isinstance(raw, list) and raw:
            # message/rfc822: keep the inner message as bytes.
            try:
                payload = raw[0].as_bytes(policy=policy.default.clone(max_line_length=0))
            except Exception:
                payload = str(raw[0]).encode("utf-8", errors="replace")
        else:
            payload = b""
    return payload


def _walk(message: EmailMessage, limit: int, defects: list[str]):
    count = 0
    for part in message.walk():
        count += 1
        if count > limit:
            defects.append(f"more than {limit} MIME parts; the rest was not read")
            return
        yield part


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse raw RFC 5322 bytes. Bad input becomes defects, never an exception."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="surrogateescape")
    defects: list[str] = []
    digest = hashlib.sha256(raw).hexdigest()
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
    defects += [type(d).__name__ for d in message.defects][:20]

    ids = _message_ids(_raw_header(message, "Message-ID") or "")
    if ids:
        message_id, synthesized = _clean_message_id(ids[0]), False
    else:
        message_id, synthesized = f"<{digest}@{SYNTHESIZED_DOMAIN}>", True
        defects.append("no Message-ID")

    subject = _header_text(message, "Subject", defects)[:MAX_SUBJECT]
    from_text = _header_text(message, "From", defects)
    from_name, from_address = "", ""
    try:
        # parseaddr on the raw value: a decoded display name may itself hold "<" or ",".
        raw_from = _unsurrogate((_raw_header(message, "From") or "").replace("\r", "").replace("\n", " "))
        raw_name, address = parseaddr(raw_from)
        from_address = _valid_address(address)
        from_name = decode_header_value(raw_name) if raw_name else ""
    except Exception as exc:
        defects.append(f"From: {exc}")
    if not from_address:
        if from_text:
            defects.append("From is not an address")
        from_name = from_name or from_text
    from_name = " ".join(from_name.split())[:200]

    text_parts: list[str] = []
    html_parts: list[str] = []
    attachments: list[ParsedAttachment] = []
    content_types: set[str] = set()
    limit = settings.MAILIN_MAX_PARTS
    max_bytes = settings.MAILIN_MAX_ATTACHMENT_BYTES
    for part in _walk(message, limit, defects):
        try:
            content_type = part.get_content_type()
        except Exception:
            content_type = "application/octet-stream"
        content_types.add(content_type)
        if part.is_multipart():
            continue
        try:
            disposition = part.get_content_disposition()
        except Exception:
            disposition = None
        filename = _part_filename(part, defects)
        is_body = (content_type in {"text/plain", "text/html"} and disposition != "attachment" and not filename) or (
            part is message and content_type.startswith("text/")
        )
        payload = _payload(part, defects)
        if is_body:
            try:
                charset = part.get_content_charset()
            except Exception:
                charset = None
            text = decode_bytes(payload, charset)
            (html_parts if content_type == "text/html" else text_parts).append(text)
            continue
        if content_type in {"message/delivery-status", "message/disposition-notification"}:
            text_parts.append(decode_bytes(payload, "utf-8"))
            continue
        size = len(payload)
        content_id = " ".join(str(_raw_header(part, "Content-ID") or "").split())[:200]
        attachments.append(
            ParsedAttachment(
                filename=filename or f"attachment-{len(attachments) + 1}",
                content_type=content_type[:100],
                size=size,
                content=payload if size <= max_bytes else None,
                content_id=content_id,
            )
        )

    html = "\n".join(html_parts)
    text = "\n\n".join(t.strip() for t in text_parts if t.strip())
    if not text and html:
        text = html_to_text(html)
    # No control characters (NUL cannot even be stored in PostgreSQL text columns) and no bidi
    # overrides: a subject or name must read as it is (agency_crm.text).
    text = clean_text(text)
    safe_html = sanitize_html(html).replace("\x00", "") if html else ""

    return ParsedEmail(
        message_id=message_id,
        message_id_synthesized=synthesized,
        subject=clean_line(subject),
        from_address=from_address,
        from_name=clean_line(from_name),
        recipients=_addresses(message, ["To", "Cc", "Delivered-To", "X-Original-To"]),
        in_reply_to=_message_ids(_raw_header(message, "In-Reply-To") or ""),
        references=_message_ids(" ".join(_raw_headers(message, "References"))),
        sent_at=_sent_at(message, defects),
        text=text,
        html=safe_html,
        attachments=attachments,
        automatic_reason=_automatic_reason(message, from_address, content_types),
        defects=defects[:50],
        raw_size=len(raw),
        sha256=digest,
    )
