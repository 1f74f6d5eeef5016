"""Writing an email: render it in the recipient's language inside the agency's layout, store the
outbox row in the caller's transaction, and queue its delivery once that transaction commits."""

import logging
import re
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.defaultfilters import filesizeformat
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agency_crm.agency.selectors import agency_name, customer_email_sender

from ..models import OutboundAttachment, OutboundEmail
from ..signature import STAFF_KINDS, feedback_link, portal_link

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status
LANGUAGES = {"en", "ko"}
# The delivery task (agency_crm.outbox.tasks.deliver_email), queued by name.
DELIVER_TASK = "agency_crm.outbox.tasks.deliver_email"


# --- rendering --------------------------------------------------------------------------------
def _render_text(template_name: str, context: dict[str, Any]) -> str:
    # Plain text is not HTML: render without autoescaping so "O'Brien & Co" stays as written.
    template = get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def _layout_context(context: dict[str, Any]) -> dict[str, Any]:
    return {
        **context,
        # The stored name (/settings/agency/), else settings.AGENCY_NAME.
        "agency_name": agency_name(),
        "management_email": settings.MANAGEMENT_EMAIL,
        "site_url": settings.SITE_URL,
    }


def email_render(*, template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """Render emails/<template>.txt (and .html when it exists) inside the base layout.

    Returns (text, html). Without an HTML template the HTML part shows the text part, escaped.
    """
    with translation.override(language):
        ctx = _layout_context(context)
        content_text = _render_text(f"emails/{template}.txt", ctx).strip()
        text = _render_text("emails/base.txt", {**ctx, "content": content_text}).strip() + "\n"
        try:
            # Autoescaped; the result is a SafeString, so the layout includes it as HTML.
            content_html = render_to_string(f"emails/{template}.html", ctx)
        except TemplateDoesNotExist:
            content_html = render_to_string("emails/_text_as_html.html", {"content": content_text})
        html = render_to_string("emails/base.html", {**ctx, "content": content_html})
    return text, html


# --- enqueue ----------------------------------------------------------------------------------
def _clean_addresses(addresses: list[str] | None, *, field: str) -> list[str]:
    cleaned = []
    for address in addresses or []:
        address = str(address).strip()
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValueError(f"{field}: {address!r} is not an email address") from exc
        cleaned.append(address)
    return cleaned


def _message_id_domain() -> str:
    return settings.EMAIL_MESSAGE_ID_DOMAIN


def outbox_enqueue_rendered(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    language: str = "en",
    kind: str,
    client=None,
    cc: list[str] | None = None,
    reply_to: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    automatic: bool = False,
    unsubscribe_url: str | None = None,
    related: dict | None = None,
    template: str = "",
    attachments: list | None = None,
) -> OutboundEmail:
    """Store a ready email in the outbox and deliver it after the caller's transaction commits.

    `attachments`: uploaded files (name, content_type, size, chunks()), checked against
    OUTBOX_MAX_ATTACHMENTS and the size limits (outbox_check_attachments) and stored with the row.
    """
    to = _clean_addresses(to, field="to")
    if not to:
        raise ValueError("an email needs at least one recipient")
    cc = _clean_addresses(cc, field="cc")
    if reply_to:
        _clean_addresses([reply_to], field="reply_to")
    if kind not in OutboundEmail.Kind.values:
        raise ValueError(f"unknown email kind {kind!r}")
    if language not in LANGUAGES:
        language = settings.LANGUAGE_CODE

    headers: dict[str, str] = {}
    if automatic:
        # RFC 3834: tells autoresponders not to answer, so two robots never loop.
        headers["Auto-Submitted"] = "auto-generated"
        headers["X-Auto-Response-Suppress"] = "All"
    if unsubscribe_url:
        if not outbox_personal(to=to, cc=cc):
            raise ValueError("a personal link (unsubscribe) may go to one recipient only")
        if urlsplit(unsubscribe_url).scheme not in {"http", "https", "mailto"}:
            raise ValueError("unsubscribe_url must be an http(s) or mailto URL")
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"

    references = [r.strip() for r in (references or []) if r and r.strip()]
    in_reply_to = (in_reply_to or "").strip()
    if in_reply_to and in_reply_to not in references:
        references.append(in_reply_to)

    # Header values cannot hold line breaks; a subject built from customer text may.
    subject = " ".join(str(subject).split())[:998]
    files = outbox_check_attachments(attachments or [])

    email = OutboundEmail.objects.create(
        kind=kind,
        from_email=customer_email_sender(),
        to=to,
        cc=cc,
        reply_to=reply_to or "",
        subject=subject,
        text_body=text,
        html_body=html,
        language=language,
        template=template,
        message_id=make_msgid(domain=_message_id_domain()),
        in_reply_to=in_reply_to,
        references=references,
        headers=headers,
        client=client,
        related=related or {},
        next_attempt_at=timezone.now(),
    )
    _store_attachments(email, files)
    outbox_schedule_delivery(email_id=email.pk)
    return email


def _store_attachments(email: OutboundEmail, files: list) -> None:
    for upload in files:
        OutboundAttachment.objects.create(
            email=email,
            filename=attachment_filename(upload.name),
            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
            size=upload.size,
            file=File(upload, name=attachment_filename(upload.name)),
        )


def outbox_enqueue_transport(
    *,
    transport: str,
    to: list[str],
    text: str,
    kind: str,
    summary: str = "",
    language: str = "en",
    client=None,
    headers: dict | None = None,
    related: dict | None = None,
    attachments: list | None = None,
) -> OutboundEmail:
    """Store a message for another channel (agency_crm.outbox.transports) in the outbox and
    deliver it after the caller's transaction commits, with the retries of email. `to` holds the
    channel's addresses (a KakaoTalk user key, a mobile number), `headers` what the transport
    needs besides the text, `summary` the line the outbox page shows, `attachments` uploaded
    files stored with the row (the channel's room checks its own limits)."""
    if not transport:
        raise ValueError("a transport message names its transport")
    if kind not in OutboundEmail.Kind.values:
        raise ValueError(f"unknown email kind {kind!r}")
    to = [str(address).strip() for address in to if str(address).strip()]
    if not to:
        raise ValueError("a message needs at least one recipient")
    email = OutboundEmail.objects.create(
        kind=kind,
        transport=transport,
        from_email="",
        to=to,
        subject=" ".join((summary or text).split())[:200],
        text_body=text,
        language=language if language in LANGUAGES else settings.LANGUAGE_CODE,
        # Unique like an email's, though no mail program ever sees it.
        message_id=make_msgid(idstring=transport, domain=_message_id_domain()),
        headers=headers or {},
        client=client,
        related=related or {},
        next_attempt_at=timezone.now(),
    )
    _store_attachments(email, attachments or [])
    outbox_schedule_delivery(email_id=email.pk)
    return email


_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def attachment_filename(name: str) -> str:
    """The file's own name, without a path, control characters or characters mail clients and
    file systems refuse; at most 150 characters, the extension kept."""
    base = _UNSAFE_FILENAME.sub("_", str(name).replace("\\", "/").rsplit("/", 1)[-1]).strip(" .") or "attachment"
    if len(base) > 150:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: 150 - len(extension) - 1] + "." + extension) if dot and len(extension) <= 10 else base[:150]
    return base


