"""The first-run checklist on a manager's home page (agency_crm.checklist): each item links to its
page and ticks itself when done; it can be hidden (per person); staff never see it."""

import re

import pytest
from django.utils import timezone

from agency_crm import checklist
from agency_crm.agency.services import contact_form_origins_save
from agency_crm.models import ChecklistDismissal
from clients.demo import DEMO_CLIENTS
from clients.models import Client
from followups.conversations.hours import BusinessCalendar
from followups.mailin.mailbox import mailbox_connection_save
from tests.factories import ManagerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _items(response) -> dict[str, str]:
    """key -> "done" / "todo", as the home page shows them."""
    page = response.content.decode()
    return dict(re.findall(r'data-checklist-item="([\w-]+)" data-state="(done|todo)"', page))


@pytest.fixture(autouse=True)
def no_mailbox(settings):
    settings.IMAP_HOST = ""
    settings.CONTACT_FORM_ALLOWED_ORIGINS = []


def test_a_fresh_agency_sees_what_to_set_up_with_links(manager_client):
    response = manager_client.get("/")
    page = response.content.decode()

    assert 'id="setup-checklist"' in page
    assert _items(response) == {
        "team": "todo",
        "hours": "todo",
        "targets": "todo",
        "mailbox": "todo",
        "form": "todo",
        "clients": "todo",
    }
    assert 'href="/settings/people/"' in page
    assert 'href="/settings/mailbox/"' in page
    assert 'href="/clients/import/"' in page


def test_the_agency_settings_items_link_to_the_agency_page(manager_client):
    registered = {key: item.url_name for key, item in checklist._items.items()}
    assert registered["hours"] == registered["targets"] == registered["form"] == "followups:agency_settings"
    assert manager_client.get("/").content.decode().count('href="/settings/agency/"') == 3


@pytest.fixture
def extra_item():
    state = {"done": False}

    def register(url_name: str):
        checklist.register_item(
            key="extra", label="Extra step", hint="", url_name=url_name, done=lambda: state["done"], order=99
        )
        return state

    yield register
    checklist.unregister_item(key="extra")


def test_an_item_whose_page_does_not_resolve_is_left_out(manager_client, extra_item):
    extra_item("nowhere:at-all")
    response = manager_client.get("/")
    assert response.status_code == 200
    assert "extra" not in _items(response)


def test_an_item_whose_page_resolves_is_shown(manager_client, extra_item):
    extra_item("followups:inbox")
    assert _items(manager_client.get("/"))["extra"] == "todo"


def test_the_team_ticks_with_a_second_active_person(manager_client):
    inactive = UserFactory(is_active=False)
    assert _items(manager_client.get("/"))["team"] == "todo"
    inactive.is_active = True
    inactive.save()
    assert _items(manager_client.get("/"))["team"] == "done"


def test_the_demo_colleagues_do_not_count_but_a_joined_one_does(manager_client, manager):
    """`make run` loads the demo logins: their colleagues are not the agency's team."""
    from agency_crm.management.commands.seed_demo import DEMO_USERS
    from agency_crm.team.invitations import invitation_accept, invitation_send
    from agency_crm.team.links import invitation_token

    for username, *_rest in DEMO_USERS:
        UserFactory(username=username)
    assert _items(manager_client.get("/"))["team"] == "todo"
    invitation = invitation_send(email="haneul@agency.example", role="staff", language="ko", actor=manager)
    invitation_accept(
        token=invitation_token(invitation),
        username="haneul",
        first_name="Haneul",
        last_name="Jung",
        password="paper-lantern-harbor-77",
        language="ko",
    )
    assert _items(manager_client.get("/"))["team"] == "done"


def test_the_team_ticks_with_an_open_invitation(manager_client, manager):
    from agency_crm.team.invitations import invitation_cancel, invitation_send

    assert _items(manager_client.get("/"))["team"] == "todo"
    invitation = invitation_send(email="junho@agency.example", role="staff", language="ko", actor=manager)
    assert _items(manager_client.get("/"))["team"] == "done"
    invitation_cancel(invitation=invitation, actor=manager)
    assert _items(manager_client.get("/"))["team"] == "todo"


