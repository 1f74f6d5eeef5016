"""Poll the IMAP mailbox once (what beat's mailin-poll task does), e.g. to check the settings."""

from django.core.management.base import BaseCommand, CommandError

from followups.mailin.imap import mailbox_poll
from followups.mailin.mailbox import mailbox_config


class Command(BaseCommand):
    help = "Import new email from the IMAP mailbox connected on /settings/mailbox/ (else IMAP_*), once."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="At most this many messages (default 200)")

    def handle(self, *args, limit, **options):
        if mailbox_config() is None:
            raise CommandError("No mailbox is connected (/settings/mailbox/) and IMAP_HOST is not set.")
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
