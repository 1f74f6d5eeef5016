from django import template

register = template.Library()


@register.inclusion_tag("followups/reminders/_bell.html", takes_context=True)
def notification_bell(context):
    """The bell in the navigation. The page itself runs no query: htmx fetches the unread count
    (one COUNT) from followups:notification_count on load and every minute, so every page keeps
    its query budget and the count rises while the page stays open."""
    request = context.get("request")
    return {"user": getattr(request, "user", None)}
