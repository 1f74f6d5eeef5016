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


@pytest.fixture
def queued_tasks_run(django_capture_on_commit_callbacks):
    """Tasks queued after the commit (transaction.on_commit + .delay) run in this process when the
    block's transaction commits: `with queued_tasks_run(): client.post(...)`. What the request
    itself does is tested without it; a real worker runs them in
    tests/followups/portal/test_link_request_queued.py."""
    from agency_crm.celery import app

    app.conf.task_always_eager = True
    try:
        yield lambda: django_capture_on_commit_callbacks(execute=True)
    finally:
        app.conf.task_always_eager = False
