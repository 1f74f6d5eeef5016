"""Display helpers of the manager dashboard's tables."""

from django import template
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def hms(seconds) -> str:
    """Seconds as h:mm:ss (hours may exceed 24); "no data" when there is no figure."""
    if seconds is None or seconds == "":
        return _("no data")
    total = round(float(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


@register.filter
def percent(rate) -> str:
    if rate is None or rate == "":
        return _("no data")
    return f"{float(rate) * 100:.1f}%"


@register.filter
def dashboard_cell(value, kind: str) -> str:
    if kind == "duration":
        return hms(value)
    if kind == "rate":
        return percent(value)
    if value is None:
        return _("no data")
    if kind == "text" and isinstance(value, float):
        return f"{value:.2f}"
    return str(value) if value != "" else _("—")


@register.filter
def unbroken_words(text) -> str:
    """`text` (escaped) with each word kept on one line: a header may wrap between its words but
    never inside one at a dash ("영업시간 1–/4시간")."""
    return format_html_join(" ", '<span class="text-nowrap">{}</span>', ((word,) for word in str(text).split()))
