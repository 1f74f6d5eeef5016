"""Both languages stay complete: every string in the Korean catalogue is translated, the
compiled catalogue matches it, and pages switch language."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "ko" / "LC_MESSAGES"


def test_every_korean_string_is_translated():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert untranslated == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    expected = {
        (e.msgctxt, e.msgid, e.msgstr or tuple(sorted(e.msgstr_plural.items()))) for e in po.translated_entries()
    }
    compiled = {(e.msgctxt, e.msgid, e.msgstr or tuple(sorted(e.msgstr_plural.items()))) for e in mo}
    assert expected - compiled == set(), "run `make messages` to recompile locale/ko"


@pytest.mark.django_db
def test_a_korean_browser_gets_the_korean_layout(owner_client):
    page = owner_client.get("/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "받은 메시지" in page and "고객" in page and "로그아웃" in page


@pytest.mark.django_db
def test_the_language_switcher_sets_korean(owner_client):
    response = owner_client.post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert response.status_code == 302
    assert "받은 메시지" in owner_client.get("/").content.decode()


@pytest.mark.django_db
def test_the_login_page_can_be_switched_to_korean(client):
    client.post("/i18n/setlang/", {"language": "ko", "next": "/accounts/login/"})
    assert "비밀번호를 잊으셨나요?" in client.get("/accounts/login/").content.decode()
