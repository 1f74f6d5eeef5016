"""Every page names the icon it has (browsers asked for /favicon.ico and logged a 404)."""

from django.contrib.staticfiles import finders


def test_pages_link_the_icon_and_it_exists(owner_client, client):
    assert '<link rel="icon" href="/static/img/favicon.svg"' in owner_client.get("/inbox/").content.decode()
    assert finders.find("img/favicon.svg")


def test_public_pages_link_it_too(client, db):
    assert '<link rel="icon" href="/static/img/favicon.svg"' in client.get("/contact/").content.decode()
