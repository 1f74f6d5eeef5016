"""/settings/mailbox/: a manager connects the support mailbox against a real Dovecot on loopback
(tests/followups/mailin_support.py); the password is sealed and never appears in a response."""

import pytest

from agency_crm.sealing import secret_open
from followups.mailin.imap import mailbox_poll
from followups.mailin.mailbox import PASSWORD_PURPOSE, mailbox_config
from followups.mailin.models import InboundEmail, MailboxConnection, MailboxState
from followups.mailin.tasks import mailin_poll
from tests.followups.mailin_support import Dovecot, build_email

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/settings/mailbox/"


@pytest.fixture
def server(settings):
    """A private Dovecot; the IMAP_* settings stay empty, as on a fresh `make run`."""
    settings.IMAP_HOST = ""
    dovecot = Dovecot().start()
    yield dovecot
    dovecot.stop()


def _form(server, **changes) -> dict:
    return {
        "host": "127.0.0.1",
        "port": server.port,
        "security": "none",
        "username": server.user,
        "password": server.password,
        "folder": "INBOX",
        "poll_seconds": 30,
    } | changes


def _pages(*responses) -> str:
    return "".join(r.content.decode() for r in responses)


def test_a_manager_connects_the_mailbox_and_the_test_counts_its_messages(manager_client, server):
    server.append(build_email(subject="One"))
    server.append(build_email(subject="Two"))

    saved = manager_client.post(URL, _form(server), follow=True)
    tested = manager_client.post(f"{URL}test/")

    assert saved.status_code == tested.status_code == 200
    assert "2 messages in INBOX" in saved.content.decode()
    result = tested.content.decode()
    assert 'id="mailbox-test-result"' in result and "alert-success" in result
    assert "Logged in to crm at 127.0.0.1: 2 messages in INBOX." in result
    row = MailboxConnection.objects.get()
    assert row.last_test_ok is True and row.poll_seconds == 30
    # Sealed with a key derived from SECRET_KEY: the column does not hold the password.
    assert server.password not in row.password_sealed
    assert secret_open(sealed=row.password_sealed, purpose=PASSWORD_PURPOSE) == server.password
    page = manager_client.get(URL)
    assert server.password not in _pages(saved, tested, page)
    assert "A password is stored." in page.content.decode()


def test_a_wrong_password_says_so_on_the_page_and_is_never_shown(manager_client, server):
    wrong = "not-the-password-42"
    saved = manager_client.post(URL, _form(server, password=wrong), follow=True)
    tested = manager_client.post(f"{URL}test/")

    for response in (saved, tested):
        assert "The server refused the user name or password." in response.content.decode()
    assert "alert-danger" in tested.content.decode()
    assert MailboxConnection.objects.get().last_test_ok is False
    page = manager_client.get(URL)
    assert wrong not in _pages(saved, tested, page)
    assert "The server refused the user name or password." in page.content.decode()


def test_nothing_answering_is_a_clear_error(manager_client, server):
    response = manager_client.post(URL, _form(server, port=9), follow=True)
    assert "Nothing answers at 127.0.0.1 on port 9. Check the server and the port." in response.content.decode()


def test_an_empty_password_keeps_the_stored_one(manager_client, server):
    manager_client.post(URL, _form(server))
    response = manager_client.post(URL, _form(server, password="", folder="INBOX", poll_seconds=120), follow=True)

    assert "2 messages" not in response.content.decode()
    assert "0 messages in INBOX" in response.content.decode()
    config = mailbox_config()
    assert config.password == server.password and config.poll_seconds == 120


def test_a_new_mailbox_needs_its_password(manager_client, server):
    response = manager_client.post(URL, _form(server, password=""))
    assert response.status_code == 200
    assert "Enter the mailbox&#x27;s password." in response.content.decode()
    assert not MailboxConnection.objects.exists()


def test_the_poll_interval_stays_within_what_healthz_allows(manager_client, server):
    response = manager_client.post(URL, _form(server, poll_seconds=3600))
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 300." in response.content.decode()
    assert not MailboxConnection.objects.exists()


def test_the_poller_reads_the_stored_mailbox(manager_client, server, owner):
    server.append(build_email(from_="minji@customer.example", subject="배송 조회 오류"))
    manager_client.post(URL, _form(server))

    assert mailin_poll(when_due=True)["ingested"] == 1
    assert InboundEmail.objects.get().subject == "배송 조회 오류"
    # Within the poll interval beat's next asks do nothing; a direct poll still reads.
    assert mailin_poll(when_due=True) == {"skipped": "not due"}
    assert mailbox_poll().errors == []
    assert MailboxState.objects.get(pk=1).last_poll_result["duplicates"] == 0


def test_the_stored_mailbox_wins_over_the_settings_and_removing_it_falls_back(manager_client, server, settings):
    settings.IMAP_HOST, settings.IMAP_USER, settings.IMAP_PASSWORD = "imap.env.example", "env-user", "env-secret"
    manager_client.post(URL, _form(server))
    assert mailbox_config().host == "127.0.0.1"

    response = manager_client.post(f"{URL}disconnect/", follow=True)

    assert mailbox_config().host == "imap.env.example"
    page = response.content.decode()
    assert "as the server's IMAP settings say" in page and "env-secret" not in page


def test_without_any_mailbox_the_task_does_nothing(settings):
    settings.IMAP_HOST = ""
    assert mailin_poll(when_due=True) == {"skipped": "no mailbox is connected"}


def test_staff_may_not_open_the_mailbox_settings(owner_client, server):
    assert owner_client.get(URL).status_code == 403
    assert owner_client.post(URL, _form(server)).status_code == 403
    assert owner_client.post(f"{URL}test/").status_code == 403
    assert not MailboxConnection.objects.exists()
