"""Incoming 상담톡 messages: the webhook stores each delivery once and queues it; the task turns it
into a customer message through the conversation services, so the response clock starts as for
an email.

The webhook answers within the provider's time limit because it only verifies, parses and
inserts (the unique provider message id makes a repeated delivery a no-op) and queues the work
on commit. The task finds the contact by user key (or phone), continues the contact's open
KakaoTalk conversation or starts one, stores images and files, notifies the owner, and honours a
"stop" at once. A stranger's message goes to triage, like an unknown email.
"""

from __future__ import annotations

import datetime as dt
import logging

import httpx
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agency_crm.roles import active_managers

from ..conversations import hooks
from ..conversations.models import Channel, Conversation, ResponsePolicy
from ..conversations.services import conversation_start, message_receive
from ..conversations.subjects import short_subject
from ..reminders.services.notifications import notify
from .alimtalk import alimtalk_notice
from .channel import TIMEOUT_SECONDS, chat_gateway
from .gateway import InboundChat, InboundRejected
from .identity import contact_for_kakao, is_stop, kakao_stop
from .models import AlimTalkTemplate, KakaoAttachment, KakaoChannel, KakaoInbound, KakaoUser

logger = logging.getLogger(__name__)

PROCESS_TASK = "followups.kakao.tasks.kakao_inbound_process"
# A customer's photo or file: at most this much is kept (the link stays on the message anyway).
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


def kakao_inbound_accept(*, request, secret: str) -> list[KakaoInbound]:
    """Verify and store one webhook delivery; returns the new rows (none for a repeat).

    Raises InboundRejected for a delivery that is not the provider's or not understood."""
    row = KakaoChannel.objects.filter(pk=1).first()
    gateway = chat_gateway(row)
    if row is None or gateway is None:
        raise InboundRejected("no KakaoTalk channel is connected", status=404)
    gateway.verify(request, secret=row.inbound_secret)
    chats = gateway.parse_inbound(request)
    created = []
    for chat in chats:
        try:
            with transaction.atomic():
                inbound = KakaoInbound.objects.create(
                    provider=gateway.name,
                    provider_message_id=chat.provider_message_id,
                    user_key=chat.user_key,
                    payload=_payload(chat),
                )
        except IntegrityError:
            continue  # delivered before (kakao_inbound_once): already queued or imported
        created.append(inbound)
        _queue(inbound.pk)
    return created


def _payload(chat: InboundChat) -> dict:
    return {
        "text": chat.text,
        "occurred_at": chat.occurred_at.isoformat(),
        "nickname": chat.nickname,
        "phone": chat.phone,
        "ended": chat.ended,
        "attachments": [
            {"kind": a.kind, "url": a.url, "filename": a.filename, "size": a.size} for a in chat.attachments
        ],
    }


def _queue(inbound_id: int) -> None:
    from celery import current_app

    def publish():
        try:
            current_app.send_task(PROCESS_TASK, args=(inbound_id,))
        except Exception:  # broker trouble: the sweep (kakao_inbound_sweep) picks it up
            logger.warning("kakao: could not queue inbound %s", inbound_id, exc_info=True)

    transaction.on_commit(publish)


def kakao_inbound_process(*, inbound_id: int) -> str:
    """Import one stored delivery (idempotent: only a queued row is imported, once)."""
    with transaction.atomic():
        inbound = (
            KakaoInbound.objects.select_for_update(skip_locked=True)
            .filter(pk=inbound_id, state=KakaoInbound.State.QUEUED)
            .first()
        )
        if inbound is None:
            return "skipped"
        payload = inbound.payload
        user, _created = KakaoUser.objects.select_for_update().get_or_create(user_key=inbound.user_key)
        if payload.get("nickname"):
            user.nickname = payload["nickname"][:200]
        if payload.get("phone"):
            user.phone = payload["phone"][:30]
        occurred_at = dt.datetime.fromisoformat(payload["occurred_at"])
        if payload.get("ended"):
            user.session_ended_at = occurred_at
            user.save()
            inbound.state = KakaoInbound.State.IGNORED
            inbound.save(update_fields=["state"])
            return "ended"
        contact = contact_for_kakao(user=user, phone=payload.get("phone", ""))
        if contact is not None and user.contact_id != contact.pk:
            user.contact = contact
        text = payload.get("text") or ""
        files = payload.get("attachments") or []
        body = text or (_("(a photo)") if files and files[0]["kind"] == "image" else _("(a file)") if files else "-")
        conversation = _conversation_for(user=user, contact=contact, body=body)
        if conversation is None:
            inbound.state, inbound.error = KakaoInbound.State.FAILED, "no staff account to own the conversation"
            inbound.save(update_fields=["state", "error"])
            return "failed"
        message = message_receive(
            conversation=conversation, body=body, channel=Channel.KAKAO, occurred_at=occurred_at, contact=contact
        )
        user.conversation = conversation
        user.last_inbound_at = max(filter(None, [user.last_inbound_at, occurred_at]))
        user.save()
        inbound.message = message
        inbound.state = KakaoInbound.State.DONE
        inbound.save(update_fields=["message", "state"])
        for ref in files:
            _store_attachment(inbound=inbound, ref=ref)
        if contact is not None and is_stop(text):
            kakao_stop(contact=contact, reason=text.strip()[:50])
        elif contact is not None:
            _acknowledge(conversation=conversation, contact=contact)
        conversation = Conversation.objects.select_related("client", "owner", "contact").get(pk=conversation.pk)
        _tell_owner(conversation=conversation, name=contact.name if contact else str(user), body=body)
    return "imported"


