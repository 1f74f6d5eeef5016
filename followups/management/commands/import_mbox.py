"""Backfill history from an mbox export with the same parser as the IMAP poller (idempotent)."""

import mailbox
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from followups.mailin.ingest import mail_ingest
from followups.mailin.models import MailSource


class Command(BaseCommand):
    help = "Import the emails of an mbox file into conversations; running it again imports nothing twice."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the mbox file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        counts = {"ingested": 0, "duplicate": 0, "failed": 0}
        box = mailbox.mbox(str(path), create=False)
        try:
            for key in box.iterkeys():
                try:
                    raw = box.get_bytes(key)
                except Exception as exc:  # a corrupt entry must not stop the rest
                    self.stderr.write(f"entry {key}: cannot read it: {exc}")
                    counts["failed"] += 1
                    continue
                outcome = mail_ingest(raw=raw, source=MailSource.MBOX).outcome
                counts[outcome] += 1
        finally:
            box.close()
        self.stdout.write(
            f"Imported {counts['ingested']} new, {counts['duplicate']} already imported, "
            f"{counts['failed']} could not be imported (see the 'could not import' page)."
        )
