"""Built into every template (settings TEMPLATES builtins): people and moments for the reader."""

from functools import lru_cache

from django import template
from django.utils import formats
from django.utils.translation import get_language

from agency_crm import facts
from agency_crm.people import display_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    """A colleague in the reader's name order (박민지 / Minji Park)."""
    return display_name(user, "—")


@register.filter
def fact(obj) -> str:
    """A stored fact (timeline event, notification) in the reader's language."""
    return obj.text if hasattr(obj, "text") else str(obj)


@register.filter
def moment(value) -> str:
    """A moment in the reader's format: 2026년 12월 3일 (목) 오후 1:00 / Thu 3 Dec 2026, 13:00."""
    return facts.format_moment(value) if value else ""


@register.filter(expects_localtime=True)
def iso_moment(value) -> str:
    """`value|date:"c"` for a `<time datetime>` attribute, to the second, without the formatter."""
    return value.isoformat(timespec="seconds") if value else ""


@register.filter(expects_localtime=True)
def long_moment(value) -> str:
    """`value|date:"DATETIME_FORMAT"` (2026년 12월 3일 (목) 오후 1:00 / Thu 3 Dec 2026, 13:00),
    remembered per moment, zone and language: lists of fifty rows format the same moments on
    every load, and Django's formatter costs more than the rest of a row's fields."""
    if not value:
        return ""
    return _long_moment(value.isoformat(), value.tzname(), get_language(), value)


@lru_cache(maxsize=8192)
def _long_moment(iso: str, zone: str, language: str, value) -> str:
    # `iso`, `zone` and `language` are the key; `value` (equal for equal keys) is what is formatted.
    return formats.date_format(value, "DATETIME_FORMAT")
