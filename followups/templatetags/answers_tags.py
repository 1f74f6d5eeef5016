"""The conversation page's saved-reply picker (one query: the replies the reader may use)."""

from django import template

from ..answers.services import saved_replies_for

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_reply_picker(context, conversation) -> dict:
    """What templates/jinja2/followups/answers/_picker.jinja shows: (id, title) of each saved reply."""
    user = context["request"].user
    return {
        "conversation": conversation,
        "saved_replies": list(saved_replies_for(user).select_related(None).values_list("id", "title")),
    }
