from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from . import health
from .checklist import checklist_dismiss, checklist_for
from .models import WorkerHeartbeat
from .roles import manager_required


def home(request):
    return render(request, "agency_crm/home.html", {"checklist": checklist_for(user=request.user)})


@manager_required
@require_POST
def checklist_hide(request):
    checklist_dismiss(user=request.user)
    return redirect("home")


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """200 when the database and the broker answer and no work lags beyond its limit, else 503.

    `lag` lists each check (agency_crm.health.lag_report) with its age in seconds (null when
    nothing waits), its limit (0: off) and whether it is within it.
    """
    db_ok, db_detail = health.database_ok()
    broker_ok, broker_detail = health.broker_ok()
    payload = {
        "status": "ok" if db_ok and broker_ok else "error",
        "database": db_detail,
        "broker": broker_detail,
    }
    lag_ok = True
    if db_ok:
        beat = WorkerHeartbeat.objects.filter(name="default").first()
        # Informational: the lag checks below are what say a worker or beat is stuck.
        payload["worker_last_seen_seconds"] = (
            round((timezone.now() - beat.last_seen_at).total_seconds()) if beat else None
        )
        lag = health.lag_report()
        payload["lag"] = {r.name: {"seconds": r.seconds, "limit": r.limit, "ok": r.ok} for r in lag}
        lag_ok = all(r.ok for r in lag)
        if payload["status"] == "ok" and not lag_ok:
            payload["status"] = "lagging"
    return JsonResponse(payload, status=200 if db_ok and broker_ok and lag_ok else 503)


@cache
def _icon() -> bytes:
    return (Path(settings.BASE_DIR) / "static" / "img" / "favicon.svg").read_bytes()


@login_not_required
@require_GET
@cache_control(public=True, max_age=24 * 3600)
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links (a 404 in every log otherwise): the
    same icon the pages name."""
    return HttpResponse(_icon(), content_type="image/svg+xml")
