from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health
from .models import WorkerHeartbeat


def home(request):
    return render(request, "agency_crm/home.html")


@login_not_required
@require_GET
@never_cache
def healthz(request):
    db_ok, db_detail = health.database_ok()
    broker_ok, broker_detail = health.broker_ok()
    payload = {
        "status": "ok" if db_ok and broker_ok else "error",
        "database": db_detail,
        "broker": broker_detail,
    }
    if db_ok:
        beat = WorkerHeartbeat.objects.filter(name="default").first()
        # Informational: a worker that stopped does not make the web app unhealthy.
        payload["worker_last_seen_seconds"] = (
            round((timezone.now() - beat.last_seen_at).total_seconds()) if beat else None
        )
    return JsonResponse(payload, status=200 if db_ok and broker_ok else 503)
