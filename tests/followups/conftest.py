import pytest


@pytest.fixture(autouse=True)
def default_policies(request):
    """The data migration's policies, re-created because transactional tests flush the tables."""
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    from followups.models import ensure_default_policies

    ensure_default_policies()
