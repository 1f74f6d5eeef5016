"""The Jinja2 environment of the layout and the hot pages (agency_crm/jinja_templates.py): it
escapes like Django templates, shows moments in the current time zone and the reader's language,
reverses URLs right under any script prefix, and Django pages reach the same layout."""

import datetime as dt
import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.template import engines
from django.urls import reverse, set_script_prefix
from django.utils import timezone, translation

from followups.conversations.forms import QuickLogForm
from tests.followups.factories import ClientFactory, ContactFactory
from tests.followups.test_views import waiting

pytestmark = pytest.mark.django_db
SEOUL = dt.timezone(dt.timedelta(hours=9))
PAYLOAD = "<script>alert('x')</script>"


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_every_value_is_escaped_and_a_missing_one_is_nothing():
    assert render("{{ name }}|{{ nothing.at.all }}|{{ request.GET.q }}", name=PAYLOAD) == (
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;||"
    )


def test_customer_text_on_the_inbox_is_text(other_client):
    conversation = waiting(timezone.now() - dt.timedelta(hours=1), subject=f"Subject {PAYLOAD}")
    conversation.client.name = f"Client {PAYLOAD}"
    conversation.client.save()
    conversation.contact.name = f"Contact {PAYLOAD}"
    conversation.contact.save()
    html = other_client.get(reverse("followups:inbox")).content.decode()
    assert "<script>alert" not in html
    for field in ("Client", "Subject", "Contact"):
        assert f"{field} &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_a_moment_is_shown_in_the_current_time_zone_and_the_readers_format():
    moment = dt.datetime(2026, 12, 3, 4, 0, tzinfo=dt.UTC)  # 13:00 in Seoul
    source = "{{ moment|long_moment }}|{{ moment|iso_moment }}|{{ moment|date('Y-m-d H:i') }}"
    with timezone.override("Asia/Seoul"):
        with translation.override("en"):
            assert render(source, moment=moment) == "Thu 3 Dec 2026, 13:00|2026-12-03T13:00:00+09:00|2026-12-03 13:00"
        with translation.override("ko"):
            assert render(source, moment=moment).startswith("2026년 12월 3일 (목) 오후 1:00|")


def test_urls_are_reversed_per_name_arguments_and_script_prefix():
    assert render("{{ url('followups:conversation', 5) }} {{ url('followups:conversation', 6) }}") == (
        "/conversations/5/ /conversations/6/"
    )
    set_script_prefix("/crm/")
    try:
        assert render("{{ url('followups:conversation', 5) }}") == "/crm/conversations/5/"
    finally:
        set_script_prefix("/")


def test_translations_follow_the_active_language():
    source = "{{ _('Inbox') }}|{{ _('Page %(number)s of %(total)s') % {'number': 1, 'total': 3} }}"
    with translation.override("ko"):
        assert render(source) == "받은 메시지|1 / 3 페이지"


def _normal(html: str) -> str:
    """Markup compared without the whitespace between and inside tags, and with Django's and
    markupsafe's escapes of quotes taken as the same (&#x27; / &#39;, &quot; / &#34;)."""
    html = str(html).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r"\s*(<|>)\s*", r"\1", html)
    return re.sub(r"\s+(?=>)|(?<=<)\s+", "", html)


@pytest.mark.parametrize("data", [None, {"direction": "sideways", "body": "", "occurred_at": "yesterday"}])
def test_the_forms_macro_gives_the_markup_crispy_forms_gives(data):
    form = QuickLogForm(data)
    form.is_valid() if data else None
    macros = engines["jinja2"].env.get_template("forms.jinja").module
    for name in ("direction", "channel", "body", "subject", "occurred_at"):
        assert _normal(macros.field(form[name])) == _normal(as_crispy_field(form[name])), name


def _conversation_forms(bound: bool) -> list:
    """Every form of the conversation page, empty and bound to nothing (so each shows its errors)."""
    from followups.conversations import forms as conversation_forms
    from tests.followups.factories import ConversationFactory

    conversation = ConversationFactory()
    ContactFactory(client=conversation.client, email="second@example.com")  # a second To checkbox
    data = (
        {"owner": "x", "subject": "", "topics": "", "body": "", "reason": "", "occurred_at": "soon"} if bound else None
    )
    reply = conversation_forms.ReplyForm(data, conversation=conversation, seen=1)
    return [
        reply,
        conversation_forms.OwnerForm(data),
        conversation_forms.SubjectForm(data),
        conversation_forms.TopicsForm(data),
        conversation_forms.NoteForm(data),
        conversation_forms.NoReplyNeededForm(data),
        conversation_forms.CustomerMessageForm(data),
        conversation_forms.MessageTimeForm(data),
    ]


@pytest.mark.parametrize("bound", [False, True])
def test_the_forms_macro_gives_the_markup_crispy_forms_gives_for_whole_forms(bound):
    """`{{ forms.fields(form) }}` = `{{ form|crispy }}` for every form of the conversation page:
    hidden fields, To checkboxes, selects, file inputs, help texts, errors."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    macros = engines["jinja2"].env.get_template("forms.jinja").module
    for form in _conversation_forms(bound):
        if bound:
            form.is_valid()
            form.add_error(None, "One thing is wrong.")
            form.add_error(None, "And another.")  # several non-field errors share one alert
        assert _normal(macros.fields(form)) == _normal(as_crispy_form(form)), type(form).__name__


def test_a_django_page_gets_the_jinja_layout_with_its_title_head_content_and_messages(manager_client, manager):
    client = ClientFactory(name="Layout Ltd", account_owner=manager)
    ContactFactory(client=client)
    response = manager_client.post(
        reverse("clients:note_add", args=[client.pk]), {"body": "Called them", "kind": "note"}, follow=True
    )
    html = response.content.decode()
    assert re.search(r"<title>Layout Ltd · Gonggam</title>", html)
    assert 'data-nav="dashboard"' in html  # the manager's navigation
    assert "Note added." in html  # the message, shown once by the layout
    assert html.count("Note added.") == 1
    assert 'id="main"' in html and "Called them" in html


def test_each_block_of_a_django_page_lands_in_its_place_in_the_layout(rf, owner):
    page = engines["django"].from_string(
        '{% extends "base.html" %}{% block title %}T &amp; {{ name }}{% endblock %}'
        '{% block head %}<link rel="stylesheet" href="/static/css/x.css">{% endblock %}'
        "{% block content %}<p>{{ name }}</p>{% endblock %}"
    )
    request = rf.get("/somewhere/?q=findme")
    request.user = owner
    html = page.render({"name": PAYLOAD}, request)
    head, body = html.split("</head>")
    assert "<title>T &amp; &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; · Gonggam</title>" in head
    assert '<link rel="stylesheet" href="/static/css/x.css">' in head
    main = body[body.index('<main class="container-fluid px-3 px-lg-4" id="main">') : body.index("</main>")]
    assert "<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>" in main
    assert 'value="findme"' in body and 'value="/somewhere/?q=findme"' in body  # search box, language switch


def test_the_layout_greets_a_visitor_without_the_staff_navigation(client):
    html = client.get(reverse("login")).content.decode()
    assert 'id="mainnav"' not in html and 'name="next"' in html and "<main" in html
