"""The difference between two revisions of an article, line by line (difflib), as plain-text rows
the template shows escaped: ("same" | "added" | "removed", line)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

# Unchanged lines shown around each change; the rest fold into a "…" row.
CONTEXT_LINES = 3


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed" or "gap"
    text: str


def text_diff(old: str, new: str, *, context: int = CONTEXT_LINES) -> list[DiffLine]:
    old_lines, new_lines = (old or "").splitlines(), (new or "").splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows: list[DiffLine] = []
    for index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if index or (group and (group[0][1] > 0 or group[0][3] > 0)):
            rows.append(DiffLine("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffLine("same", line) for line in old_lines[i1:i2]]
                continue
            rows += [DiffLine("removed", line) for line in old_lines[i1:i2]]
            rows += [DiffLine("added", line) for line in new_lines[j1:j2]]
    return rows


def field_changes(old, new) -> list[str]:
    """The names of the revision fields that differ between two revisions (besides the text)."""
    return [name for name in ("title", "category_name", "tags") if getattr(old, name) != getattr(new, name)]
