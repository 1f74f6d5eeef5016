"""Our replies on KakaoTalk: the composer's reply goes through the outbox to the 상담톡 gateway.

`kakao_reply_recorded` is registered in conversations.hooks: a reply recorded with the KakaoTalk
channel on a conversation whose contact (or triage stranger) has a Kakao user key is written to
the outbox (transport "kakao_chat") in the reply's transaction. A text over 1,000 characters goes
as several chat messages, split at line or word boundaries, each an outbox row of its own. The
outbox id is the `serial_number`, so a retry after a lost answer is recognised by the provider
and never reaches the customer twice. Photos and files from the composer follow the text, one
outbox row each (uploaded to the provider, then sent as IM or FI; `files.chat_files_check` says
what KakaoTalk cannot carry). A chat whose 30-day session ended is refused with a message that
offers an AlimTalk template or email instead.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from agency_crm.outbox.services import outbox_enqueue_transport
from agency_crm.outbox.transports import PermanentDeliveryError, TemporaryDeliveryError

from ..conversations.models import Channel, Conversation
from .channel import chat_gateway
from .files import chat_file_kind, chat_file_of, chat_files_check
from .gateway import CHAT_MAX_CHARS, GatewayFinal, GatewayRetryable
from .identity import kakao_stopped
from .models import SESSION_DAYS, KakaoDelivery, KakaoUser

TRANSPORT = "kakao_chat"
# Longest reply we split into chat messages; past it, email is the better tool.
MAX_PARTS = 5


def kakao_user_for(conversation: Conversation) -> KakaoUser | None:
    """The Kakao user this conversation talks to: its contact's, else the stranger who opened it."""
    users = KakaoUser.objects.order_by("-last_inbound_at", "-id")
    if conversation.contact_id:
        user = users.filter(contact_id=conversation.contact_id).first()
        if user is not None:
            return user
    return users.filter(conversation_id=conversation.pk).first()


def split_chat(text: str, limit: int = CHAT_MAX_CHARS) -> list[str]:
    """Chat messages of at most `limit` characters, cut at a line break or a space if possible."""
    text = text.strip()
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit + 1)
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit + 1)
        if cut < limit // 2:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def session_closed_error(user: KakaoUser) -> ValidationError:
    return ValidationError(
        {
            "channel": _(
                "The KakaoTalk chat ended (Kakao allows answers for %(days)s days after the customer's last "
                "message, %(when)s). Send an AlimTalk notice from the KakaoTalk panel, or reply by email."
            )
            % {"days": SESSION_DAYS, "when": timezone.localtime(user.last_inbound_at).strftime("%Y-%m-%d %H:%M")}
        }
    )


def kakao_reply_recorded(*, conversation, message, author, attachments: list | None = None) -> None:
    """conversations.hooks.on_reply_recorded: send a KakaoTalk reply (and its files) through the outbox."""
    if message.channel != Channel.KAKAO:
        return
    attachments = list(attachments or [])
    user = kakao_user_for(conversation)
    if user is None or chat_gateway() is None:
        if attachments:
            raise ValidationError(
                {"attachments": _("Files go on KakaoTalk only in a chat the customer started. Send them by email.")}
            )
        return  # a KakaoTalk message staff sent from their phone: recorded, as before
    if kakao_stopped(conversation.contact):
        raise ValidationError({"channel": _("This contact asked to receive nothing more on KakaoTalk.")})
    if not user.session_open():
        raise session_closed_error(user)
    chat_files_check(attachments)
    parts = split_chat(message.body)
    if len(parts) > MAX_PARTS:
        raise ValidationError(
            {
                "body": _(
                    "A KakaoTalk reply is at most %(count)s messages of %(limit)s characters; this one is %(length)s "
                    "characters. Shorten it or reply by email."
                )
                % {"count": MAX_PARTS, "limit": CHAT_MAX_CHARS, "length": len(message.body)}
            }
        )
    for number, part in enumerate(parts, start=1):
        email = outbox_enqueue_transport(
            transport=TRANSPORT,
            to=[user.user_key],
            text=part,
            summary=_("KakaoTalk reply: %(text)s") % {"text": part[:80]}
            if len(parts) == 1
            else _("KakaoTalk reply (%(number)s of %(count)s): %(text)s")
            % {"number": number, "count": len(parts), "text": part[:60]},
            kind="reply",
            client=conversation.client,
            related={"conversation_id": conversation.pk, "message_id": message.pk},
        )
        KakaoDelivery.objects.create(outbound_email=email, kind=KakaoDelivery.Kind.CHAT, contact=conversation.contact)
    for upload in attachments:
        name = getattr(upload, "name", "") or "attachment"
        email = outbox_enqueue_transport(
            transport=TRANSPORT,
            to=[user.user_key],
            text=name,
            summary=(
                _("KakaoTalk photo: %(name)s") if chat_file_kind(name) == "image" else _("KakaoTalk file: %(name)s")
            )
            % {"name": name},
            kind="reply",
            client=conversation.client,
            related={"conversation_id": conversation.pk, "message_id": message.pk},
            attachments=[upload],
        )
        KakaoDelivery.objects.create(outbound_email=email, kind=KakaoDelivery.Kind.CHAT, contact=conversation.contact)


def kakao_chat_send(email) -> None:
    """The outbox transport "kakao_chat": one chat/write, the outbox id as serial number (a row
    with a stored file uploads it and sends it as a photo or file)."""
    gateway = chat_gateway()
    if gateway is None:
        raise TemporaryDeliveryError("no 상담톡 provider is connected on /settings/kakao/")
    attachment = email.attachments.first()
    serial_number = f"gonggam-{email.pk}"
    try:
        if attachment is not None:
            sent = gateway.send_file(user_key=email.to[0], serial_number=serial_number, file=chat_file_of(attachment))
        else:
            sent = gateway.send_chat(user_key=email.to[0], serial_number=serial_number, text=email.text_body)
    except GatewayRetryable as exc:
        raise TemporaryDeliveryError(str(exc)) from exc
    except GatewayFinal as exc:
        KakaoDelivery.objects.filter(outbound_email_id=email.pk).update(
            result_code=exc.code[:20], result_message=str(exc)[:500]
        )
        raise PermanentDeliveryError(str(exc)) from exc
    KakaoDelivery.objects.filter(outbound_email_id=email.pk).update(
        result_code="duplicate" if sent.duplicate else "0",
        message_status="COMPLETED",
        results_checked_at=timezone.now(),
    )
