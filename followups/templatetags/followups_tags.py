from django import template
from django.utils.translation import gettext as _

from ..models import Channel

register = template.Library()

CHANNEL_ICONS = {
    Channel.EMAIL: "✉️",
    Channel.PHONE: "📞",
    Channel.KAKAO: "💬",
    Channel.WEB_FORM: "🌐",
    Channel.MEETING: "🤝",
    Channel.OTHER: "•",
}


@register.filter
def channel_icon(value: str) -> str:
    return CHANNEL_ICONS.get(value, "•")


@register.filter
def channel_label(value: str) -> str:
    try:
        return Channel(value).label
    except ValueError:
        return value


@register.filter
def business_duration(seconds) -> str:
    """Seconds of business time as "2h 05m" (absolute value; the template says late or left)."""
    if seconds is None:
        return ""
    minutes = abs(int(seconds)) // 60
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(hours)dh %(minutes)02dm") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)dm") % {"minutes": minutes}


@register.filter
def clock_badge(clock) -> str:
    """A waiting conversation's badge in the inbox: "Overdue by 2h 05m" or "2h 05m left"."""
    if clock is None:
        return ""
    duration = business_duration(clock.left_business_seconds)
    if clock.overdue:
        return _("Overdue by %(late)s") % {"late": duration}
    return _("%(left)s left") % {"left": duration}


@register.filter
def clock_waited(clock) -> str:
    """How long the customer has waited, in business time: "waiting 1h 10m (business)"."""
    if clock is None:
        return ""
    return _("waiting %(waited)s (business)") % {"waited": business_duration(clock.waiting_business_seconds)}
