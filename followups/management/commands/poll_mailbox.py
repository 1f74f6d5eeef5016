"""Poll the IMAP mailbox once (what beat's mailin-poll task does), e.g. to check the settings."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from followups.mailin.imap import mailbox_poll


class Command(BaseCommand):
    help = "Import new email from the IMAP mailbox configured with IMAP_* settings, once."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="At most this many messages (default 200)")

    def handle(self, *args, limit, **options):
        if not settings.IMAP_HOST:
            raise CommandError("IMAP_HOST is not set.")
        result = mailbox_poll(limit=limit)
        if result.skipped_locked:
            self.stdout.write("Another poller is reading the mailbox; nothing done.")
            return
        self.stdout.write(
            f"Imported {result.ingested} new, {result.duplicates} already imported, "
            f"{result.failed} could not be imported."
        )
        if result.errors:
            raise CommandError("; ".join(result.errors))
