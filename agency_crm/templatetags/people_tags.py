"""Built into every template (settings TEMPLATES builtins): people and moments for the reader."""

from django import template

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
