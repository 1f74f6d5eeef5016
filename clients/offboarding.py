"""Staff offboarding: a registry of "work a staff member owns".

Each app that gives people ownership of something registers a provider in its
AppConfig.ready(): clients registers "clients as account owner" and "clients as backup owner",
inquiries "inquiries in progress", followups open conversations, open check-ins and running
snoozes::

    from clients import offboarding
    offboarding.register(OpenConversationsProvider())

A new model with an owner (a ForeignKey to AUTH_USER_MODEL that means "this is their work", not
"who did it") needs a provider too. The manager's offboarding page lists every provider's items,
asks for confirmation, moves everything to another active staff member (`staff_offboard`, below;
each provider in a savepoint of its own, each item on its client's timeline), and deactivates the
account only when nothing is left.

Clients that would end with no backup owner (the receiver was already their owner or backup, and
owner and backup are never one person) are listed on the confirmation page, which offers a new
backup for them (`backups_lost`). After the handover the apps above may tell the receiver: they
register with `on_handed_over` (followups.reminders sends one notice listing what they now own),
so `clients` never imports them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from agency_crm import facts

from .models import Client
from .services import _record_owner_changes

logger = logging.getLogger(__name__)


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


# Deactivating a person is the team's business too (agency_crm.team registers in its ready()):
# a check that may refuse (the last manager) and a record of who did it. Registries, so that
# clients, the ground floor, never imports what is built on it.
_deactivation_checks: list[Callable] = []
_deactivated: list[Callable] = []


def on_deactivation(*, check: Callable, done: Callable) -> None:
    """`check(*, person)` raises ValidationError to refuse; `done(*, person, actor, handed_to)`
    runs after, in the same transaction. Idempotent."""
    if check not in _deactivation_checks:
        _deactivation_checks.append(check)
    if done not in _deactivated:
        _deactivated.append(done)


def _deactivate(person, *, actor, handed_to=None) -> None:
    for check in _deactivation_checks:
        check(person=person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    for done in _deactivated:
        done(person=person, actor=actor, handed_to=handed_to)


# --- the handover ------------------------------------------------------------------------------
class StaffOffboardingError(ValidationError):
    pass


@dataclass
class OffboardingResult:
    """What staff_offboard did: items moved per provider key, and what is still owned."""

    moved: dict[str, int]
    remaining: list[tuple[OwnedWorkProvider, int]]
    errors: list[str]
    refused: bool = False  # deactivation refused by a check (agency_crm.team: the last manager)

    @property
    def deactivated(self) -> bool:
        return not self.remaining and not self.refused


def staff_offboard(*, user, to_user, actor, new_backup=None) -> OffboardingResult:
    """Hand everything `user` owns (every registered provider) to `to_user`, then deactivate `user`
    when nothing is left.

    Refused (nothing changes) when the target is not another active staff member. Each provider
    moves its work in a savepoint of its own: one that fails is rolled back alone, what the others
    moved stays moved, and `user` stays active while anything is still theirs, so the page can say
    what remains.

    `new_backup` becomes the backup owner of every client that would otherwise lose its backup
    (backups_lost). The receiver is told once, through on_handed_over,
    what they now own.
    """
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if to_user is None or to_user.pk == user.pk:
            raise StaffOffboardingError(_("Choose another staff member to take over the work."))
        to_user = User.objects.select_for_update().get(pk=to_user.pk)
        if not to_user.is_active:
            raise StaffOffboardingError(_("Work can only be handed to an active staff member."))
        if new_backup is not None and (new_backup.pk in (user.pk, to_user.pk) or not new_backup.is_active):
            raise StaffOffboardingError(_("The new backup owner must be another active staff member."))
        losing_backup = list(backups_lost(user=user, to_user=to_user).values_list("pk", flat=True))
        moved, errors, work = {}, [], []
        for provider in providers():
            titles = [title for title, _url in provider.items_for(user)] if provider.count_for(user) else []
            try:
                with transaction.atomic():
                    moved[provider.key] = provider.reassign(from_user=user, to_user=to_user, actor=actor)
                    if moved[provider.key]:
                        work.append((provider.label, titles))
            except (ValidationError, IntegrityError) as error:
                logger.warning("offboarding: %s could not hand over %s: %s", provider.key, user.pk, error)
                moved[provider.key] = 0
                messages = getattr(error, "messages", None) or [str(error)]
                errors.append(f"{provider.label}: {' '.join(messages)}")
        if new_backup is not None and losing_backup:
            _backup_give(client_ids=losing_backup, backup=new_backup, actor=actor)
        if work:
            handed_over(from_user=user, to_user=to_user, actor=actor, work=work)
        remaining = [(provider, count) for provider, count in owned_work(user) if count]
        refused = False
        if not remaining:
            try:
                with transaction.atomic():
                    _deactivate(user, actor=actor, handed_to=to_user)
            except ValidationError as error:
                refused = True  # the work moved; the person stays (e.g. the last manager)
                errors.extend(error.messages)
    return OffboardingResult(moved=moved, remaining=remaining, errors=errors, refused=refused)


def _backup_give(*, client_ids: list[int], backup, actor) -> None:
    """Make `backup` the backup owner of the clients (those that lost theirs in an offboarding),
    unless it is already their owner; each change on the client's timeline."""
    clients = Client.objects.select_for_update(of=("self",)).filter(pk__in=client_ids, backup_owner__isnull=True)
    for client in clients.exclude(account_owner=backup).select_related("account_owner"):
        client.backup_owner = backup
        client.save(update_fields=["backup_owner", "updated_at"])
        _record_owner_changes(client, client.account_owner, None, actor)


