"""Every page works under the Content-Security-Policy: Chromium opens every URL of the URLconf
(with real ids from tests/world.py) as the demo manager, plus the login page and a few admin
pages, and fails on any violation, reported either as a `securitypolicyviolation` event or as a
console message (which also covers the sandboxed email frames, where no script runs)."""

from __future__ import annotations

import time

import pytest

from agency_crm.outbox.models import OutboundEmail
from tests.agency_crm.factories import OutboundEmailFactory
from tests.world import MANAGER_PASSWORD, MANAGER_USERNAME, build_world, routes

pytestmark = pytest.mark.browser

# Answers that are downloads, not pages: their headers are checked instead.
DOWNLOADS = {
    "clients:export",
    "followups:mail_attachment",
    "followups:mail_failure_download",
    "followups:contact_attachment",
    "api:schema",  # the OpenAPI schema as YAML (application/vnd.oai.openapi)
}
ADMIN_PAGES = [
    "/admin/",
    "/admin/clients/client/",
    "/admin/clients/client/add/",
    "/admin/followups/responsepolicy/",
    "/admin/django_celery_beat/periodictask/",
    "/admin/django_celery_beat/periodictask/add/",
]
# htmx swaps an answer in after a 0 ms delay and settles it after 20 ms: this waits past both (in
# Python: a sandboxed frame of an email runs no timer a script could wait on).
SWAP_MS = 40
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


class Watch:
    """What the browser reported about the Content-Security-Policy on the current page."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.in_flight: set = set()
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("request", lambda request: self.in_flight.add(request))
        page.on("requestfinished", lambda request: self.in_flight.discard(request))
        page.on("requestfailed", lambda request: self.in_flight.discard(request))
        # A script that fails (say, one that counted on inline code) is as broken as a blocked one.
        page.on("pageerror", lambda error: self.console.append(f"script error: {error}"))

    def _on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text or "Refused to" in text:
            self.console.append(text)

    def settle(self, timeout: float = 15) -> None:
        """Until no request is in flight (the panels htmx asks for on load), then SWAP_MS more for
        htmx to swap the last answer in. Playwright's "networkidle" waited 500 ms of silence
        after every page: a minute of the walk."""
        deadline = time.monotonic() + timeout
        while self.in_flight and time.monotonic() < deadline:
            self.page.wait_for_timeout(20)
        self.page.wait_for_timeout(SWAP_MS)

    def take(self) -> list[str]:
        try:
            events = self.page.evaluate("window.__cspViolations || []")
        except Exception:  # a page that navigated away while being read
            events = []
        found, self.console = [*self.console, *events], []
        return found


def _visit(page, watch, url: str) -> tuple[int, dict, list[str]]:
    response = page.goto(url)
    watch.settle()
    return response.status, response.all_headers(), watch.take()


# The walk is split in parts (every PARTS-th URL each) so that pytest-xdist's workers share it:
# one browser visit a page, about 120 pages, was the longest test of the suite.
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_no_page_breaks_the_content_security_policy(live_server, page, settings, tmp_path, part):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    assert OutboundEmail.objects.filter(pk=world.kwargs["outbox_detail"]["email_id"]).exclude(html_body="").exists()
    watch = Watch(page)
    problems: dict[str, list[str]] = {}
    visited = 0

    status, headers, violations = _visit(page, watch, f"{live_server.url}/accounts/login/")
    assert status == 200 and violations == []
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    page.fill("input[name=username]", MANAGER_USERNAME)
    page.fill("input[name=password]", MANAGER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert watch.take() == []

    mine = routes()[part::PARTS]
    for route in mine:
        url = f"{live_server.url}{world.path(route.name)}"
        if route.name in DOWNLOADS:
            headers = page.request.get(url).headers
        else:
            status, headers, violations = _visit(page, watch, url)
            visited += status == 200
            if violations:
                problems[route.name] = violations
        if "content-security-policy" not in headers or "permissions-policy" not in headers:
            problems.setdefault(route.name, []).append(f"headers missing: {sorted(headers)}")
        elif headers.get("referrer-policy") not in ("same-origin", "no-referrer"):
            problems.setdefault(route.name, []).append(f"referrer-policy: {headers.get('referrer-policy')}")
    # The admin's own pages too, as a superuser so that every one opens.
    type(world.manager).objects.filter(pk=world.manager.pk).update(is_superuser=True)
    client_id = world.kwargs["clients:detail"]["pk"]
    for path in [*ADMIN_PAGES, f"/admin/clients/client/{client_id}/change/"][part::PARTS]:
        status, _headers, violations = _visit(page, watch, f"{live_server.url}{path}")
        assert status == 200, path
        if violations:
            problems[path] = violations

    assert problems == {}
    assert visited >= len(mine) * 3 // 8, "most pages should have opened"


def test_the_email_frames_show_their_content_under_their_own_policies(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    watch = Watch(page)
    _visit(page, watch, f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", MANAGER_USERNAME)
    page.fill("input[name=password]", MANAGER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    _status, _headers, violations = _visit(page, watch, f"{live_server.url}{world.path('followups:mail_detail')}")
    page.click("details summary")
    assert page.frame_locator("#mail-html").locator("body").inner_text().strip() != ""
    assert violations == [] and watch.take() == []

    email = OutboundEmailFactory(html_body='<p style="color: rgb(108, 117, 125)" id="styled">Styled inline</p>')
    _visit(page, watch, f"{live_server.url}/outbox/{email.pk}/")
    styled = page.frame_locator("#outbox-html").locator("#styled")
    assert styled.inner_text() == "Styled inline"
    assert styled.evaluate("element => getComputedStyle(element).color") == "rgb(108, 117, 125)"
    assert watch.take() == []


def test_the_watch_sees_a_violation_in_a_page_and_in_a_frame(live_server, page, settings, tmp_path):
    """The test above could not fail if the browser reported nothing: show that it does."""
    settings.MEDIA_ROOT = tmp_path / "media"
    build_world()
    watch = Watch(page)
    _visit(page, watch, f"{live_server.url}/accounts/login/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    assert any("style-src" in violation for violation in watch.take())

    page.fill("input[name=username]", MANAGER_USERNAME)
    page.fill("input[name=password]", MANAGER_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # An image in an email's HTML is not allowed by the outbox frame's policy (a same-origin one,
    # so that no request could leave the machine even if it were).
    email = OutboundEmailFactory(html_body='<p>Logo</p><img src="/static/css/app.css" alt="">')
    _status, _headers, violations = _visit(page, watch, f"{live_server.url}/outbox/{email.pk}/")
    assert any("img-src" in violation or "default-src" in violation for violation in violations), violations
