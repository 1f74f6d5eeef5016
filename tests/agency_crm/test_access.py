"""Walks every URL in the URLconf: anonymous visitors are refused everywhere except the
allow-listed public pages, and staff get 403 on every manager-only page."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages anyone may open: login and password reset, health, language switch, and the
# customer-facing signed links (which check their own token).
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/password_reset/",
    "/accounts/reset/",
    "/healthz",
    "/favicon.ico",
    "/i18n/setlang/",
    "/admin/login/",
    "/p/",
    "/feedback/",
    "/unsubscribe/",
    "/my/",
)
# ...and the contact form's pages (its other pages, under /contact/ too, are the managers').
PUBLIC_PAGES = {"/contact/", "/contact/thanks/", "/contact/embed/", "/contact/embed/thanks/"}

SAMPLE_VALUES = {
    "int": "999999",
    "str": "sample",
    "slug": "sample",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "sample",
}


def _fill(route: str) -> str:
    def repl(match):
        converter = match.group(1) or "str"
        return SAMPLE_VALUES.get(converter, "1")

    return re.sub(r"<(?:(\w+):)?\w+>", repl, route)


def _regex_to_path(regex: str) -> str | None:
    # Admin uses a few regex routes; fill their groups with a sample value.
    path = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    if any(ch in path for ch in "()[]*+?|\\"):
        return None
    return path


def walk(patterns=None, prefix="", decorators=()):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            route = str(entry.pattern)
            part = _fill(route) if "<" in route or not route.startswith("^") else _regex_to_path(route)
            if part is None:
                continue
            yield from walk(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            route = str(entry.pattern)
            part = _regex_to_path(route) if route.startswith("^") else _fill(route)
            if part is None:
                continue
            yield "/" + (prefix + part).lstrip("/"), entry.callback


ALL_URLS = sorted(dict(walk()).items())


def test_the_walk_finds_the_apps_pages():
    urls = [url for url, _ in ALL_URLS]
    for expected in ["/clients/", "/inquiries/", "/inbox/", "/checkins/", "/dashboard/", "/search/", "/admin/"]:
        assert expected in urls


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", [url for url, _ in ALL_URLS if not url.startswith(PUBLIC_PREFIXES) and url not in PUBLIC_PAGES]
)
def test_anonymous_visitor_is_refused(client, url):
    response = client.get(url)
    if response.status_code in (301, 302):
        assert "/login/" in response["Location"], f"{url} redirects to {response['Location']}"
    elif url.startswith("/api/"):
        # The API asks for a token (JSON 401 with WWW-Authenticate), never the login page.
        assert response.status_code == 401 and response["Content-Type"] == "application/json", url
    else:
        assert response.status_code in (403, 404, 405), f"{url} answered {response.status_code}"


MANAGER_ONLY = [url for url, callback in ALL_URLS if getattr(callback, "manager_only", False)]


def test_manager_only_pages_are_marked():
    assert "/dashboard/" in MANAGER_ONLY


@pytest.mark.django_db
@pytest.mark.parametrize("url", MANAGER_ONLY)
def test_staff_get_403_on_manager_pages(other_client, url):
    assert other_client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", MANAGER_ONLY)
def test_managers_pass_the_role_check(manager_client, url):
    assert manager_client.get(url).status_code != 403


@pytest.mark.django_db
def test_staff_see_no_dashboard_link_and_managers_do(client, other_staff, manager):
    client.force_login(other_staff)
    assert 'data-nav="dashboard"' not in client.get("/").content.decode()
    client.force_login(manager)
    assert 'data-nav="dashboard"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_deactivated_account_sees_nothing(client, other_staff):
    client.force_login(other_staff)
    other_staff.is_active = False
    other_staff.save()
    response = client.get("/clients/")
    assert response.status_code == 302 and "/login/" in response["Location"]
