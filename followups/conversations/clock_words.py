"""The response clock in words: "Overdue by 2h 05m", "2h 05m left", "waiting 1h 10m (business)".

A page of fifty waiting conversations says these words a hundred times, so `ClockWords` translates
them once, in the language active when it is made, and only formats numbers per row.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .selectors import ClockState


class ClockWords:
    """The clock's words in the language active when it is made (the page's reader)."""

    def __init__(self):
        self.hours_minutes = _("%(hours)dh %(minutes)02dm")
        self.minutes_only = _("%(minutes)dm")
        self.overdue_by = _("Overdue by %(late)s")
        self.left = _("%(left)s left")
        self.waiting = _("waiting %(waited)s (business)")

    def duration(self, seconds: int | None) -> str:
        """Seconds of business time as "2h 05m" (absolute value; the words around say late or left)."""
        return duration_words(seconds, self.hours_minutes, self.minutes_only)

    def badge(self, clock: ClockState | None) -> str:
        """A waiting conversation's badge: "Overdue by 2h 05m" or "2h 05m left"."""
        if clock is None:
            return ""
        duration = self.duration(clock.left_business_seconds)
        if clock.overdue:
            return self.overdue_by % {"late": duration}
        return self.left % {"left": duration}

    def waited(self, clock: ClockState | None) -> str:
        """How long the customer has waited: "waiting 1h 10m (business)"."""
        if clock is None:
            return ""
        return self.waiting % {"waited": self.duration(clock.waiting_business_seconds)}


def duration_words(seconds: int | None, hours_minutes: str | None = None, minutes_only: str | None = None) -> str:
    """Seconds as "2h 05m" (absolute value), translating the two formats unless they are given."""
    if seconds is None:
        return ""
    hours, minutes = divmod(abs(int(seconds)) // 60, 60)
    if hours:
        return (hours_minutes or _("%(hours)dh %(minutes)02dm")) % {"hours": hours, "minutes": minutes}
    return (minutes_only or _("%(minutes)dm")) % {"minutes": minutes}
