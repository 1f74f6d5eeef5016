"""Staff offboarding: a registry of "work a staff member owns".

Each app that gives people ownership of something registers a provider in its
AppConfig.ready(): clients registers "clients as account owner" and "clients as backup owner",
inquiries "inquiries in progress", followups open conversations, open check-ins and running
snoozes::

    from clients import offboarding
    offboarding.register(OpenConversationsProvider())

A new model with an owner (a ForeignKey to AUTH_USER_MODEL that means "this is their work", not
"who did it") needs a provider too. The manager's offboarding page lists every provider's items,
asks for confirmation, moves everything to another active staff member (`staff_offboard` in
clients.services; each provider in a savepoint of its own, each item on its client's timeline),
and deactivates the account only when nothing is left.

Clients that would end with no backup owner (the receiver was already their owner or backup, and
owner and backup are never one person) are listed on the confirmation page, which offers a new
backup for them (`backups_lost`). After the handover the apps above may tell the receiver: they
register with `on_handed_over` (followups.reminders sends one notice listing what they now own),
so `clients` never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from django.db.models import Q

from .models import Client


@runtime_checkable
class OwnedWorkProvider(Protocol):
    key: str
    label: str  # translatable, shown as the group heading on the offboarding page

    def count_for(self, user) -> int: ...

    def items_for(self, user) -> list[tuple[str, str]]:
        """(plain-text title, url) of each item, for the listing."""
        ...

    def reassign(self, *, from_user, to_user, actor) -> int:
        """Move everything `from_user` owns to `to_user`, record timeline events, return the count.

        Called inside the transaction of the offboarding; must leave nothing owned by `from_user`.
        """
        ...


_providers: dict[str, OwnedWorkProvider] = {}


def register(provider: OwnedWorkProvider) -> None:
    """Add (or replace, by key) a provider. Idempotent, so ready() may run twice."""
    _providers[provider.key] = provider


def providers() -> list[OwnedWorkProvider]:
    return list(_providers.values())


def owned_work(user) -> list[tuple[OwnedWorkProvider, int]]:
    """(provider, count) for every registered provider, in registration order."""
    return [(provider, provider.count_for(user)) for provider in providers()]


def owned_count(user) -> int:
    return sum(count for _, count in owned_work(user))


def backups_lost(*, user, to_user):
    """Clients that have no backup owner once `to_user` takes over `user`'s work: `user` owns them
    and `to_user` is their backup (who becomes owner), or the other way round."""
    return Client.objects.filter(
        Q(account_owner=user, backup_owner=to_user) | Q(account_owner=to_user, backup_owner=user)
    ).order_by("name", "id")


_handed_over: list[Callable] = []


def on_handed_over(function: Callable) -> Callable:
    """`function(*, from_user, to_user, actor, work)` runs once after an offboarding moved work, in
    its transaction; `work` is [(provider label, [plain-text title, ...]), ...] of what moved.
    Registering the same function twice keeps one."""
    if function not in _handed_over:
        _handed_over.append(function)
    return function


def handed_over(*, from_user, to_user, actor, work: list[tuple[str, list[str]]]) -> None:
    for function in _handed_over:
        function(from_user=from_user, to_user=to_user, actor=actor, work=work)
