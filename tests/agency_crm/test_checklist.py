"""The first-run checklist on a manager's home page (agency_crm.checklist): each item links to its
page and ticks itself when done; it can be hidden (per person); staff never see it."""

import datetime as dt
import re

import pytest
from django.urls import NoReverseMatch, reverse

from agency_crm import checklist
from agency_crm.models import ChecklistDismissal
from clients.demo import DEMO_CLIENTS
from clients.models import Client
from followups.conversations.hours import BusinessCalendar, ClosureDay
from followups.conversations.models import ResponsePolicy, ensure_default_policies
from followups.conversations.selectors import opening_hours_set, response_targets_set
from followups.mailin.mailbox import mailbox_connection_save
from followups.webform.selectors import contact_form_embedded
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
    assert _items(response) == {"team": "todo", "mailbox": "todo", "clients": "todo"}
    assert 'href="/settings/people/"' in page
    assert 'href="/settings/mailbox/"' in page
    assert 'href="/clients/import/"' in page


def test_the_agency_settings_items_wait_for_their_page():
    """Opening hours, targets and the website form link to /settings/agency/ (preferences:agency),
    which is being built elsewhere: until it resolves they are registered but not shown."""
    registered = {key: item.url_name for key, item in checklist._items.items()}
    assert registered["hours"] == registered["targets"] == registered["form"] == "preferences:agency"
    with pytest.raises(NoReverseMatch):
        reverse("preferences:agency")


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


def test_opening_hours_count_as_set_once_changed_from_the_defaults():
    assert not opening_hours_set()
    calendar = BusinessCalendar.load()
    assert not opening_hours_set()
    calendar.mon_opens = dt.time(9, 30)
    calendar.save()
    assert opening_hours_set()


def test_a_closure_day_counts_as_setting_the_hours():
    BusinessCalendar.load()
    ClosureDay.objects.create(date=dt.date(2026, 12, 31), reason="Year end")
    assert opening_hours_set()


def test_response_targets_count_as_set_once_changed_from_the_defaults():
    ensure_default_policies()
    assert not response_targets_set()
    ResponsePolicy.objects.filter(tier="").update(first_response_minutes=30)
    assert response_targets_set()


def test_the_website_form_counts_as_embedded_with_an_allowed_origin(settings):
    assert not contact_form_embedded()
    settings.CONTACT_FORM_ALLOWED_ORIGINS = ["https://www.agency.example"]
    assert contact_form_embedded()


def test_everything_done_hides_the_list(manager_client, manager, settings):
    UserFactory()
    settings.IMAP_HOST = "imap.agency.example"
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
    # one per shown item: active people and open invitations (team: two while alone), the
    # stored mailbox, the agency's own clients.
    with django_assert_num_queries(9):
        manager_client.get("/")
