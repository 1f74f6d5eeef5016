"""`manage.py import_mbox FILE` backfills history with the same parser, idempotently."""

import datetime as dt
import mailbox
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from followups.mailin.models import InboundEmail, MailSource
from followups.models import Conversation, Message, ResponseWait
from tests.followups.factories import ClientFactory, ContactFactory

from .mailin_support import build_email

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_import_mbox_backfills_history_and_running_it_again_imports_nothing(tmp_path, owner):
    contact = ContactFactory(client=ClientFactory(account_owner=owner), email="minji@customer.example")
    first_sent = dt.datetime(2025, 3, 3, 10, 0, tzinfo=SEOUL)
    first = build_email(from_="minji@customer.example", subject="작년 문의", charset="euc-kr", date=first_sent)
    path = tmp_path / "export.mbox"
    box = mailbox.mbox(str(path))
    box.add(first)
    box.add(
        build_email(
            from_="minji@customer.example",
            in_reply_to=first["Message-ID"],
            date=first_sent + dt.timedelta(days=1),
            message_id=None,
        )
    )
    box.add(b"From: nobody\nSubject: no id, no address\n\nhello\n")
    box.flush()
    box.close()

    out = StringIO()
    call_command("import_mbox", str(path), stdout=out)

    assert "Imported 3 new, 0 already imported, 0 could not be imported" in out.getvalue()
    assert InboundEmail.objects.filter(source=MailSource.MBOX).count() == 3
    conversation = Conversation.objects.get(contact=contact)
    assert conversation.subject == "작년 문의"
    messages = list(Message.objects.filter(conversation=conversation).order_by("occurred_at"))
    # History keeps the dates of the export, not the time of the import.
    assert [m.occurred_at for m in messages] == [first_sent, first_sent + dt.timedelta(days=1)]
    assert ResponseWait.objects.filter(conversation=conversation).count() == 1

    again = StringIO()
    call_command("import_mbox", str(path), stdout=again)

    assert "Imported 0 new, 3 already imported" in again.getvalue()
    assert InboundEmail.objects.count() == 3 and Message.objects.count() == 3


def test_import_mbox_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_mbox", str(tmp_path / "missing.mbox"))
