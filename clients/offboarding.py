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
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


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
