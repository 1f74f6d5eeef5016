"""The suite's own database: a session never inherits what an earlier one left (tests/database.py).

Two real pytest sessions on one scratch database name: the first dies in the middle of a
transactional test, after committing a row and before any flush; the second must start without
that row and with everything the migrations create.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from psycopg2 import sql

from tests.parallel import worker_number

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.integration

CONFTEST = "from tests.conftest import django_db_setup  # noqa: F401\n"

DIES = """
import os

import pytest
from django.contrib.auth import get_user_model


@pytest.mark.django_db(transaction=True)
def test_dies_in_the_middle():
    get_user_model().objects.create(username="left-behind")
    os._exit(3)
"""

STARTS_CLEAN = """
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from inquiries.board.models import PipelineStage


@pytest.mark.django_db
def test_the_next_session_starts_clean():
    assert not get_user_model().objects.filter(username="left-behind").exists()
    assert set(Group.objects.values_list("name", flat=True)) >= {"Manager", "Staff"}
    assert PipelineStage.objects.exists()
"""


def _session(folder: Path, name: str, source: str) -> subprocess.CompletedProcess:
    (folder / name).write_text(source)
    number = worker_number()
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    suffix = number if number is not None else "one"
    env["DATABASE_URL"] = f"postgres://postgres@localhost:5432/gonggam_sessions_{suffix}"
    options = ["-q", "-p", "no:xdist", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml")]
    return subprocess.run(
        [sys.executable, "-m", "pytest", *options, str(folder / name)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_session_never_sees_what_a_killed_one_left(tmp_path):
    (tmp_path / "conftest.py").write_text(CONFTEST)
    died = _session(tmp_path, "test_dies.py", DIES)
    assert died.returncode == 3, died.stdout + died.stderr
    clean = _session(tmp_path, "test_starts_clean.py", STARTS_CLEAN)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def _row_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [name for (name,) in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_every_table_holds_what_the_template_holds():
    """What a transactional test's flush leaves is the template's content: a data migration that
    seeds rows without an entry in tests.database.SEEDING_MIGRATIONS fails here."""
    import psycopg2
    from django.db import connection

    from tests import database
    from tests.factories import ClientFactory

    ClientFactory(name="Left by a test")  # a client, its owner, and what they bring
    database.flush()
    with connection.cursor() as cursor:
        after_flush = _row_counts(cursor)
    settings = connection.settings_dict
    template = database.TEMPLATE_PREFIX + database.fingerprint()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [database._LOCK])  # nobody copies it meanwhile
        try:
            own = psycopg2.connect(
                dbname=template, user=settings["USER"], host=settings["HOST"] or None, port=settings["PORT"] or None
            )
            try:
                with own.cursor() as template_cursor:
                    in_template = _row_counts(template_cursor)
            finally:
                own.close()
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [database._LOCK])
    # Django's own tables are refilled by its post_migrate (content types, permissions), ours by
    # the seeding migrations; the migration history is not a table the flush empties.
    assert after_flush == in_template
    assert in_template["board_pipelinestage"] > 0 and in_template["followups_responsepolicy"] > 0
