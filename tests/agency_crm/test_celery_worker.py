"""A real Celery worker, started as a subprocess against the real Redis broker, runs a task
end to end (no eager mode)."""

import pytest

from agency_crm.models import WorkerHeartbeat
from agency_crm.tasks import worker_heartbeat
from tests.conftest import wait_until

pytestmark = pytest.mark.integration


def test_a_real_worker_runs_a_task_from_redis(celery_processes):
    worker = celery_processes("worker")
    worker_heartbeat.delay("from-test")
    beat = wait_until(
        lambda: WorkerHeartbeat.objects.filter(name="from-test").first(),
        timeout=30,
        message="the worker recording its heartbeat",
    )
    assert beat.last_seen_at is not None
    assert "agency_crm.tasks.worker_heartbeat" in worker.output()


def test_the_worker_settings_are_safe_for_crashes():
    from agency_crm.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
