"""No page draws its icons with colour emoji: where no emoji font is installed they showed as
empty boxes. Channels are named in words, the bell is the word "Notifications"."""

import re
from pathlib import Path

import pytest

from followups.conversations.services import message_receive
from followups.models import Channel
from tests.followups.factories import ConversationFactory

pytestmark = pytest.mark.django_db
# Pictographs (U+1F000 and above) and the emoji presentation selector (U+FE0F, as in "✉️").
EMOJI = re.compile("[\U0001f000-\U0001faff\ufe0f]")


@pytest.mark.parametrize("channel", [Channel.EMAIL, Channel.PHONE, Channel.KAKAO, Channel.WEB_FORM, Channel.MEETING])
def test_staff_pages_draw_no_emoji(manager_client, channel):
    conversation = ConversationFactory(subject="Menu", channel=channel)
    message_receive(conversation=conversation, body="When?", channel=channel)
    for url in ("/inbox/", conversation.get_absolute_url(), "/conversations/", "/"):
        html = manager_client.get(url).content.decode()
        assert EMOJI.findall(html) == [], url
    html = manager_client.get("/dashboard/conversations/?waiting=1").content.decode()
    assert EMOJI.findall(html) == []


def test_a_channel_is_named_in_words(owner_client):
    conversation = ConversationFactory(subject="Menu", channel=Channel.PHONE)
    message_receive(conversation=conversation, body="When?", channel=Channel.PHONE)
    html = owner_client.get("/inbox/").content.decode()
    assert re.search(r'<span class="badge[^"]*channel-badge[^"]*">Phone call</span>\s*Menu', html)


def test_no_template_or_template_tag_draws_an_emoji():
    root = Path(__file__).resolve().parents[3]
    files = [*root.glob("templates/**/*.html"), *root.glob("templates/**/*.jinja"), *root.glob("*/templatetags/*.py")]
    assert [str(path.relative_to(root)) for path in files if EMOJI.search(path.read_text(encoding="utf-8"))] == []
