"""A <script> payload in every text field is shown as text on every page, never executed."""

import pytest

from clients.models import Client, Contact, Note, Tag
from clients.services import note_add

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"


def test_script_payloads_are_escaped_everywhere(owner_client, owner, manager, client):
    response = owner_client.post(
        "/clients/new/",
        {
            "name": f"Acme {PAYLOAD}",
            "kind": "company",
            "status": "active",
            "response_tier": "standard",
            "account_owner": owner.pk,
            "website": "https://acme.example/?q=<script>",
            "notes": f"notes {PAYLOAD}",
            "tags_text": f"tag{PAYLOAD}",
            "contact-name": f"Kim {PAYLOAD}",
            "contact-email": "kim@acme.example",
            "contact-phone": "010-1234-5678",
            "contact-kakao_id": f"kakao{PAYLOAD}",
            "contact-role": f"role{PAYLOAD}",
            "contact-preferred_language": "ko",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    acme = Client.objects.get()
    assert Contact.objects.get().kakao_id == f"kakao{PAYLOAD}"
    assert Tag.objects.get().name == f"tag{PAYLOAD}"[:50]
    note_add(client=acme, author=owner, body=f"note {PAYLOAD}")
    note_add(client=acme, author=owner, body=f"call {PAYLOAD}", kind=Note.Kind.CALL)
    contact = Contact.objects.get()

    pages = [
        "/clients/",
        f"/clients/{acme.pk}/",
        f"/clients/{acme.pk}/edit/",
        f"/clients/{acme.pk}/contacts/{contact.pk}/edit/",
        "/search/?q=acme",
        "/search/?q=kim",
        "/search/?q=note",
        f"/search/?q={PAYLOAD}",
        f"/clients/?tag=tag{PAYLOAD}",
    ]
    for url in pages:
        html = owner_client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "alert(&#x27;xss&#x27;)" in html, url  # the payload is there, as text

    client.force_login(manager)
    html = client.get(f"/staff/{owner.pk}/offboard/").content.decode()
    assert "<script>alert" not in html and ESCAPED in html


def test_a_search_query_with_markup_is_escaped_in_the_page(owner_client):
    html = owner_client.get("/search/", {"q": PAYLOAD}).content.decode()
    assert "<script>alert" not in html
    assert ESCAPED in html


def test_the_highlight_filter_escapes_before_marking():
    from clients.templatetags.clients_tags import highlight

    assert highlight("<b>Acme</b> & co", "acme") == "&lt;b&gt;<mark>Acme</mark>&lt;/b&gt; &amp; co"
    assert highlight("a<mark>b", "<mark>") == "a<mark>&lt;mark&gt;</mark>b"