def _conversation_for(*, user: KakaoUser, contact, body: str) -> Conversation | None:
    """The contact's latest KakaoTalk conversation that is not closed, else a new one; a stranger's
    own triage conversation while it is open, else a new one in triage."""
    open_conversations = Conversation.objects.exclude(status=Conversation.Status.CLOSED)
    if contact is not None:
        conversation = (
            open_conversations.filter(contact=contact, channel=Channel.KAKAO)
            .order_by("-last_message_at", "-id")
            .first()
        )
        if conversation is None and user.conversation_id and user.conversation.contact_id == contact.pk:
            conversation = open_conversations.filter(pk=user.conversation_id).first()
        return conversation or conversation_start(
            client=contact.client, contact=contact, subject=short_subject(body), channel=Channel.KAKAO, actor=None
        )
    if user.conversation_id:
        conversation = open_conversations.filter(pk=user.conversation_id).first()
        if conversation is not None:
            return conversation
    try:
        return hooks.unknown_sender_conversation(
            subject=short_subject(body), channel=Channel.KAKAO, address="", name=user.nickname or user.user_key
        )
    except Exception:  # mailin.triage.NoStaffAccount: nobody can own it yet
        logger.warning("kakao: no triage for user %s", user.user_key, exc_info=True)
        return None


def _acknowledge(*, conversation: Conversation, contact) -> None:
    """The acknowledgement ("we got it, expect an answer by ...") by AlimTalk when the response
    policy asks for one and a template is registered for it (at most one per conversation a day)."""
    conversation = Conversation.objects.select_related("client").get(pk=conversation.pk)
    if conversation.reply_due_at is None:
        return
    policy = ResponsePolicy.for_tier(conversation.client.response_tier, channel=conversation.channel)
    if policy.send_acknowledgement:
        alimtalk_notice(
            purpose=AlimTalkTemplate.Purpose.ACKNOWLEDGEMENT,
            contact=contact,
            kind="acknowledgement",
            conversation=conversation,
        )


def _store_attachment(*, inbound: KakaoInbound, ref: dict) -> None:
    """Download the customer's image or file now (the provider's links expire); a failed download
    keeps the link, the message is never lost for it."""
    row = KakaoAttachment(
        inbound=inbound,
        kind=ref.get("kind", "file"),
        filename=(ref.get("filename") or ref["url"].rsplit("/", 1)[-1] or "attachment")[:200],
        source_url=ref["url"],
        size=ref.get("size") or 0,
    )
    try:
        response = httpx.get(ref["url"], timeout=TIMEOUT_SECONDS, follow_redirects=False)
        if response.status_code == 200 and len(response.content) <= MAX_ATTACHMENT_BYTES:
            row.content_type = response.headers.get("content-type", "")[:100]
            row.size = len(response.content)
            row.file.save("attachment.bin", ContentFile(response.content), save=False)
    except httpx.HTTPError:
        logger.info("kakao: could not download %s", ref["url"], exc_info=True)
    row.save()


def _tell_owner(*, conversation: Conversation, name: str, body: str) -> None:
    """As for the contact form: the owner's bell (and email as they chose); managers for triage."""
    recipients = active_managers() if conversation.client.is_placeholder else [conversation.owner]
    notify(
        recipients=recipients,
        kind="conversation.customer_wrote",
        title=gettext_noop("New KakaoTalk message from %(name)s: %(subject)s"),
        params={"name": name, "subject": conversation.subject},
        body=body[:500],
        conversation=conversation,
    )


def kakao_inbound_due_ids(*, older_than_seconds: int = 60, limit: int = 200) -> list[int]:
    """Deliveries still queued a minute after they came (a lost task): the sweep queues them again."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return list(
        KakaoInbound.objects.filter(state=KakaoInbound.State.QUEUED, received_at__lt=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
