"""No input gives a 500: a corpus of odd values in every GET parameter of every page, as a manager.

`GET_PARAMETERS` lists the query parameters each URL reads. A URL without an entry fails the
test, and so does a page that reads a parameter its entry does not list (the test records every
parameter a view asks `request.GET` for), so a new page or a new filter cannot skip the corpus.
"""

from __future__ import annotations

import itertools
import logging

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import QueryDict

from tests.world import build_world, routes

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "²",  # str.isdigit() is true, int() fails
    "٣",  # an Arabic-Indic digit: int() reads it as 3
    "１２",  # full-width digits
    "\x00",  # PostgreSQL text cannot hold NUL
    "가" * 10_000,
    "-" * 40,  # a run of websearch NOTs overflowed the tsquery stack
    "&|!():*",
    "(" * 40 + "a",
    "'\"<>%;",
    "-1",
    "0",
    "9" * 30,
    "9223372036854775808",  # 2**63: one past PostgreSQL's bigint
    "1.5",
    "0001-01-01",  # the week before does not exist
    "9999-12-31",
    "2024-02-30",
    "",
]

# DRF reads ?format= on every API request; its lists page by ?cursor= and ?page_size=. Those are
# one code path (DRF's negotiation, agency_crm.api.paging) for every endpoint: they get the
# corpus on the client list only, and each list's own filters get it everywhere.
API_ONE = ["format"]
API_LIST = ["format", "cursor", "page_size"]
API_SHARED = {*API_LIST}
API_SHARED_FUZZED_ON = "api:clients"

