"""The conversation page's KakaoTalk panel: the chat session (open until when, or ended), the
AlimTalk notices that may go to the contact, their consent and stop. Only a KakaoTalk
conversation has it: nothing is read for the others."""

from django import template

from ..conversations.models import Channel
from ..kakao.alimtalk import template_variables
from ..kakao.forms import KakaoPreferenceForm
from ..kakao.models import AlimTalkTemplate, KakaoAttachment, KakaoContactPreference, KakaoDelivery
from ..kakao.replies import kakao_user_for

register = template.Library()


@register.inclusion_tag("followups/kakao/_conversation_panel.html", takes_context=True)
def kakao_panel(context, conversation):
    if conversation.channel != Channel.KAKAO:
        return {"shown": False}
    user = kakao_user_for(conversation)
    preference = (
        KakaoContactPreference.objects.filter(contact_id=conversation.contact_id).first()
        if conversation.contact_id
        else None
    )
    templates = [(t, template_variables(t.text)) for t in AlimTalkTemplate.objects.all()]
    deliveries = list(
        KakaoDelivery.objects.filter(
            kind=KakaoDelivery.Kind.ALIMTALK, outbound_email__related__conversation_id=conversation.pk
        ).select_related("outbound_email", "template")[:5]
    )
    attachments = list(
        KakaoAttachment.objects.filter(inbound__message__conversation_id=conversation.pk).order_by("-id")[:20]
    )
    return {
        "shown": True,
        "attachments": attachments,
        # The panel's forms post back to us: the page's CSRF token (no request in an include).
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "conversation": conversation,
        "kakao_user": user,
        "session_open": user.session_open() if user else False,
        "preference": preference,
        "may_alimtalk": preference is not None and preference.may_receive_alimtalk,
        "templates": templates,
        "deliveries": deliveries,
        "preference_form": KakaoPreferenceForm(
            initial={
                "mobile": preference.mobile if preference else "",
                "alimtalk_consent": preference.alimtalk_consent if preference else False,
                "stopped": bool(preference and preference.stopped_at),
            }
        ),
    }
