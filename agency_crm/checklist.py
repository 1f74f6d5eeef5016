"""The first-run checklist on a manager's home page: what a new agency sets up in the app.

A small registry, as in agency_crm.health: agency_crm registers the item it owns (the team) and
the apps above register theirs from their AppConfig.ready() (clients: importing clients;
followups: opening hours, response targets, the mailbox, the website form), so agency_crm never
imports them. Each item names its page by URL name, resolved when the list is shown: an item
whose page does not exist (yet) is left out instead of breaking the home page. Each item's
`done()` reads the state it is about, so the list ticks itself; it shows until every item is
done or the manager hides it (ChecklistDismissal, per person).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ChecklistDismissal
from .roles import is_manager


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    label: str
    hint: str
    url_name: str
    done: Callable[[], bool]
    order: int


@dataclass(frozen=True)
class ShownItem:
    key: str
    label: str
    hint: str
    url: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    items: list[ShownItem]

    @property
    def done_count(self) -> int:
        return sum(item.done for item in self.items)


_items: dict[str, ChecklistItem] = {}


def register_item(*, key: str, label, hint, url_name: str, done: Callable[[], bool], order: int) -> None:
    """Add (or replace) an item; idempotent, so ready() may run twice. `url_name` is resolved
    only when the list is shown."""
    _items[key] = ChecklistItem(key=key, label=label, hint=hint, url_name=url_name, done=done, order=order)


def unregister_item(*, key: str) -> None:
    _items.pop(key, None)


def checklist_for(*, user) -> Checklist | None:
    """The list for `user`'s home page: None for staff, once hidden, and once everything is done.
    One query for the dismissal, then one small query per item."""
    if not is_manager(user) or ChecklistDismissal.objects.filter(user=user).exists():
        return None
    shown = []
    for item in sorted(_items.values(), key=lambda i: (i.order, i.key)):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        shown.append(ShownItem(key=item.key, label=str(item.label), hint=str(item.hint), url=url, done=item.done()))
    if not shown or all(item.done for item in shown):
        return None
    return Checklist(items=shown)


def checklist_dismiss(*, user) -> None:
    """Hide the list for `user` for good (idempotent)."""
    ChecklistDismissal.objects.get_or_create(user=user, defaults={"dismissed_at": timezone.now()})


def team_added() -> bool:
    """A colleague invited (or joined through an invitation), or at least two active people who
    are not the demo logins of `seed_demo` (`make run` loads them): the manager is no longer alone."""
    from .management.commands.seed_demo import DEMO_USERS
    from .team.models import Invitation  # models load after this registry module

    invited = Invitation.objects.filter(cancelled_at__isnull=True).exists()
    demo = [username for username, *_rest in DEMO_USERS]
    return invited or get_user_model().objects.filter(is_active=True).exclude(username__in=demo).count() >= 2


register_item(
    key="team",
    label=_("Add your team"),
    hint=_("Invite your colleagues, as staff or managers."),
    url_name="team:people",
    done=team_added,
    order=10,
)
