"""Ending a KakaoTalk chat from the conversation page (Happytalk's 상담방 종료, gateway `end_chat`).

The provider is asked first, outside any transaction (a slow provider holds no lock); only when
it ended the chat is the session marked ended and the timeline told who ended it. From then on a
reply by KakaoTalk is refused until the customer writes again, as after the customer left.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clients.timeline import timeline_record

from ..conversations.models import Conversation
from .channel import chat_gateway
from .gateway import GatewayFinal, GatewayRetryable
from .models import KakaoUser
from .replies import kakao_user_for


def kakao_chat_end(*, conversation: Conversation, actor) -> KakaoUser:
    """End the open chat of this conversation's customer; ValidationError says why it could not."""
    user = kakao_user_for(conversation)
    gateway = chat_gateway()
    if user is None or gateway is None or not user.session_open():
        raise ValidationError(_("There is no KakaoTalk chat to end in this conversation."))
    try:
        gateway.end_chat(user_key=user.user_key)
    except (GatewayRetryable, GatewayFinal) as exc:
        raise ValidationError(
            _("The provider could not end the chat (%(reason)s). Try again in a moment.") % {"reason": exc}
        ) from exc
    now = timezone.now()
    KakaoUser.objects.filter(pk=user.pk).update(session_ended_at=now)
    user.session_ended_at = now
    timeline_record(
        client=conversation.client,
        kind="kakao.chat_ended",
        summary=gettext_noop("KakaoTalk chat ended: %(subject)s"),
        params={"subject": conversation.subject},
        actor=actor,
        url=conversation.get_absolute_url(),
        data={"conversation_id": conversation.pk},
    )
    return user
