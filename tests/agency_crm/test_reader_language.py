"""Every page in the reader's own language (issue 17).

Colleagues in both languages act on the demo world (a Korean colleague changes a client, replies,
hands over, records a check-in; an English one does the same), then every page a manager can
open is read twice: as a Korean-language manager and as an English-language one. No text node or
readable attribute of a page may be a sentence of the other language's catalogue (the catalogue
messages are matched whole, parameters and all, so "문의 수주: …" on an English page is found).
User content (names, subjects, bodies) is data and is not a catalogue sentence, so it passes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

from agency_crm import facts
from agency_crm.preferences.services import preferences_save
from clients.models import Client
from clients.services import client_update, note_add
from followups.care.checkins import checkin_complete
from followups.care.models import Checkin, Sentiment
from followups.conversations.models import Channel, Conversation
from followups.conversations.services import conversation_reassign, conversation_reply, message_receive
from tests.factories import ManagerFactory, UserFactory
from tests.world import build_world, routes

pytestmark = pytest.mark.django_db

# Not read: the admin (Django's own), and pages that show what was sent or received as it was
# (the outbox shows each email in the language it went out in; a received email's HTML is theirs).
SKIP_PREFIXES = ("admin/",)
SKIP_NAMES = {"outbox_list", "outbox_detail", "outbox_html", "followups:mail_html"}
# Customers' pages speak the customer's language (the contact's), and the invitation page the
# invitee's (the inviting manager chose it), whoever opens them.
CUSTOMER_PAGES = {"followups:feedback", "followups:unsubscribe", "inquiries:public_proposal", "team:accept"}
# Words that are the same in both languages' UI, or names of things.
SAME_IN_BOTH = {
    "English",  # the language switcher lists each language in its own name
    "한국어",
    "Gonggam",
    "KakaoTalk",
    "유지보수",  # a tag of the demo's clients (user content that happens to be a catalogue word)
}
READABLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "value")


class _Text(HTMLParser):
    """The text a person reads: text nodes and readable attributes, outside script and style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template", "code"):  # <code>: identifiers such as CSV columns
            self._skip += 1
        attributes = dict(attrs)
        for name in READABLE_ATTRIBUTES:
            if name == "value" and attributes.get("type") not in ("submit", "button"):
                continue
            if attributes.get(name):
                self.parts.append(attributes[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template", "code") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def readable_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return [" ".join(part.split()) for part in parser.parts if part.strip()]


def _sentences(language: str) -> list[re.Pattern]:
    """Whole-text patterns of the catalogue's sentences in `language` that differ in the other
    language (a word that is the same in both cannot betray anything)."""
    korean = trans_real.translation("ko")._catalog
    patterns = []
    for key, text in korean.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or not text or text == msgid or "\n" in msgid:
            continue
        sentence = text if language == "ko" else msgid
        literal = re.sub(r"%\([a-z_]+\)[sd]|[\W\d_]", "", sentence)
        letters = len(literal) + len(re.findall(r"[\uac00-\ud7af]", literal))  # a syllable is two letters
        # A sentence with parameters needs enough words of its own to tell it from user content
        # ("%(name)s answer" would match any customer's line ending in "answer").
        if sentence in SAME_IN_BOTH or letters < (8 if "%(" in sentence else 4):
            continue
        regex = re.escape(" ".join(sentence.split())).replace("%%", "%")
        regex = re.sub(r"%\\\([a-z_]+\\\)(?:\\\.\d+f|[sd])", ".+?", regex)
        patterns.append(re.compile(f"^{regex}$", re.DOTALL))
    return patterns


def _colleagues_act(world, korean_colleague, english_colleague):
    client = Client.objects.filter(archived_at__isnull=True, contacts__isnull=False).order_by("pk").first()
    conversation = Conversation.objects.filter(client=client).order_by("pk").first() or Conversation.objects.first()
    for colleague, language in ((korean_colleague, "ko"), (english_colleague, "en")):
        with translation.override(language):
            note_add(client=client, author=colleague, body="메모 / a note")
            client_update(client=client, actor=colleague, changes={"website": f"https://{language}.example"})
            message_receive(conversation=conversation, body="질문 / a question", channel=Channel.EMAIL)
            conversation_reply(
                conversation=conversation, author=colleague, body="답 / an answer", channel=Channel.PHONE
            )
            conversation_reassign(conversation=conversation, to_user=colleague, actor=world.manager)
    checkin = Checkin.objects.filter(status__in=[Checkin.Status.SCHEDULED, Checkin.Status.DUE]).first()
    if checkin is not None:
        with translation.override("ko"):
            checkin_complete(checkin=checkin, actor=korean_colleague, outcome="좋아요", sentiment=Sentiment.AT_RISK)


@pytest.fixture
def acted_world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    korean = UserFactory(username="hana", first_name="하나", last_name="최")
    english = UserFactory(username="tom", first_name="Tom", last_name="Hardy")
    preferences_save(user=korean, changes={"language": "ko"})
    preferences_save(user=english, changes={"language": "en"})
    _colleagues_act(world, korean, english)
    return world


def _pages(world) -> list[str]:
    paths = []
    for route in routes():
        if route.pattern.startswith(SKIP_PREFIXES) or not route.name or route.name in SKIP_NAMES | CUSTOMER_PAGES:
            continue
        paths.append(world.path(route.name))
    return paths


@pytest.mark.parametrize("reader_language", ["ko", "en"])
def test_every_page_speaks_only_the_readers_language(client, acted_world, reader_language):
    reader = ManagerFactory(username=f"reader_{reader_language}", first_name="Reader", last_name=reader_language)
    preferences_save(user=reader, changes={"language": reader_language})
    client.force_login(reader)
    client.raise_request_exception = False
    other = "en" if reader_language == "ko" else "ko"
    foreign = _sentences(other)
    found: dict[str, set[str]] = {}
    pages = 0
    for path in _pages(acted_world):
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        assert response["Content-Language"] == reader_language, path
        for text in readable_text(response.content.decode()):
            if any(p.match(text) for p in foreign):
                found.setdefault(path, set()).add(text[:120])
    assert pages > 40
    assert found == {}, "\n".join(f"{path}: {sorted(texts)}" for path, texts in found.items())


def test_the_checker_finds_a_korean_fact_on_an_english_page():
    foreign = _sentences("ko")
    with translation.override("ko"):
        korean_line = facts.render("Inquiry won: %(title)s", {"title": "Website"})
    assert any(p.match(korean_line) for p in foreign)
    assert not any(p.match("Inquiry won: Website") for p in foreign)
    assert readable_text('<p title="제목">본문<script>var x="숨김"</script></p>') == ["제목", "본문"]
    assert settings.LANGUAGE_CODE in ("en", "ko")
