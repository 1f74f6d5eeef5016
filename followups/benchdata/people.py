"""Benchmark staff (a manager and eight colleagues) and clients of every tier with their contacts."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agency_crm.roles import MANAGER_GROUP, STAFF_GROUP
from clients.models import Client, Contact

from .bulk_copy import CopyWriter, first_free_id, sync_sequence
from .words import (
    BENCH_PASSWORD,
    CLIENT_KINDS_EN,
    CLIENT_PREFIXES_KO,
    CLIENT_SUFFIXES_KO,
    CLIENT_WORDS_EN,
    STAFF_NAMES,
    TIER_WEIGHTS,
    weighted,
)


def bench_staff() -> list:
    """The staff members (the manager is created too but not returned); reused on --append."""
    User = get_user_model()
    manager, created = User.objects.get_or_create(
        username="bench_manager", defaults={"first_name": "Bench", "last_name": "Manager", "is_staff": True}
    )
    if created:
        manager.set_password(BENCH_PASSWORD)
        manager.save()
    manager.groups.add(Group.objects.get(name=MANAGER_GROUP))
    staff = []
    for username, first, last in STAFF_NAMES:
        user, created = User.objects.get_or_create(
            username=f"bench_{username}",
            defaults={"first_name": first, "last_name": last, "email": f"{username}@bench.example"},
        )
        if created:
            user.set_password(BENCH_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=STAFF_GROUP))
        staff.append(user)
    return staff


def bench_clients(
    count: int, staff: list, *, rng: random.Random, now: dt.datetime, contacts: int | None = None
) -> list[tuple[int, str, list[int], int, bool]]:
    """Returns (client id, tier, [contact ids], account owner id, writes Korean) per new client.

    Each client has one or two contacts, or, with `contacts`, exactly that many in all, spread
    evenly (at least one each).
    """
    first_client = first_free_id(Client)
    if contacts is None:
        contacts_per_client = [1 + (rng.random() < 0.5) for _ in range(count)]
    else:
        base, extra = divmod(max(contacts, count), count)
        contacts_per_client = [base + (index < extra) for index in range(count)]
    first_contact = first_free_id(Contact)
    client_rows = CopyWriter(
        Client, {"id", "name", "response_tier", "status", "account_owner_id", "created_at"}, updated_at=now
    )
    contact_rows = CopyWriter(Contact, {"id", "client_id", "name", "email", "created_at"})
    result = []
    contact_id = first_contact
    for index in range(count):
        client_id = first_client + index
        korean = rng.random() < 0.6
        if korean:
            name = f"{rng.choice(CLIENT_PREFIXES_KO)} {rng.choice(CLIENT_SUFFIXES_KO)} {index + 1}"
        else:
            name = f"{rng.choice(CLIENT_WORDS_EN)} {rng.choice(CLIENT_KINDS_EN)} {index + 1}"
        tier = weighted(rng, TIER_WEIGHTS)
        owner = rng.choice(staff)
        status = {"maintenance": "maintenance", "prospect": "prospect"}.get(tier, "active")
        client_rows.add(
            id=client_id,
            name=name,
            response_tier=tier,
            status=status,
            account_owner_id=owner.pk,
            created_at=now - dt.timedelta(days=rng.randint(0, 900)),
        )
        ids = []
        for number in range(contacts_per_client[index]):
            contact_rows.add(
                id=contact_id,
                client_id=client_id,
                name=_contact_name(korean, index, number),
                email=f"contact{index + 1}-{number + 1}@client{index + 1}.example",
                created_at=now - dt.timedelta(days=rng.randint(0, 900)),
                preferred_language="ko" if korean else "en",
            )
            ids.append(contact_id)
            contact_id += 1
        result.append((client_id, tier, ids, owner.pk, korean))
    client_rows.flush()
    contact_rows.flush()
    sync_sequence(Client)
    sync_sequence(Contact)
    return result


FAMILY_NAMES_KO = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]
GIVEN_NAMES_KO = ["민준", "서연", "하늘", "지우", "도윤", "하은", "시우", "수아", "예준", "지민"]
GIVEN_NAMES_EN = ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn"]
FAMILY_NAMES_EN = ["Kim", "Lee", "Park", "Smith", "Brown", "Choi", "Jones", "Han", "Baker", "Moore"]


def _contact_name(korean: bool, index: int, number: int) -> str:
    """A first contact keeps the old "담당자 12-1" name (earlier results stay comparable); the others
    get people's names, so a type-ahead search has realistic matches. Drawn from a generator of
    their own, so the rest of the data set stays the same for a seed."""
    rng = random.Random(index * 1000 + number)
    if number == 0:
        return f"{'담당자' if korean else 'Contact'} {index + 1}-{number + 1}"
    if korean:
        return f"{rng.choice(FAMILY_NAMES_KO)}{rng.choice(GIVEN_NAMES_KO)}"
    return f"{rng.choice(GIVEN_NAMES_EN)} {rng.choice(FAMILY_NAMES_EN)}"
