from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from clients.search import highlight_spans

register = template.Library()


@register.filter(needs_autoescape=False)
def highlight(text, query):
    """Escape `text` first, then wrap the query's words in <mark>: data markup is never run.

    Only our own <mark> tags are trusted; every piece of `text` goes through conditional_escape.
    """
    pieces = []
    for piece, is_match in highlight_spans(str(text or ""), str(query or "")):
        escaped = conditional_escape(piece)
        pieces.append(format_html("<mark>{}</mark>", piece) if is_match else escaped)
    return mark_safe("".join(str(p) for p in pieces))  # noqa: S308 - every piece is escaped above


# Timeline presentation by kind prefix ("inquiry.won" -> "inquiry"); unknown kinds get a dot.
# Plain symbols that common system fonts have (colour emoji are often missing on servers/phones).
TIMELINE_STYLES = {
    "client": ("⚑", _("Client")),
    "note": ("✎", _("Note")),
    "call": ("☎", _("Call")),
    "contact": ("☺", _("Contact")),
    "inquiry": ("❖", _("Inquiry")),
    "proposal": ("✍", _("Proposal")),
    "conversation": ("✉", _("Conversation")),
    "message": ("✉", _("Message")),
    "wait": ("⧗", _("Waiting")),
    "reply": ("↩", _("Reply")),
    "email": ("✉", _("Email")),
    "checkin": ("✔", _("Check-in")),
    "feedback": ("★", _("Feedback")),
    "task": ("☐", _("Task")),
}
GENERIC_STYLE = ("•", _("Event"))


def _style(kind: str):
    return TIMELINE_STYLES.get((kind or "").split(".", 1)[0], GENERIC_STYLE)


@register.filter
def timeline_icon(kind: str) -> str:
    return _style(kind)[0]


@register.filter
def timeline_label(kind: str) -> str:
    return str(_style(kind)[1])


@register.filter
def timeline_tone(kind: str) -> str:
    """A Bootstrap colour for the event's badge."""
    if (kind or "").endswith((".failed", ".overdue", ".lost", ".archived")):
        return "danger"
    if (kind or "").endswith((".won", ".sent", ".restored", ".accepted", ".answered", ".replied")):
        return "success"
    return "secondary"


@register.filter
def safe_internal_url(url: str) -> str:
    """Only in-app paths become links (a writer could not smuggle javascript: URLs in)."""
    url = str(url or "")
    if url.startswith("/") and not url.startswith("//"):
        return url
    return ""


@register.simple_tag(takes_context=True)
def page_url(context, number):
    query = context.get("querystring", "")
    return format_html("?{}page={}", f"{query}&" if query else "", number)
