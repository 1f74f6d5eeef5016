"""HTML mail: readable text for the thread, and sanitised HTML for the "original" view.

The sanitised HTML is shown only inside a sandboxed iframe (sandbox=""), so even a sanitiser
bug could not run script in our origin; on top of that nh3 removes scripts, event handlers,
styles and any image that would load from the network (only cid: images stay). Every URL must be
http, https, mailto or cid: a `data:text/html` link would open a page of the sender's making, so
data: URLs go too (images included). The frame is served by its own view with a policy that
loads nothing (followups.mailin.views.mail_html).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "div", "dl", "dt", "em",
    "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s",
    "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
    "font": {"color"},
    "*": {"dir", "lang"},
}
# Removed together with their content (not just unwrapped).
DROPPED_WITH_CONTENT = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "svg"}
SAFE_IMAGE = re.compile(r"^cid:", re.IGNORECASE)
# The only URL schemes left in any attribute (nh3 drops every other, and relative URLs stay).
URL_SCHEMES = {"http", "https", "mailto", "cid"}


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        # A remote image is a tracking pixel (and a privacy leak): keep only attached (cid:) ones.
        return value if SAFE_IMAGE.match(value.strip()) else None
    return value


def sanitize_html(html: str) -> str:
    """Sanitised HTML safe to show in a sandboxed iframe: no script, no handlers, no remote images."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "div", "dl", "dt", "dd", "fieldset", "figure", "footer",
    "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
    "section", "table", "tr", "ul",
}  # fmt: skip
SKIPPED = {"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.pre_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in {"td", "th"}:
            self.parts.append("\t")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "pre":
            self.pre_depth += 1

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag == "hr":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skip_depth = max(self.skip_depth - 1, 0)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "pre":
            self.pre_depth = max(self.pre_depth - 1, 0)

    def handle_data(self, data):
        if self.skip_depth:
            return
        if self.pre_depth:
            self.parts.append(data)
            return
        data = re.sub(r"[ \t\r\n\f\v]+", " ", data)
        if not self.parts or self.parts[-1].endswith(("\n", "\t")):
            data = data.lstrip(" ")
        if data:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML mail (paragraphs, line breaks and list items kept)."""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
    except Exception:  # html.parser is lenient, but never let a mail crash ingestion
        return nh3.clean(html, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)
    text = "".join(extractor.parts).replace("\xa0", " ")
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
