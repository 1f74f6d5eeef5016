"""A URL configuration for the database-error safety net test: the project's, plus a view that
sends the database a value it refuses."""

from django.db import connection
from django.urls import path

from agency_crm.urls import urlpatterns as project_urlpatterns


def out_of_range(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::smallint", [10**6])
    raise AssertionError("PostgreSQL accepted 1000000 as a smallint")


urlpatterns = [*project_urlpatterns, path("out-of-range/", out_of_range)]
handler400 = "agency_crm.errors.bad_request"
handler500 = "agency_crm.errors.server_error"
