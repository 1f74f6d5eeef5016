"""A body too large for the site on a public page (the contact form) gets the 413 page with a way
back to that form, not the staff login; staff pages keep their way back to the start."""

import pytest

pytestmark = pytest.mark.django_db


def too_large(client, url, settings, **extra):
    settings.REQUEST_MAX_BODY_BYTES = 64 * 1024
    return client.post(url, data=b"x" * 70_000, content_type="application/octet-stream", **extra)


@pytest.mark.parametrize("url", ["/contact/?lang=ko", "/contact/embed/?lang=en", "/my/"])
def test_a_public_page_links_back_to_its_form(client, settings, url):
    response = too_large(client, url, settings)
    assert response.status_code == 413
    page = response.content.decode()
    assert f'href="{url.replace("&", "&amp;")}"' in page and 'data-testid="error-back"' in page
    assert "/accounts/login/" not in page.split('data-testid="error-page"', 1)[1]


def test_a_staff_page_still_links_to_the_start(owner_client, settings):
    page = too_large(owner_client, "/clients/import/", settings).content.decode()
    assert 'data-testid="error-back"' not in page


def test_the_embedded_forms_413_shows_inside_the_allowed_site(client, settings):
    # The page is inside another site's iframe: framed like the form, or the visitor sees nothing.
    settings.CONTACT_FORM_ALLOWED_ORIGINS = ["https://www.agency.example"]
    response = too_large(client, "/contact/embed/?lang=en", settings)
    assert response.status_code == 413
    assert "frame-ancestors https://www.agency.example" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    page = too_large(client, "/contact/?lang=en", settings)
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
