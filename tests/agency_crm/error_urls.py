"""A URL configuration for the error-page tests: the project's, plus a view that fails."""

from django.urls import path

from agency_crm.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("a bug")


def too_many(request):
    from django.http import HttpResponse

    return HttpResponse(status=429)


urlpatterns = [*project_urlpatterns, path("broken/", broken), path("too-many/", too_many)]
handler400 = "agency_crm.errors.bad_request"
handler403 = "agency_crm.errors.permission_denied"
handler404 = "agency_crm.errors.page_not_found"
handler500 = "agency_crm.errors.server_error"
