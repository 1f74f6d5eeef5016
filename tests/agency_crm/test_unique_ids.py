"""Every page's element ids are unique: a label, aria-labelledby or a script's lookup must reach
the one element it names (the conversation page once had three `id_body`: the reply, the customer
message and the internal note, so clicking a label focused the wrong box)."""

from __future__ import annotations

import collections
import re

import pytest

from tests.world import build_world, routes

pytestmark = pytest.mark.django_db

ID = re.compile(r"""\sid=(?:"([^"]+)"|'([^']+)')""")


def test_no_page_repeats_an_element_id(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    client.force_login(world.manager)
    repeated = {}
    for route in routes():
        response = client.get(world.path(route.name))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        ids = collections.Counter(a or b for a, b in ID.findall(response.content.decode()))
        twice = sorted(name for name, count in ids.items() if count > 1)
        if twice:
            repeated[route.name] = twice
    assert repeated == {}