def test_the_mailbox_ticks_when_connected_in_the_app(manager_client, manager):
    mailbox_connection_save(
        host="imap.agency.example",
        port=993,
        security="ssl",
        username="help@agency.example",
        password="app-password",
        folder="INBOX",
        poll_seconds=60,
        by=manager,
    )
    assert _items(manager_client.get("/"))["mailbox"] == "done"


def test_the_mailbox_ticks_when_the_settings_name_one(manager_client, settings):
    settings.IMAP_HOST = "imap.agency.example"
    assert _items(manager_client.get("/"))["mailbox"] == "done"


def test_demo_clients_do_not_count_but_the_agencys_own_do(manager_client, manager):
    Client.objects.create(name=DEMO_CLIENTS[0][0], account_owner=manager)
    Client.objects.create(name="Triage", account_owner=manager, is_placeholder=True)
    assert _items(manager_client.get("/"))["clients"] == "todo"
    Client.objects.create(name="Hanbit Logistics", account_owner=manager)
    assert _items(manager_client.get("/"))["clients"] == "done"


def test_an_import_ticks_the_clients(manager_client):
    csv = "name,status,account_owner\nNaver Partners,active,boss\n"
    upload = manager_client.post("/clients/import/", {"file": _csv_file(csv)})
    assert upload.context["preview"].is_valid
    assert manager_client.post("/clients/import/confirm/").status_code == 302
    assert Client.objects.filter(name="Naver Partners").exists()
    assert _items(manager_client.get("/"))["clients"] == "done"


def _csv_file(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("clients.csv", text.encode(), content_type="text/csv")


def test_hours_targets_and_the_form_tick_once_saved_on_the_agency_page(manager_client):
    # The shipped defaults do not count: a manager saves them on /settings/agency/.
    items = _items(manager_client.get("/"))
    assert (items["hours"], items["targets"], items["form"]) == ("todo", "todo", "todo")
    BusinessCalendar.objects.filter(pk=BusinessCalendar.load().pk).update(
        hours_saved_at=timezone.now(), targets_saved_at=timezone.now()
    )
    contact_form_origins_save(origins=["https://www.agency.example"])
    items = _items(manager_client.get("/"))
    assert (items["hours"], items["targets"], items["form"]) == ("done", "done", "done")


def test_everything_done_hides_the_list(manager_client, manager, settings):
    UserFactory()
    settings.IMAP_HOST = "imap.agency.example"
    BusinessCalendar.objects.filter(pk=BusinessCalendar.load().pk).update(
        hours_saved_at=timezone.now(), targets_saved_at=timezone.now()
    )
    contact_form_origins_save(origins=["https://www.agency.example"])
    Client.objects.create(name="Hanbit Logistics", account_owner=manager)
    assert 'id="setup-checklist"' not in manager_client.get("/").content.decode()


def test_a_manager_hides_the_list_for_themselves_only(manager_client, client):
    response = manager_client.post("/checklist/dismiss/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert 'id="setup-checklist"' not in response.content.decode()
    assert ChecklistDismissal.objects.count() == 1
    other_manager = ManagerFactory()
    client.force_login(other_manager)
    assert 'id="setup-checklist"' in client.get("/").content.decode()


def test_staff_never_see_the_list(owner_client):
    assert 'id="setup-checklist"' not in owner_client.get("/").content.decode()
    assert owner_client.post("/checklist/dismiss/").status_code == 403


def test_the_list_costs_one_query_per_item(manager_client, django_assert_num_queries):
    manager_client.get("/")
    # session, user, the user's and their groups' permissions (is_manager), the dismissal, then
    # one per shown item: active people and open invitations (team: two while alone), the hours
    # and the targets saved, the stored mailbox, the embedding origins, the agency's own clients.
    with django_assert_num_queries(12):
        manager_client.get("/")