def outbox_check_attachments(files: list) -> list:
    """`files` when they are within the limits, else ValidationError saying which limit."""
    if len(files) > settings.OUTBOX_MAX_ATTACHMENTS:
        raise ValidationError(
            _("Attach at most %(count)s files.") % {"count": settings.OUTBOX_MAX_ATTACHMENTS}, code="too_many"
        )
    for upload in files:
        if upload.size > settings.OUTBOX_MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                _("%(name)s is larger than %(size)s.")
                % {
                    "name": attachment_filename(upload.name),
                    "size": filesizeformat(settings.OUTBOX_MAX_ATTACHMENT_BYTES),
                },
                code="too_large",
            )
    if sum(upload.size for upload in files) > settings.OUTBOX_MAX_TOTAL_ATTACHMENT_BYTES:
        raise ValidationError(
            _("The files together are larger than %(size)s.")
            % {"size": filesizeformat(settings.OUTBOX_MAX_TOTAL_ATTACHMENT_BYTES)},
            code="too_large",
        )
    return files


# The context keys that hold one person's link: a link in an email to several people would let
# every recipient (a Cc'd outsider included) open the page, rate or opt out as that person.
PERSONAL_LINK_KEYS = ("portal_url", "feedback_url", "unsubscribe_url")


def outbox_personal(*, to: list[str], cc: list[str] | None = None) -> bool:
    """Whether an email goes to one person alone, the only kind that may carry personal links."""
    return len({str(address).strip().lower() for address in [*to, *(cc or [])] if address}) == 1


