"""Conversation subjects: a short one made from what was said, and the subject of our reply."""

from __future__ import annotations

import re

MAX_SUBJECT = 80
MAX_SENTENCE_SUBJECT = 60
ELLIPSIS = "…"
# A sentence ends at . ! ? (or their full-width forms) followed by white space or the end; "2.5" or
# "example.com" do not end one.
SENTENCE_END = re.compile(r"[.!?。！？](?=\s|$)")


def short_subject(text: str, limit: int = MAX_SUBJECT) -> str:
    """The first non-empty line of `text`, white space collapsed; a longer line is cut at the
    last word boundary that fits (or inside a single long word) and ends with "…"."""
    line = next((" ".join(line.split()) for line in str(text).splitlines() if line.strip()), "")
    if len(line) <= limit:
        return line
    room = limit - len(ELLIPSIS)
    cut = line[: room + 1].rfind(" ")
    head = line[:cut] if cut > 0 else line[:room]
    return head.rstrip() + ELLIPSIS


def first_sentence_subject(text: str, limit: int = MAX_SENTENCE_SUBJECT) -> str:
    """The first sentence of the first non-empty line of `text` (a customer's message on the
    contact form), cut at a word as short_subject does when it is longer than `limit`; Korean
    sentences end with the same marks and break at the same spaces."""
    line = short_subject(text, limit=10_000)
    end = SENTENCE_END.search(line)
    return short_subject(line[: end.end()] if end else line, limit=limit)


def reply_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"
