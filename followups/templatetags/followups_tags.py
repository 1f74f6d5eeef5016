from django import template
from django.utils.html import format_html
from django.utils.translation import ngettext

from ..conversations.clock_words import duration_words
from ..models import Channel

register = template.Library()


@register.filter
def channel_icon(value: str) -> str:
    """The channel named in a small badge ("Phone", "전화"): colour emoji showed as empty boxes
    where no emoji font is installed."""
    return format_html('<span class="badge text-bg-light border channel-badge">{}</span>', channel_label(value))


@register.filter
def channel_label(value: str) -> str:
    try:
        return Channel(value).label
    except ValueError:
        return value


@register.filter
def business_duration(seconds) -> str:
    """Seconds of business time as "2h 05m" (absolute value; the template says late or left)."""
    return duration_words(seconds)


# The conversation page's links to the rest of a long thread (Jinja2 templates cannot write a
# plural that `make messages` extracts, so the sentences are made here, with the same msgids).
@register.filter
def show_earlier_messages(count: int) -> str:
    return ngettext("Show %(earlier)s earlier message", "Show %(earlier)s earlier messages", count) % {"earlier": count}


@register.filter
def show_earlier_waits(count: int) -> str:
    return ngettext("Show %(earlier)s earlier wait", "Show %(earlier)s earlier waits", count) % {"earlier": count}


@register.filter
def first_matches_shown(count: int) -> str:
    """The quick-log type-ahead's note that it shows only the first matches."""
    return ngettext(
        "Showing the first %(counter)s match; type more to narrow the search.",
        "Showing the first %(counter)s matches; type more to narrow the search.",
        count,
    ) % {"counter": count}
