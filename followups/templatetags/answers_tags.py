"""The conversation page's saved-reply picker (one query: the replies the reader may use)."""

from django import template

from ..answers.services import saved_replies_for

register = template.Library()


@register.inclusion_tag("followups/answers/_picker.html", takes_context=True)
def saved_reply_picker(context, conversation):
    user = context["request"].user
    return {
        "conversation": conversation,
        "saved_replies": list(saved_replies_for(user).select_related(None).only("id", "title")),
    }
