"""{% load customer_links %}: `|hide_customer_links` on an email's text (before urlize or
autoescape), `|hide_customer_links_html` on an HTML part shown in a sandboxed frame. Both return
plain strings, so autoescaping still applies. See agency_crm.outbox.redaction."""

from django import template

from agency_crm.outbox.redaction import hide_customer_links as _hide_text
from agency_crm.outbox.redaction import hide_customer_links_html as _hide_html

register = template.Library()


@register.filter
def hide_customer_links(value) -> str:
    return _hide_text(value)


@register.filter
def hide_customer_links_html(value) -> str:
    return _hide_html(value)
