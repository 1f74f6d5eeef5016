"""The conversation page's presence line (no query: the first poll fills it)."""

from django import template

from ..presence.services import PRESENCE_POLL_SECONDS

register = template.Library()


@register.inclusion_tag("followups/presence/_poll.html")
def presence_poll(conversation):
    return {"conversation": conversation, "every": PRESENCE_POLL_SECONDS}