# The query parameters each URL reads (every page also shows the search box's `q`, base.html).
# POST-only URLs read none: a GET gets 405.
GET_PARAMETERS: dict[str, list[str]] = {
    "home": [],
    "healthz": [],
    "outbox_list": ["status", "page"],
    "outbox_detail": [],
    "outbox_html": [],
    "outbox_retry": [],
    "login": ["next"],
    "logout": [],
    "password_change": [],
    "password_change_done": [],
    "password_reset": [],
    "password_reset_done": [],
    "password_reset_confirm": [],
    "password_reset_complete": [],
    "set_language": ["next"],
    "preferences:edit": [],
    "team:people": [],
    "team:invite": [],
    "team:invitation_resend": [],
    "team:invitation_cancel": [],
    "team:role": [],
    "team:deactivate": [],
    "team:twofactor_reset": [],
    "team:policy": [],
    "team:audit": ["person", "page"],
    "team:accept": [],
    "team:twofactor": [],
    "team:twofactor_start": [],
    "team:twofactor_setup": [],
    "team:twofactor_recovery_codes": [],
    "team:twofactor_off": [],
    "team:login_code": [],
    "webhooks:list": [],
    "webhooks:create": [],
    "webhooks:detail": ["page"],
    "webhooks:edit": [],
    "webhooks:rotate": [],
    "webhooks:ping": [],
    "webhooks:enable": [],
    "webhooks:delete": [],
    "webhooks:delivery": [],
    "webhooks:redeliver": [],
    "checklist_dismiss": [],
    "favicon": [],
    "followups:mailbox_settings": [],
    "followups:agency_settings": [],
    "followups:log_to_new_conversation": [],
    "followups:mailbox_test": [],
    "followups:mailbox_disconnect": [],
    "clients:list": ["owner", "status", "tag", "sort", "page"],
    "clients:create": [],
    "clients:export": ["owner", "status", "tag", "sort"],
    "clients:import": [],
    "clients:import_confirm": [],
    "clients:detail": ["page"],
    "clients:edit": [],
    "clients:note_add": [],
    "clients:note_edit": [],
    "clients:note_delete": [],
    "clients:contact_add": [],
    "clients:contact_edit": [],
    "clients:contact_links_revoke": [],
    "clients:archive": [],
    "clients:restore": [],
    "clients:search": ["q"],
    "clients:staff": [],
    "clients:staff_offboard": [],
    "board:board": ["owner", "source", "stale"],
    "followups:dashboard_pipeline": [],
    "board:move": [],
    "board:settings": [],
    "inquiries:list": ["status", "sort", "owner", "page"],
    "inquiries:create": ["client"],
    "inquiries:detail": [],
    "inquiries:edit": [],
    "inquiries:status": [],
    "inquiries:discovery": [],
    "inquiries:delivered": [],
    "inquiries:item_add": [],
    "inquiries:item_edit": [],
    "inquiries:item_delete": [],
    "inquiries:item_move": [],
    "inquiries:proposal_send": [],
    "inquiries:proposal": [],
    "inquiries:public_proposal": [],
    "inquiries:public_proposal_accept": [],
    "followups:inbox": ["mine", "owner", "channel", "tier", "contact", "page", "logged"],
    "followups:quick_log": [],
    "followups:contact_search": ["q", "contact"],
    "followups:conversations": ["status", "page"],
    "followups:conversation": ["thread", "logged"],
    "followups:reply": [],
    "followups:customer_message": [],
    "followups:subject": [],
    "followups:topics": [],
    "followups:owner": [],
    "followups:note": [],
    "followups:internal_note_edit": [],
    "followups:internal_note_delete": [],
    "followups:contact_email": [],
    "followups:portal_link_send": [],
    "followups:checkin_owner": [],
    "followups:mail_unknown_senders": ["page"],
    "followups:no_reply": [],
    "followups:message_time": [],
    "followups:merge": ["into", "confirm"],
    "followups:message_move_out": [],
    "followups:checkins": [],
    "followups:checkin_start": [],
    "followups:checkin_done": [],
    "followups:checkin_detail": [],
    "followups:growth_item_start": ["checkin"],
    "followups:growth_item_snooze": [],
    "followups:growth_item_drop": [],
    "followups:checkin_skip": [],
    "followups:feedback": [],
    "followups:unsubscribe": [],
    "followups:dashboard": ["period", "basis", "owner", "channel", "tier", "export"],
    "followups:dashboard_conversations": [
        "period",
        "basis",
        "owner",
        "channel",
        "tier",
        "week",
        "kind",
        "waiting",
        "bucket",
        "overdue",
        "page",
    ],  # fmt: skip
    "followups:weekly_review": [],
    "followups:weekly_review_week": [],
    "followups:notifications": ["show", "page"],
    "followups:notification_count": [],
    "followups:tasks": [],
    "followups:task_count": [],
    "followups:task_create": ["about", "about_id", "next"],
    "followups:task_edit": ["next"],
    "followups:task_done": [],
    "followups:task_reopen": [],
    "followups:notification_open": [],
    "followups:notifications_read_all": [],
    "followups:snooze": [],
    "followups:mail_list": ["show", "page"],
    "followups:mail_detail": [],
    "followups:mail_html": [],
    "followups:mail_attachment": [],
    "followups:mail_failures": ["page"],
    "followups:mail_failure_download": [],
    "followups:mail_failure_retry": [],
    "followups:attach_sender": [],
    "followups:kakao_inbound": [],
    "followups:kakao_settings": [],
    "followups:kakao_settings_test": [],
    "followups:kakao_webhook_rotate": [],
    "followups:kakao_template_add": [],
    "followups:kakao_template_delete": [],
    "followups:kakao_alimtalk": [],
    "followups:kakao_chat_end": [],
    "followups:kakao_preference": [],
    "followups:kakao_attachment": [],
    "followups:contact": ["lang"],
    "followups:contact_embed": ["lang"],
    "followups:contact_thanks": ["lang"],
    "followups:contact_embed_thanks": ["lang"],
    "followups:contact_filtered": ["page"],
    "followups:contact_filtered_release": [],
    "followups:contact_settings": [],
    "followups:contact_attachment": [],
    "followups:portal_ask": [],
    "followups:portal_home": ["sent"],
    "followups:portal_write": [],
    "followups:portal_reply": [],
    "followups:replies": ["q"],
    "followups:reply_new": ["title"],
    "followups:reply_edit": [],
    "followups:reply_delete": [],
    "followups:reply_fill": [],
    "followups:reply_suggestions": [],
    "followups:reply_preview": [],
    "followups:presence": [],
    "followups:knowledge": ["q", "category", "tag"],
    "followups:article_new": ["title", "client"],
    "followups:article": ["client_q"],
    "followups:article_edit": [],
    "followups:article_history": [],
    "followups:article_diff": ["from", "to"],
    "followups:article_archive": [],
    "followups:article_clients": [],
    # The API (agency_crm.api), with the manager's token: every list pages by cursor.
    "api_tokens:list": [],
    "api_tokens:revoke": [],
    "api:clients": [*API_LIST, "owner", "status", "updated_since", "q"],
    "api:client": API_ONE,
    "api:client_contacts": API_LIST,
    "api:client_timeline": API_LIST,
    "api:contacts": [*API_LIST, "client", "q"],
    "api:contact": API_ONE,
    "api:inquiries": [*API_LIST, "owner", "client", "status", "updated_since", "q"],
    "api:inquiry": API_ONE,
    "api:inquiry_send_proposal": API_ONE,
    "api:inquiry_mark_delivered": API_ONE,
    "api:conversations": [*API_LIST, "owner", "client", "contact", "status", "channel", "updated_since", "q"],
    "api:conversation": API_ONE,
    "api:conversation_messages": API_LIST,
    "api:conversation_customer_message": API_ONE,
    "api:conversation_reply": API_ONE,
    "api:conversation_notes": API_LIST,
    "api:message_log": API_ONE,
    "api:checkins": [*API_LIST, "owner", "client", "status", "channel"],
    "api:checkin": API_ONE,
    "api:feedback_list": [*API_LIST, "owner", "client", "updated_since"],
    "api:feedback": API_ONE,
    "api:saved_replies": [*API_LIST, "q"],
    "api:saved_reply": API_ONE,
    "api:articles": [*API_LIST, "q"],
    "api:article": API_ONE,
    "api:users": API_LIST,
    "api:user": API_ONE,
    "api:schema": ["format", "lang", "version"],
    "api:docs": ["format", "lang", "script", "version"],
}
# Path arguments that are free text (the URL converter is `str`): they get the corpus too.
ODD_PATH_ARGUMENTS = {
    "followups:weekly_review_week": "week",
    "inquiries:public_proposal": "token",
    "followups:feedback": "token",
    "followups:unsubscribe": "token",
    "followups:portal_home": "token",
    "password_reset_confirm": "token",
    "followups:kakao_inbound": "secret",
}
# The search box of every page (base.html) echoes `q`.
EVERY_PAGE = {"q"}
# Pages that answer htmx requests differently get the corpus both ways.
HTMX_PAGES = {"followups:contact_search"}


