"""The growth items panels: a check-in's open items and the client page's list (one query each).

The check-in page belongs to `care`, which may not import `growth` (growth sits above it): the
page loads this library, which lives above every room."""

from django import template

from ..growth.models import GrowthItem
from ..growth.selectors import checkin_growth_items, client_growth_items

register = template.Library()


@register.inclusion_tag("followups/growth/_checkin_items.html", takes_context=True)
def checkin_growth_panel(context, checkin):
    items = list(checkin_growth_items(checkin=checkin))
    return {"checkin": checkin, "items": items, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("followups/growth/_client_items.html", takes_context=True)
def client_growth_panel(context, client):
    items = list(client_growth_items(client=client))
    return {"client": client, "items": items, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("followups/growth/_origin.html")
def growth_origin(inquiry):
    """On an inquiry started from a growth item: the want and the delivered inquiry it came from
    (one query)."""
    item = GrowthItem.objects.filter(started_inquiry=inquiry).select_related("inquiry").first()
    return {"item": item}
