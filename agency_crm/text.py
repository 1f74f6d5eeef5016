"""Customer text at the door: no control characters, no bidi overrides.

A name, subject or message is shown to staff and customers as text, but text can still lie: a
U+202E (right-to-left override) turns "gnp.exe" into what reads as "exe.png", ESC starts terminal
colour codes in a log, and BEL or backspace hide characters. Every name, subject and message that
reaches us (forms, email, imports) passes through here before it is stored:

- `clean_line` for single-line fields: every C0 and C1 control, DEL and the bidi embedding,
  override and isolate characters go; a tab or line break becomes a space.
- `clean_text` for messages: the same, but line breaks and tabs stay.

Zero-width joiners and the left-to-right/right-to-left marks stay: scripts and emoji need them,
and they cannot reorder what follows.
"""

from __future__ import annotations

import re

# Bidi embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069).
_BIDI = "\u202a-\u202e\u2066-\u2069"
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_LINE_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_TEXT_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")


def clean_line(value) -> str:
    """A single line of customer text: breaks become spaces, runs of white space one, controls gone."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    return " ".join(_LINE_CONTROLS.sub("", text).split())


def clean_text(value) -> str:
    """A message: line breaks (\\n, \\r) and tabs kept, every other control character gone."""
    return _TEXT_CONTROLS.sub("", "" if value is None else str(value))
