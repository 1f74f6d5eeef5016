"""Every test session starts on a fresh copy of a migrated template database.

pytest-django's --reuse-db kept the last session's test database as it was left: a session
stopped in the middle of a transactional test (killed, or a machine image taken while it ran) left
that test's rows behind, and every database test of the next session saw them (CI, 2026-12-08: 54
failures on strangers' users and conversations). A session that finished had the opposite
problem: the last flush had emptied what the data migrations create.

Here the migrated database is kept as a template, named after a fingerprint of what goes into it
(every migration file, the project modules the migrations import and the post_migrate receivers),
and every session (each xdist worker) gets its own copy, made with CREATE DATABASE ... TEMPLATE
in a second or two, and dropped at the end. Nothing a test leaves survives its session; a change
to a migration builds a new template once. `pytest --create-db` rebuilds it anyway.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.util
import sys
import time
import weakref
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PREFIX = "gonggam_test_template_"
# Templates of other fingerprints (other branches, older migrations) are dropped after this long.
STALE_SECONDS = 2 * 24 * 3600
# One advisory lock for every session on this server: building and copying a template need it
# to themselves (CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template).
_LOCK = 7_204_771_301


def _project_file(module_name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    origin = Path(spec.origin).resolve()
    if not origin.is_file() or ROOT not in origin.parents or ".venv" in origin.parts:
        return None
    return origin


def _imported_project_files(source: str) -> set[Path]:
    found: set[Path] = set()
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            path = _project_file(name)
            if path is not None:
                found.add(path)
    return found


@functools.cache
def fingerprint() -> str:
    """What the migrated database depends on, hashed: change any of it and a new template is built."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.models.signals import post_migrate

    files: set[Path] = set()
    for migration in MigrationLoader(None, ignore_no_migrations=True).disk_migrations.values():
        module = sys.modules[migration.__module__]
        path = Path(module.__file__).resolve()
        files.add(path)
        if ROOT in path.parents:
            files |= _imported_project_files(path.read_text())
    for _key, receiver, *_ in post_migrate.receivers:
        function = receiver() if isinstance(receiver, weakref.ReferenceType) else receiver
        module_name = getattr(function, "__module__", None) or ""
        path = _project_file(module_name) if module_name and not module_name.startswith("tests.") else None
        if path is not None:
            files.add(path)
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(ROOT) if ROOT in path.parents else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _build_template(cursor, template: str) -> None:
    building = f"{template}_building"
    cursor.execute(f"DROP DATABASE IF EXISTS {_quote(building)} WITH (FORCE)")
    test_settings = connection.settings_dict.setdefault("TEST", {})
    asked, test_settings["NAME"] = test_settings.get("NAME"), building
    original = connection.settings_dict["NAME"]
    try:
        # Django's own test-database creation: CREATE DATABASE, migrate, post_migrate.
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    finally:
        test_settings["NAME"] = asked
        connection.close()
        connection.settings_dict["NAME"] = original
        settings.DATABASES[connection.alias]["NAME"] = original
    # Renamed once complete: a session killed while migrating leaves only a `_building` database.
    cursor.execute(f"ALTER DATABASE {_quote(building)} RENAME TO {_quote(template)}")
    cursor.execute(f"COMMENT ON DATABASE {_quote(template)} IS %s", [str(int(time.time()))])


def _drop_stale_templates(cursor, keep: str) -> None:
    cursor.execute(
        "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database WHERE datname LIKE %s",
        [TEMPLATE_PREFIX + "%"],
    )
    for name, built in cursor.fetchall():
        if name != keep and not name.endswith("_building"):
            if not (built or "").isdigit() or time.time() - int(built) > STALE_SECONDS:
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")


def create_fresh_test_database(*, rebuild_template: bool = False) -> str:
    """Point the default connection at a new copy of the migrated template; returns its name."""
    test_name = connection.creation._get_test_db_name()
    template = TEMPLATE_PREFIX + fingerprint()
    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK])
        try:
            if rebuild_template or not _exists(cursor, template):
                cursor.execute(f"DROP DATABASE IF EXISTS {_quote(template)} WITH (FORCE)")
                _build_template(cursor, template)
            else:
                cursor.execute(f"COMMENT ON DATABASE {_quote(template)} IS %s", [str(int(time.time()))])
            _drop_stale_templates(cursor, keep=template)
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(template)}")
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK])
    connection.settings_dict["NAME"] = test_name
    settings.DATABASES[connection.alias]["NAME"] = test_name
    return test_name


def drop_test_database(test_name: str, original_name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = original_name
    settings.DATABASES[connection.alias]["NAME"] = original_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)} WITH (FORCE)")


# What the data migrations put in a new database, by the migrations' own functions: a transactional
# test's flush empties every table, and this puts it back (post_migrate, which the flush sends), so
# that every test of a session finds the database as the template made it, whichever ran before
# it (tests/test_test_database.py compares the two). A new data migration that seeds rows goes here.
SEEDING_MIGRATIONS = [
    ("followups", "0002_default_policies", "create_policies"),
    ("followups", "0004_care_default_plans", "create_plans"),
    ("inquiries", "0002_default_discovery_questions", "add_questions"),
    ("board", "0002_default_stages_and_lost_reasons", "seed"),
]


def restore_migration_data(sender, **kwargs) -> None:
    from django.apps import apps

    if sender.label != "board":  # post_migrate comes once per app; board is among the last
        return
    for label, migration, function in SEEDING_MIGRATIONS:
        module = importlib.import_module(f"{apps.get_app_config(label).module.__name__}.migrations.{migration}")
        getattr(module, function)(apps, None)


def restore_after_flush() -> None:
    from django.db.models.signals import post_migrate

    post_migrate.connect(restore_migration_data, dispatch_uid="tests.database.restore_migration_data")


def flush(alias: str = "default") -> None:
    """What a transactional test's teardown does instead of Django's `flush` command: DELETE from
    the tables that have rows (FK checks deferred to the commit), then post_migrate as `flush`
    sends it. Django's TRUNCATE of every table took 0.7 s per transactional test (new files for
    some 150 tables and their indexes); a test leaves rows in a few. DELETE leaves dead rows, as a
    database test's rollback does: the tests that read query plans set up their own tables."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connections, transaction

    database = connections[alias]
    tables = database.introspection.django_table_names(only_existing=True, include_views=False)
    quote = database.ops.quote_name
    with database.cursor() as cursor:
        cursor.execute(
            # Table names from Django's introspection, quoted: no input of anyone's.
            " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables),  # noqa: S608
            tables,
        )
        filled = [name for (name,) in cursor.fetchall()]
    if filled:
        with transaction.atomic(using=alias), database.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in filled:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (an introspected name, quoted)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=alias)


def fast_flush_after_transactional_tests() -> None:
    """Django's TransactionTestCase (behind pytest-django's transactional_db) flushes with `flush`."""
    from django.test import TransactionTestCase

    def _fixture_teardown(self):
        for alias in self._databases_names(include_mirrors=False):
            flush(alias)

    TransactionTestCase._fixture_teardown = _fixture_teardown
