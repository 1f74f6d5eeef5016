"""scripts/backup.sh and scripts/restore.sh (issue 16): back up a populated database and its media
directory, restore them into a fresh database and directory, and find every client, message and
attachment there. The real pg_dump/pg_restore run as subprocesses against the test database; the
restore target is a throwaway database dropped afterwards."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from clients.models import Client
from followups.conversations.services import conversation_reply, conversation_start, message_receive
from followups.mailin.ingest import mail_ingest
from followups.mailin.models import InboundAttachment, MailSource
from followups.models import Channel, Message
from tests.factories import ClientFactory, ContactFactory
from tests.followups.mailin_support import build_email

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4 \xea\xb2\xac\xec\xa0\x81\xec\x84\x9c binary \x00\x01\x02"


def _url(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


def _admin_connection():
    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname="postgres", user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or "localhost", port=s["PORT"]
    )
    conn.autocommit = True
    return conn


def run_script(script: str, *args: str, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"MEDIA_ROOT", "VAR_DIR"}}
    environment.update({key: str(value) for key, value in env.items()})
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / script), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def restore_target():
    """A fresh, empty database (a throwaway name), dropped afterwards."""
    name = f"gonggam_restore_{uuid.uuid4().hex[:12]}"
    admin = _admin_connection()
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def populated(settings, tmp_path, owner):
    """Clients, a conversation with Korean messages, and an inbound email whose attachment is a
    file under MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    clients = [ClientFactory(name=name, account_owner=owner) for name in ("한빛물류", "Acme Studio", "김하늘 디자인")]
    contact = ContactFactory(client=clients[0], email="minji@customer.example")
    conversation = conversation_start(
        client=clients[0], contact=contact, subject="배송 조회 오류", channel=Channel.PHONE, actor=owner
    )
    message_receive(conversation=conversation, body="배송 조회가 안 됩니다", channel=Channel.PHONE)
    conversation_reply(conversation=conversation, author=owner, body="확인해 보겠습니다", channel=Channel.PHONE)
    email = build_email(from_="minji@customer.example", subject="견적서 보내드립니다", body="첨부 확인 부탁드립니다")
    email.add_attachment(PDF, maintype="application", subtype="pdf", filename="견적서.pdf")
    assert mail_ingest(raw=email.as_bytes(), source=MailSource.IMAP).outcome == "ingested"
    attachment = InboundAttachment.objects.get()
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).read_bytes() == PDF
    return {
        "clients": sorted(Client.objects.values_list("name", flat=True)),
        "messages": sorted(Message.objects.values_list("body", flat=True)),
        "attachment": attachment.file.name,
        "media_root": Path(settings.MEDIA_ROOT),
    }


def _rows(name: str, query) -> list:
    s = connection.settings_dict
    conn = psycopg2.connect(
        dbname=name, user=s["USER"], password=s["PASSWORD"], host=s["HOST"] or "localhost", port=s["PORT"]
    )
    try:
        with conn.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall()
    finally:
        conn.close()


def _select(name: str, model, *columns: str) -> list:
    """The rows of a model's table in the database `name` (not Django's connection)."""
    query = sql.SQL("SELECT {} FROM {}").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(model._meta.db_table)
    )
    return _rows(name, query)


def _backup(populated, tmp_path, **env) -> Path:
    result = run_script(
        "backup.sh",
        DATABASE_URL=_url(connection.settings_dict["NAME"]),
        MEDIA_ROOT=populated["media_root"],
        BACKUP_DIR=tmp_path / "backups",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.strip().splitlines()[-1])


def test_a_backup_restores_every_client_message_and_attachment(populated, tmp_path, restore_target):
    backup = _backup(populated, tmp_path)
    assert sorted(p.name for p in backup.iterdir()) == ["SHA256SUMS", "backup.txt", "database.dump", "media.tar.gz"]
    assert "password" not in (backup / "backup.txt").read_text()

    restored_media = tmp_path / "restored-media"
    result = run_script("restore.sh", str(backup), DATABASE_URL=_url(restore_target), MEDIA_ROOT=restored_media)
    assert result.returncode == 0, result.stderr

    clients = sorted(name for (name,) in _select(restore_target, Client, "name"))
    assert clients == populated["clients"]
    messages = sorted(body for (body,) in _select(restore_target, Message, "body"))
    assert messages == populated["messages"] and "첨부 확인 부탁드립니다" in messages
    [(filename, path)] = _select(restore_target, InboundAttachment, "filename", "file")
    assert (filename, path) == ("견적서.pdf", populated["attachment"])
    assert (restored_media / path).read_bytes() == PDF
    # The restored database is one the app runs on: every migration is recorded as applied.
    check = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--check"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _url(restore_target), "MEDIA_ROOT": str(restored_media)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_restore_refuses_a_database_or_media_in_use_unless_told_to_replace_them(populated, tmp_path, restore_target):
    backup = _backup(populated, tmp_path)
    target = {"DATABASE_URL": _url(restore_target), "MEDIA_ROOT": tmp_path / "restored-media"}
    assert run_script("restore.sh", str(backup), **target).returncode == 0

    again = run_script("restore.sh", str(backup), **target)
    assert again.returncode != 0 and "already has" in again.stderr and "--clean" in again.stderr

    replaced = run_script("restore.sh", "--clean", str(backup), **target)
    assert replaced.returncode == 0, replaced.stderr
    assert len(_select(restore_target, Client, "id")) == len(populated["clients"])


def test_a_damaged_backup_is_refused_before_anything_is_touched(populated, tmp_path, restore_target):
    backup = _backup(populated, tmp_path)
    dump = backup / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    result = run_script(
        "restore.sh", str(backup), DATABASE_URL=_url(restore_target), MEDIA_ROOT=tmp_path / "restored-media"
    )
    assert result.returncode != 0 and "checksums" in result.stderr
    assert _rows(restore_target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]
    assert not (tmp_path / "restored-media").exists()


def test_backups_keep_the_newest_backup_keep(populated, tmp_path):
    made = [_backup(populated, tmp_path, BACKUP_KEEP=2) for _ in range(3)]
    left = sorted(p.name for p in (tmp_path / "backups").iterdir() if p.is_dir())
    assert left == sorted(p.name for p in made[1:])


def test_backup_needs_a_postgresql_url(tmp_path):
    result = run_script("backup.sh", DATABASE_URL="sqlite:///var/db.sqlite3", BACKUP_DIR=tmp_path)
    assert result.returncode != 0 and "PostgreSQL" in result.stderr
    assert run_script("backup.sh", DATABASE_URL="", BACKUP_DIR=tmp_path).returncode != 0
