"""How a colleague is named everywhere (timeline summaries, notifications, emails, choices).

Korean names are written family name first without a space (박민지); Latin names given name
first (Minji Park). Each reader may choose the order in their settings; the request (or an email
being written for that person) sets it with `use_name_order()`.
"""

from __future__ import annotations

import contextlib
import contextvars
import re

AUTO, FAMILY_FIRST, GIVEN_FIRST = "auto", "family_first", "given_first"

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_order: contextvars.ContextVar[str] = contextvars.ContextVar("gonggam_name_order", default=AUTO)


def name_parts(user) -> tuple[str, str]:
    """(given, family) of a user, or of a stored person (agency_crm.facts.person)."""
    if isinstance(user, dict):
        return (user.get("first") or "").strip(), (user.get("last") or "").strip()
    return (user.first_name or "").strip(), (user.last_name or "").strip()


def _username(user) -> str:
    if isinstance(user, dict):
        return user.get("username") or ""
    return user.get_username()


def is_hangul(text: str) -> bool:
    return bool(_HANGUL.search(text or ""))


def format_name(given: str, family: str, order: str = AUTO) -> str:
    """The full name in `order`: Hangul names join without a space, family name first under AUTO."""
    if not given or not family:
        return given or family
    hangul = is_hangul(given) or is_hangul(family)
    joiner = "" if hangul else " "
    family_first = order == FAMILY_FIRST or (order == AUTO and hangul)
    return joiner.join((family, given) if family_first else (given, family))


def display_name(user, empty: str = "") -> str:
    """The full name in the reader's order, else the username; `empty` when there is nobody."""
    if user is None:
        return empty
    given, family = name_parts(user)
    return format_name(given, family, _order.get()) or _username(user) or empty


def current_name_order() -> str:
    return _order.get()


def activate_name_order(order: str | None) -> contextvars.Token:
    return _order.set(order if order in (AUTO, FAMILY_FIRST, GIVEN_FIRST) else AUTO)


def deactivate_name_order(token: contextvars.Token) -> None:
    _order.reset(token)


@contextlib.contextmanager
def use_name_order(order: str | None):
    token = activate_name_order(order)
    try:
        yield
    finally:
        deactivate_name_order(token)
