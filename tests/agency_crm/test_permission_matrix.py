"""The permission matrix (issue 15): every URL pattern of the project x anonymous / staff / owner /
backup / manager, on real objects (tests/agency_crm/permission_world.py), checking the status of
GET, HEAD and (where the URL takes one) POST, and that GET and HEAD write to no table.

The URL list comes from the resolver: a new URL without an entry in EXPECTED (or, for a model
registered in the admin, in ADMIN_MANAGER) gets a failing test of its own. Writes are detected
with PostgreSQL's pg_stat_xact_user_tables: rows inserted, updated or deleted in the current
transaction, per table, so an UPDATE that changes no row count is caught too.

Statuses are written per persona, in PERSONAS order: a number, `L` (a redirect to the login
page), `A` (a redirect to the admin's login page) or `R` (a redirect anywhere else).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import admin
from django.db import connection, transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.agency_crm.permission_matrix_table import ADMIN_MANAGER, EXPECTED, PERSONAS
from tests.agency_crm.permission_world import build_world

MEDIA_ROOT = tempfile.mkdtemp(prefix="gonggam-matrix-")


# --- the URL patterns ---------------------------------------------------------------------------
def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(name, route) of every URL pattern; unnamed ones are named by their route."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}".strip(":") if entry.name else f"{namespace}:<{route}>"
            yield name, route


ALL_PATTERNS = sorted(set(url_patterns()))
ADMIN_MODELS = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}
ADMIN_ACTIONS = ("changelist", "add", "history", "delete", "change")


def admin_model_of(name: str, route: str):
    """(model, action) for a model's admin URL, else None (the admin site's own pages)."""
    if not name.startswith("admin:"):
        return None
    for key, model in ADMIN_MODELS.items():
        for action in ADMIN_ACTIONS:
            if name == f"admin:{key}_{action}":
                return model, action
        if name == f"admin:{key}_password_change":  # the user admin's set-password page
            return model, "password"
        prefix = f"admin/{model._meta.app_label}/{model._meta.model_name}/"
        if name.startswith("admin:<") and route == prefix + "<path:object_id>/":
            return model, "redirect"  # the old-style object URL, sent on to change/
    return None


# --- the world's write detector -----------------------------------------------------------------
def table_writes() -> dict[str, tuple[int, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables")
        return {name: tuple(counts) for name, *counts in cursor.fetchall()}


def written_tables(before: dict, after: dict) -> set[str]:
    return {name for name, counts in after.items() if counts != before.get(name, (0, 0, 0))}


# --- statuses -----------------------------------------------------------------------------------
def status_matches(expected: str, response) -> bool:
    location = response.get("Location", "")
    if expected == "L":
        return response.status_code == 302 and location.startswith(reverse("login"))
    if expected == "A":
        return response.status_code == 302 and location.startswith(reverse("admin:login"))
    if expected == "R":
        return response.status_code in (301, 302) and not location.startswith((reverse("login"), "/admin/login/"))
    return response.status_code == int(expected)


def describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}{' -> ' + location if location else ''}"


@dataclass
class Check:
    url: str
    get: str
    post: str | None = None
    data: Callable | None = None
    get_writes: frozenset[str] = field(default_factory=frozenset)
    head: str | None = None


# A fast hasher: the login POST and the personas' passwords need no real key stretching here.
@override_settings(MEDIA_ROOT=MEDIA_ROOT, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class PermissionMatrix(TestCase):
    @classmethod
    def setUpTestData(cls):
        assert connection.vendor == "postgresql", "the write detector reads PostgreSQL's statistics"
        cls.world = build_world()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA_ROOT, ignore_errors=True)

    def setUp(self):
        self.w = self.world
        self.users = {"anonymous": None, **{p: getattr(self.w, p) for p in PERSONAS[1:]}}
        self.browsers = {}
        for persona, user in self.users.items():
            self.browsers[persona] = Client()
            if user is not None:
                self.browsers[persona].force_login(user)

    # --- one URL pattern ---
    def checks_for(self, name: str, route: str) -> list[Check]:
        model_action = admin_model_of(name, route)
        if model_action is not None:
            return [self.admin_check(name, *model_action)]
        if name not in EXPECTED:
            self.fail(f"{route} ({name}) has no entry in EXPECTED: say who may use it")
        cases = EXPECTED[name]
        checks = []
        for case in cases if isinstance(cases, list) else [cases]:
            path = case.path(self.w) if case.path else reverse(name, kwargs=case.kwargs(self.w))
            url = path + case.query
            checks.append(Check(url, case.get, case.post, case.data, case.get_writes, case.head))
        return checks

    def admin_check(self, name: str, model, action: str) -> Check:
        key = model._meta.label_lower
        if key not in ADMIN_MANAGER:
            self.fail(f"{key} is registered in the admin but not in ADMIN_MANAGER")
        may = set(ADMIN_MANAGER[key].split())
        obj = model._default_manager.order_by("pk").first()
        self.assertIsNotNone(obj, f"the world has no {key}: add one so its admin pages are visited")
        if action == "redirect":  # the old-style object URL is sent on to its change page
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + f"{obj.pk}/"
            # Not one of the admin's own views: the login middleware answers anonymous visitors.
            return Check(url, get="L A A A R", post="L A A A -")
        else:
            url = reverse(name, args=[] if action in ("changelist", "add") else [obj.pk])
            needed = {
                "changelist": {"view", "change"},
                "change": {"view", "change"},
                "history": {"view", "change"},
                "add": {"add"},
                "delete": {"delete"},
                "password": {"change"},
            }[action]
            manager = "200" if may & needed else "403"
        # Only the access boundary is POSTed to: a manager's admin forms are the admin's business.
        return Check(url, get=f"L A A A {manager}", post="L A A A -")

    def run_checks(self, name: str, route: str) -> None:
        problems = []
        for check in self.checks_for(name, route):
            expected_get = check.get.split()
            expected_post = check.post.split() if check.post else None
            expected_head = (check.head or check.get).split()
            for index, persona in enumerate(PERSONAS):
                browser = self.browsers[persona]
                for method in ("get", "head"):
                    before = table_writes()
                    response = getattr(browser, method)(check.url)
                    writes = written_tables(before, table_writes()) - check.get_writes
                    if writes:
                        problems.append(f"{method.upper()} {check.url} as {persona} wrote to {sorted(writes)}")
                    expected = (expected_head if method == "head" else expected_get)[index]
                    # A view that takes GET only (require_GET) answers HEAD with 405.
                    if not (status_matches(expected, response) or (method == "head" and response.status_code == 405)):
                        problems.append(
                            f"{method.upper()} {check.url} as {persona}: {describe(response)}, expected {expected}"
                        )
                if expected_post and expected_post[index] != "-":
                    data = check.data(self.w, self.users[persona]) if check.data else {}
                    with transaction.atomic():
                        response = browser.post(check.url, data)
                        transaction.set_rollback(True)
                    if not status_matches(expected_post[index], response):
                        problems.append(
                            f"POST {check.url} as {persona}: {describe(response)}, expected {expected_post[index]}"
                        )
        if problems:
            self.fail("\n" + "\n".join(problems))


def _slug(name: str) -> str:
    return re.sub(r"\W+", "_", name).strip("_")


def _make_test(name: str, route: str):
    def test(self):
        self.run_checks(name, route)

    test.__doc__ = f"{route} ({name})"
    return test


for _name, _route in ALL_PATTERNS:
    setattr(PermissionMatrix, f"test_{_slug(_name)}", _make_test(_name, _route))


def test_the_table_names_no_url_that_does_not_exist():
    names = {name for name, _route in ALL_PATTERNS}
    assert set(EXPECTED) - names == set()
    registered = {model._meta.label_lower for model in ADMIN_MODELS.values()}
    assert set(ADMIN_MANAGER) - registered == set()


def test_the_walk_sees_every_app_and_the_admin():
    names = {name for name, _route in ALL_PATTERNS}
    for expected in (
        "clients:edit",
        "inquiries:edit",
        "followups:owner",
        "followups:checkin_owner",
        "outbox_detail",
        "admin:index",
        "admin:clients_client_change",
        "password_reset_confirm",
    ):
        assert expected in names


def test_the_write_detector_sees_an_update_that_changes_no_row_count(db):
    from clients.models import Tag

    tag = Tag.objects.create(name="x")
    before = table_writes()
    Tag.objects.filter(pk=tag.pk).update(name="x")
    assert written_tables(before, table_writes()) == {"clients_tag"}
