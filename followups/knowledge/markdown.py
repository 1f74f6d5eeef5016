"""Markdown to safe HTML: markdown-it-py (CommonMark, tables and strikethrough, raw HTML off) and
then nh3, which keeps only the tags and attributes listed here and links only to http(s) and
mailto. Raw HTML in an article shows as text; a `javascript:` link loses its href."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# html=False: "<script>" in the Markdown source is escaped by markdown-it itself; nh3 is the
# second wall (and the only one for what markdown-it builds, such as link targets).
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# A table column's alignment as Bootstrap's classes: the Content-Security-Policy refuses the
# style="text-align:…" markdown-it writes.
ALIGN_CLASSES = {"left": "text-start", "center": "text-center", "right": "text-end"}
ALLOWED_CLASSES = {cell: set(ALIGN_CLASSES.values()) for cell in ("th", "td")}


def _alignment_as_classes(state) -> None:
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style"):
            align = str(token.attrs.pop("style")).removeprefix("text-align:").strip()
            if align in ALIGN_CLASSES:
                token.attrSet("class", ALIGN_CLASSES[align])


_MARKDOWN.core.ruler.push("alignment_as_classes", _alignment_as_classes)


def render_markdown(text: str) -> SafeString:
    html = _MARKDOWN.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        allowed_classes=ALLOWED_CLASSES,
    )
    return mark_safe(clean)  # noqa: S308 - nh3 output


def markdown_text(text: str) -> str:
    """The words of a Markdown text without its markup, for a plain-text snippet: headings,
    emphasis, table rules and list marks go ("## 배송" -> "배송", "|---|" -> nothing), the text of
    each block and table cell is kept, separated by spaces."""
    words = []
    for token in _MARKDOWN.parse(text or ""):
        if token.type == "inline":
            words.append(
                "".join(
                    child.content if child.type in ("text", "code_inline") else " " if "break" in child.type else ""
                    for child in token.children or ()
                )
            )
        elif token.type in ("code_block", "fence"):
            words.append(token.content)
    return " ".join(" ".join(words).split())
