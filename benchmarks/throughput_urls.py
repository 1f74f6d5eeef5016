"""The project's URLs plus /bench/bare/: an authenticated view that does nothing.

It passes through every middleware (session, authentication, CSRF, locale, CSP, axes, ...) and
returns a few bytes: the ceiling the inbox is compared with. Only the benchmark's gunicorn loads it.
"""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("agency_crm.urls"))]