class RecordingQueryDict(QueryDict):
    """request.GET that remembers which parameters the view asked for."""

    read: set[str] = set()

    def __getitem__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        RecordingQueryDict.read.add(key)
        return super().__contains__(key)

    def _getlist(self, key, *args, **kwargs):
        RecordingQueryDict.read.add(key)
        return super()._getlist(key, *args, **kwargs)


def _get(client, path, params=None, **headers):
    """One GET in a savepoint rolled back afterwards: a database error in one request must not
    abort the test's transaction for the requests after it (each real request has its own)."""
    savepoint = transaction.savepoint()
    try:
        return client.get(path, params or {}, **headers)
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.fixture
def recorded_parameters(monkeypatch):
    def recording_get(request):
        if not hasattr(request, "_recording_get"):
            request._recording_get = RecordingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        return request._recording_get

    monkeypatch.setattr(WSGIRequest, "GET", property(recording_get), raising=True)
    RecordingQueryDict.read = set()
    return RecordingQueryDict


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world()


@pytest.fixture
def as_manager(client, world):
    from agency_crm.api.scopes import SCOPES
    from agency_crm.api.tokens import personal_token_create

    client.force_login(world.manager)
    # The API answers a token, not the session: every request carries the manager's (other pages
    # ignore it).
    _token, secret = personal_token_create(user=world.manager, name="odd input", scopes=SCOPES)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {secret}"
    client.raise_request_exception = False  # a 500 is a response to count, not an error to stop at
    return client


@pytest.fixture
def safety_net_log(caplog):
    """The database-error safety net (agency_crm.errors) must not be what saved a page."""
    caplog.set_level(logging.WARNING, logger="agency_crm.errors")
    return caplog


def test_every_url_has_an_entry_in_the_table():
    names = {route.name for route in routes()}
    assert "" not in names, "every URL pattern needs a name (for the parameter table)"
    assert sorted(names - set(GET_PARAMETERS)) == [], "add the new URLs to GET_PARAMETERS"
    assert sorted(set(GET_PARAMETERS) - names) == [], "remove URLs that no longer exist"


def test_each_page_reads_only_the_parameters_of_its_entry(as_manager, world, recorded_parameters):
    unlisted = {}
    for route in routes():
        recorded_parameters.read = set()
        as_manager.get(world.path(route.name))
        extra = recorded_parameters.read - set(GET_PARAMETERS[route.name]) - EVERY_PAGE
        if extra:
            unlisted[route.name] = sorted(extra)
    assert unlisted == {}


