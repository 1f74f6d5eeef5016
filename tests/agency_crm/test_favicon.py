"""Every page names the icon it has (browsers asked for /favicon.ico and logged a 404)."""

from django.contrib.staticfiles import finders


def test_pages_link_the_icon_and_it_exists(owner_client, client):
    assert '<link rel="icon" href="/static/img/favicon.svg"' in owner_client.get("/inbox/").content.decode()
    assert finders.find("img/favicon.svg")


def test_public_pages_link_it_too(client, db):
    assert '<link rel="icon" href="/static/img/favicon.svg"' in client.get("/contact/").content.decode()


def test_favicon_ico_answers_without_a_login(client, db):
    """Browsers ask for /favicon.ico whatever the page says: it answers with the same icon."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content if response.streaming else [response.content])
    assert "max-age" in response["Cache-Control"]
