"""Conversation subjects: a short one made from what was said, and the subject of our reply."""

from __future__ import annotations

MAX_SUBJECT = 80
ELLIPSIS = "…"


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


def reply_subject(subject: str) -> str:
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"