def staff_deactivate(*, user, actor) -> None:
    """Deactivate an account that owns nothing (refused otherwise, and by the team's checks)."""
    with transaction.atomic():
        User = get_user_model()
        user = User.objects.select_for_update().get(pk=user.pk)
        if owned_count(user):
            raise StaffOffboardingError(_("Reassign everything this person owns before deactivating the account."))
        try:
            _deactivate(user, actor=actor)
        except ValidationError as error:
            raise StaffOffboardingError(error.messages) from error


class _ClientWork:
    """Clients a staff member answers for in one role; subclasses say which role and how to move it."""

    key: str
    role_field: str

    def _qs(self, user):
        # Archived clients keep their owners too: a restored client must not come back orphaned.
        return Client.objects.filter(**{self.role_field: user})

    def count_for(self, user) -> int:
        return self._qs(user).count()

    def items_for(self, user) -> list[tuple[str, str]]:
        return [
            (c.label, reverse("clients:detail", args=[c.pk]))
            for c in self._qs(user).only("id", "name", "is_placeholder")
        ]

    def _move(self, client, to_user) -> list[str]:
        raise NotImplementedError

    def reassign(self, *, from_user, to_user, actor) -> int:
        reason = facts.fact(gettext_noop("Handed over from %(name)s (offboarding)"), name=facts.person(from_user))
        clients = list(
            self._qs(from_user).select_for_update(of=("self",)).select_related("account_owner", "backup_owner")
        )
        for client in clients:
            old_owner, old_backup = client.account_owner, client.backup_owner
            changed = self._move(client, to_user)
            client.save(update_fields=[*changed, "updated_at"])
            _record_owner_changes(client, old_owner, old_backup, actor, reason=reason)
        return len(clients)


class AccountOwnerWork(_ClientWork):
    key = "clients_owned"
    role_field = "account_owner"

    @property
    def label(self):
        return gettext_lazy("Clients (account owner)")

    def _move(self, client, to_user) -> list[str]:
        client.account_owner = to_user
        if client.backup_owner_id == to_user.pk:
            # The backup takes over as owner; nobody is backup any more (never owner == backup).
            client.backup_owner = None
        return ["account_owner", "backup_owner"]


class BackupOwnerWork(_ClientWork):
    key = "clients_backup"
    role_field = "backup_owner"

    @property
    def label(self):
        return gettext_lazy("Clients (backup owner)")

    def _move(self, client, to_user) -> list[str]:
        # The new backup cannot be the owner: then the client simply has no backup.
        client.backup_owner = None if client.account_owner_id == to_user.pk else to_user
        return ["backup_owner"]