def _refuse_shared_personal_links(*, to, cc, context: dict) -> None:
    if outbox_personal(to=to, cc=cc):
        return
    if any(context.get(key) for key in PERSONAL_LINK_KEYS):
        raise ValueError("a personal link (self-service, feedback, unsubscribe) may go to one recipient only")


def outbox_render(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    language: str = "en",
    kind: str,
    client=None,
    cc: list[str] | None = None,
    related: dict | None = None,
    preview: bool = False,
) -> tuple[str, str, str, str]:
    """What outbox_enqueue would store: (language, subject, text, html), the signature's links
    included when the email goes to one person alone (no Cc, one To).

    With `preview` nothing is written and no real token is made: the signature shows
    "[self-service link]" and "[feedback link]" where the email will carry them (the composer's
    preview is seen by staff, who must never hold a customer's link)."""
    if language not in LANGUAGES:
        language = settings.LANGUAGE_CODE
    _refuse_shared_personal_links(to=to, cc=cc, context=context)
    if kind in STAFF_KINDS:
        # Our own staff get a plain footer: no customer-facing management line or feedback link.
        context = {**context, "staff_email": True}
    elif outbox_personal(to=to, cc=cc):
        links = {}
        with translation.override(language):
            if "feedback_url" not in context:
                # The management line of every customer email also leads to the feedback page.
                url = feedback_link(
                    kind=kind, client=client, to=to, related=related or {}, language=language, dry_run=preview
                )
                links["feedback_url"] = _("[feedback link]") if url and preview else url
            if "portal_url" not in context:
                # ...and the signature to the recipient's self-service page.
                url = portal_link(kind=kind, client=client, to=to, dry_run=preview)
                links["portal_url"] = _("[self-service link]") if url and preview else url
        context = {**context, **{key: url for key, url in links.items() if url}}
    text, html = email_render(template=template, context=context, language=language)
    with translation.override(language):
        subject = str(subject)  # resolves a lazy translation in the recipient's language
    return language, subject, text, html


def outbox_enqueue(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict,
    language: str = "en",
    kind: str,
    client=None,
    cc: list[str] | None = None,
    reply_to: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    automatic: bool = False,
    unsubscribe_url: str | None = None,
    related: dict | None = None,
    attachments: list | None = None,
) -> OutboundEmail:
    """Render emails/<template>.txt/.html in `language` and store the email in the outbox.

    Call it inside the transaction of the action that causes the email: the row commits (or
    rolls back) with that action, and delivery is scheduled only after the commit.
    """
    language, subject, text, html = outbox_render(
        to=to,
        subject=subject,
        template=template,
        context=context,
        language=language,
        kind=kind,
        client=client,
        cc=cc,
        related=related,
    )
    return outbox_enqueue_rendered(
        to=to,
        subject=subject,
        text=text,
        html=html,
        language=language,
        kind=kind,
        client=client,
        cc=cc,
        reply_to=reply_to,
        in_reply_to=in_reply_to,
        references=references,
        automatic=automatic,
        unsubscribe_url=unsubscribe_url,
        related=related,
        template=template,
        attachments=attachments,
    )


def outbox_schedule_delivery(*, email_id: int, countdown: float | None = None) -> None:
    """Queue the delivery task once the current transaction commits.

    If the broker is down the row stays pending and the sweep delivers it later.
    """

    def publish():
        try:
            # By name: the task module imports these services, never the reverse.
            current_app.send_task(DELIVER_TASK, args=(email_id,), countdown=countdown)
        except Exception:  # any broker failure: the sweep is the safety net
            logger.warning("outbox: could not queue email %s; the sweep will deliver it", email_id, exc_info=True)

    transaction.on_commit(publish)
