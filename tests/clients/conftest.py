import pytest

from clients import search


@pytest.fixture
def clients_search_only(monkeypatch):
    """Only the clients app's own search kinds (other apps register theirs in ready())."""
    own = {key: provider for key, provider in search._providers.items() if key in ("clients", "contacts", "notes")}
    monkeypatch.setattr(search, "_providers", own)
    return own


@pytest.fixture
def clients_offboarding_only(monkeypatch):
    """Only the clients app's own kinds of owned work (followups registers more)."""
    from clients import offboarding

    own = {key: provider for key, provider in offboarding._providers.items() if key.startswith("clients_")}
    monkeypatch.setattr(offboarding, "_providers", own)
    return own
