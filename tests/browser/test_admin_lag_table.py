"""The admin's lag table reads across, in Korean and in English: no header or cell is squeezed
narrower than its longest word (its headers stood as vertical letters beside the app list)."""

import pytest

from tests.browser.test_dashboard_tables import SQUEEZED_CELLS
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

LAG_CELLS = SQUEEZED_CELLS.replace('"main table th, main table td"', '"#health-lag th, #health-lag td"').replace(
    'cell.closest("table").dataset.table', '"lag"'
)


@pytest.mark.parametrize(("width", "language"), [(1280, "ko"), (1280, "en"), (390, "ko")])
def test_the_lag_table_is_not_squeezed(live_server, page, login, width, language, tmp_path):
    UserFactory(username="root", first_name="Admin", last_name="Root", is_staff=True, is_superuser=True)
    page.set_viewport_size({"width": width, "height": 900})
    login("root", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/admin/")
    page.screenshot(path=tmp_path / f"admin-{language}-{width}.png", full_page=True)
    assert page.locator("#health-lag th").count() >= 4
    squeezed = page.evaluate(LAG_CELLS)
    assert squeezed == [], squeezed