def _fuzz(client, world, recorded_parameters, route_names) -> dict[str, list]:
    """Every odd value in every listed parameter of these URLs: what answered 500, what read a
    parameter its entry does not list."""
    failures: dict[str, list] = {}
    for name in route_names:
        path = world.path(name)
        names = GET_PARAMETERS[name] or (["q"] if name == "home" else [])
        if name.startswith("api:") and name != API_SHARED_FUZZED_ON:
            names = [param for param in names if param not in API_SHARED]
        variants = [{}, {"HTTP_HX_REQUEST": "true"}] if name in HTMX_PAGES else [{}]
        for param, value, headers in itertools.product(names, ODD_VALUES, variants):
            recorded_parameters.read = set()
            response = _get(client, path, {param: value}, **headers)
            if response.status_code >= 500:
                failures.setdefault(f"{name}?{param}= {headers}", []).append(value[:12])
            unlisted = recorded_parameters.read - set(GET_PARAMETERS[name]) - EVERY_PAGE
            if unlisted:
                failures.setdefault(f"{name} reads unlisted", []).extend(sorted(unlisted))
    return failures


def test_no_odd_value_in_any_get_parameter_gives_a_server_error(as_manager, world, recorded_parameters, safety_net_log):
    pages = [route.name for route in routes() if not route.name.startswith("api:")]
    failures = _fuzz(as_manager, world, recorded_parameters, pages)
    assert not failures, "\n".join(f"{key} {values!r}" for key, values in failures.items())
    assert [r.getMessage() for r in safety_net_log.records if r.name == "agency_crm.errors"] == []


def test_no_odd_value_in_any_api_parameter_gives_a_server_error(
    as_manager, world, recorded_parameters, safety_net_log, settings
):
    """The API's (a test of its own, so that pytest-xdist runs it beside the pages' one). A value
    the database refused would be logged by agency_crm.api.errors: none may be. Pages of two rows:
    the input is what is tested, and fifty serialized rows per request made this test minutes long."""
    settings.API_PAGE_SIZE = 2
    safety_net_log.set_level(logging.WARNING, logger="agency_crm.api.errors")
    endpoints = [route.name for route in routes() if route.name.startswith("api:")]
    failures = _fuzz(as_manager, world, recorded_parameters, endpoints)
    assert not failures, "\n".join(f"{key} {values!r}" for key, values in failures.items())
    loggers = ("agency_crm.errors", "agency_crm.api.errors")
    assert [r.getMessage() for r in safety_net_log.records if r.name in loggers] == []


def test_no_odd_value_in_a_text_path_argument_gives_a_server_error(as_manager, world, safety_net_log):
    from django.urls import NoReverseMatch, reverse

    failures = []
    for name, argument in ODD_PATH_ARGUMENTS.items():
        for value in ODD_VALUES:
            try:
                path = reverse(name, kwargs={**world.kwargs[name], argument: value})
            except NoReverseMatch:  # "" and values with "/" do not make a URL of this pattern
                continue
            response = _get(as_manager, path)
            if response.status_code >= 500:
                failures.append((name, value[:20], response.status_code))
    assert failures == []
    assert [r.getMessage() for r in safety_net_log.records if r.name == "agency_crm.errors"] == []


@pytest.mark.django_db(transaction=True)  # as in production: the failed statement ends with its request
def test_a_value_the_database_refuses_gives_the_400_page_and_an_error_in_the_log(client, settings, caplog):
    from tests.factories import UserFactory

    settings.ROOT_URLCONF = "tests.agency_crm.data_error_urls"
    client.force_login(UserFactory())
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="agency_crm.errors"):
        response = client.get("/out-of-range/")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode() and 'href="/static/css/app.css"' in response.content.decode()
    logged = [r for r in caplog.records if r.name == "agency_crm.errors"]
    assert len(logged) == 1 and logged[0].exc_info is not None


def test_the_reported_inputs_no_longer_give_a_500(as_manager, world):
    """The requests of issue 15, one by one."""
    reported = [
        ("/inbox/", {"owner": "²"}),
        ("/inbox/", {"contact": "²"}),
        ("/inquiries/", {"owner": "²"}),
        ("/dashboard/", {"owner": "²"}),
        ("/dashboard/conversations/", {"owner": "²"}),
        ("/inbox/contacts/", {"contact": "²", "q": "a"}),
        ("/search/", {"q": "a\x00b"}),
        ("/inbox/contacts/", {"q": "a\x00b"}),
        ("/search/", {"q": "-" * 40}),
        ("/search/", {"q": "invoice " + "-" * 40}),
        ("/review/weekly/0001-01-01/", {}),
    ]
    statuses = {}
    for path, query in reported:
        statuses[(path, tuple(query.items()))] = _get(as_manager, path, query, HTTP_HX_REQUEST="true").status_code
        statuses[(path, tuple(query.items()), "page")] = _get(as_manager, path, query).status_code
    assert {key: status for key, status in statuses.items() if status >= 500} == {}
    assert statuses[("/review/weekly/0001-01-01/", ())] == 404
