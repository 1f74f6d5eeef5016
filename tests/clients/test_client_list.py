"""/clients/: filters, allow-listed sorting, archived clients hidden, constant queries."""

import pytest

from clients.models import Client, Tag
from clients.services import client_archive
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def names(response):
    return [client.name for client in response.context["page"]]


def test_every_staff_member_sees_every_client(other_client, owner):
    ClientFactory(account_owner=owner, name="Owned by Minji")
    assert names(other_client.get("/clients/")) == ["Owned by Minji"]


def test_filters_by_owner_status_and_tag(owner_client, owner, other_staff):
    web = Tag.objects.create(name="web")
    a = ClientFactory(account_owner=owner, name="A", status=Client.Status.ACTIVE)
    a.tags.add(web)
    ClientFactory(account_owner=other_staff, name="B", status=Client.Status.ACTIVE)
    ClientFactory(account_owner=owner, name="C", status=Client.Status.FORMER)
    assert names(owner_client.get("/clients/", {"owner": owner.pk})) == ["A", "C"]
    assert names(owner_client.get("/clients/", {"status": "active"})) == ["A", "B"]
    assert names(owner_client.get("/clients/", {"tag": "web"})) == ["A"]
    assert names(owner_client.get("/clients/", {"owner": owner.pk, "status": "former"})) == ["C"]


def test_sorting_comes_from_an_allow_list(owner_client, owner):
    ClientFactory(account_owner=owner, name="Alpha")
    ClientFactory(account_owner=owner, name="Beta")
    assert names(owner_client.get("/clients/", {"sort": "-name"})) == ["Beta", "Alpha"]
    # Anything else (an ORM lookup, a field we do not offer) falls back to the default order.
    for evil in ["account_owner__password", "-id; DROP TABLE x", "notes"]:
        response = owner_client.get("/clients/", {"sort": evil})
        assert response.status_code == 200 and names(response) == ["Alpha", "Beta"]


def test_unknown_filter_values_are_ignored_not_errors(owner_client, owner):
    ClientFactory(account_owner=owner, name="Alpha")
    response = owner_client.get("/clients/", {"owner": "999999", "status": "nope", "tag": "<b>"})
    assert response.status_code == 200 and names(response) == ["Alpha"]


def test_archived_clients_disappear_from_the_list(owner_client, owner, manager):
    client = ClientFactory(account_owner=owner, name="Old")
    client_archive(client=client, actor=manager)
    assert names(owner_client.get("/clients/")) == []


def test_the_list_is_paginated(owner_client, owner):
    for i in range(30):
        ClientFactory(account_owner=owner, name=f"Client {i:02}")
    assert len(names(owner_client.get("/clients/"))) == 25
    assert names(owner_client.get("/clients/", {"page": 2})) == [f"Client {i}" for i in range(25, 30)]


@pytest.mark.parametrize("count", [1, 25])
def test_the_list_has_a_constant_number_of_queries(owner_client, owner, other_staff, count, django_assert_num_queries):
    for i in range(count):
        client = ClientFactory(account_owner=owner, backup_owner=other_staff)
        client.tags.add(Tag.objects.get_or_create(name=f"tag{i % 3}")[0])
    owner_client.get("/")
    # 1 session, 2 user, 3 COUNT of clients, 4-5 the user's and group permissions (navigation),
    # 6 staff for the owner filter, 7 tags for the tag filter, 8 the page of clients with owner and
    # backup joined, 9 their tags (prefetch).
    with django_assert_num_queries(9):
        response = owner_client.get("/clients/", {"sort": "owner"})
    assert len(names(response)) == count


def test_export_is_filtered_and_neutralises_formulas(owner_client, owner):
    ClientFactory(account_owner=owner, name='=HYPERLINK("http://evil")', status=Client.Status.ACTIVE)
    ClientFactory(account_owner=owner, name="Former Co", status=Client.Status.FORMER)
    response = owner_client.get("/clients/export.csv", {"status": "active"})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeffid,name,kind,status")
    assert "'=HYPERLINK" in body
    assert "Former Co" not in body
