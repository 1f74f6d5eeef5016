"""The client page: owners, contacts, quick actions and one paginated timeline of every app's events."""

from datetime import UTC, datetime, timedelta

import pytest

from clients.models import Note, TimelineEvent
from clients.services import client_archive
from clients.timeline import timeline_record
from tests.factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_unknown_client_gives_404(owner_client):
    assert owner_client.get("/clients/999999/").status_code == 404
    assert owner_client.get("/clients/999999/edit/").status_code == 404
    assert owner_client.post("/clients/999999/notes/", {"kind": "note", "body": "x"}).status_code == 404


def test_other_staff_see_the_client_page(other_client, owner):
    client = ClientFactory(account_owner=owner, name="Shared knowledge")
    ContactFactory(client=client, name="김하늘", kakao_id="haneul_kakao")
    html = other_client.get(f"/clients/{client.pk}/").content.decode()
    assert "Shared knowledge" in html and "김하늘" in html and "haneul_kakao" in html


def test_timeline_shows_events_of_other_apps_with_labels_and_fallback(owner_client, owner):
    client = ClientFactory(account_owner=owner)
    when = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 10:30 in Seoul
    timeline_record(client=client, kind="inquiry.won", summary="Inquiry won", occurred_at=when, url="/inquiries/7/")
    timeline_record(
        client=client, kind="message.received", summary="Email from 김하늘", body="line one\nline two", actor=owner
    )
    timeline_record(client=client, kind="weird.new_kind", summary="Something new", url="javascript:alert(1)")
    html = owner_client.get(f"/clients/{client.pk}/").content.decode()
    assert '<a href="/inquiries/7/">Inquiry won</a>' in html
    assert "Inquiry</span>" in html and "Message</span>" in html and "Event</span>" in html
    assert "line one<br>line two" in html
    assert "10:30" in html  # shown in the agency's time zone
    assert "javascript:alert" not in html


def test_timeline_is_paginated_newest_first(owner_client, owner):
    client = ClientFactory(account_owner=owner)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(25):
        timeline_record(
            client=client, kind="note.added", summary=f"event-{i:02}", occurred_at=start + timedelta(hours=i)
        )
    first = owner_client.get(f"/clients/{client.pk}/").content.decode()
    assert "event-24" in first and "event-05" in first and "event-04" not in first
    second = owner_client.get(f"/clients/{client.pk}/", {"page": 2}).content.decode()
    assert "event-04" in second and "event-24" not in second


@pytest.mark.parametrize("events", [1, 20])
def test_client_page_has_a_constant_number_of_queries(
    owner_client, owner, other_staff, events, django_assert_num_queries
):
    client = ClientFactory(account_owner=owner, backup_owner=other_staff)
    for i in range(events):
        ContactFactory(client=client)
        timeline_record(client=client, kind=f"app{i}.event", summary=f"e{i}", actor=owner if i % 2 else other_staff)
    owner_client.get("/")
    # 1 session, 2 user, 3 client with owner, backup and referrer, 4 its tags, 5 its contacts,
    # 6 the knowledge base articles about it, 7 its growth items, 8 the clients it referred, 9 the
    # inquiries it referred, 10 what the won ones were worth, 11 COUNT of timeline events, 12-13 the
    # user's and group permissions (archive button, navigation), 14 the page of timeline events,
    # 15 the client's open tasks and 16 the colleagues a task can be for (the Tasks card).
    with django_assert_num_queries(16):
        response = owner_client.get(f"/clients/{client.pk}/")
    assert response.content.decode().count('data-kind="app') == events


def test_quick_actions_add_a_note_and_log_a_call(owner_client, owner):
    client = ClientFactory(account_owner=owner)
    response = owner_client.post(f"/clients/{client.pk}/notes/", {"kind": "note", "body": "Wants a quote"})
    assert response.status_code == 302
    owner_client.post(f"/clients/{client.pk}/notes/", {"call-kind": "call", "call-body": "Called about invoice"})
    assert list(Note.objects.order_by("id").values_list("kind", "body", "author")) == [
        ("note", "Wants a quote", owner.pk),
        ("call", "Called about invoice", owner.pk),
    ]
    html = owner_client.get(f"/clients/{client.pk}/").content.decode()
    assert "Wants a quote" in html and "Called about invoice" in html and "Call logged" in html


def test_an_empty_note_is_refused_with_a_message(owner_client, owner):
    client = ClientFactory(account_owner=owner)
    response = owner_client.post(f"/clients/{client.pk}/notes/", {"kind": "note", "body": ""}, follow=True)
    assert "write some text first" in response.content.decode()
    assert not Note.objects.exists()


def test_an_archived_client_is_reachable_with_a_banner(owner_client, owner, manager):
    client = ClientFactory(account_owner=owner)
    client_archive(client=client, actor=manager)
    html = owner_client.get(f"/clients/{client.pk}/").content.decode()
    assert 'data-testid="archived-banner"' in html
    assert TimelineEvent.objects.filter(client=client, kind="client.archived").exists()


def test_staff_cannot_archive_and_managers_can(owner_client, owner, manager, client):
    target = ClientFactory(account_owner=owner)
    assert owner_client.post(f"/clients/{target.pk}/archive/").status_code == 403
    assert "/archive/" not in owner_client.get(f"/clients/{target.pk}/").content.decode()
    target.refresh_from_db()
    assert target.archived_at is None
    client.force_login(manager)
    assert client.post(f"/clients/{target.pk}/archive/").status_code == 302
    target.refresh_from_db()
    assert target.archived_at is not None
    assert client.post(f"/clients/{target.pk}/restore/").status_code == 302
    target.refresh_from_db()
    assert target.archived_at is None
