"""The project's URLs plus two views that only the benchmark's gunicorn loads.

- /bench/bare/: an authenticated view that does nothing. It passes through every middleware
  (session, authentication, CSRF, locale, CSP, axes, ...) and returns a few bytes: the ceiling
  the inbox is compared with.
- /bench/inbox-reads/: the inbox's reads and nothing else (the same queries as /inbox/, through
  the same selectors, no rows built, no template): the most any inbox that reads its data on
  every request could serve. throughput.py checks that it runs as many queries as /inbox/.
"""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.urls import include, path

from agency_crm.context_processors import navigation
from followups.conversations import selectors
from followups.conversations.hours import load_calendar
from followups.models import ResponsePolicy


def bare(request):
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


def inbox_reads(request):
    queryset = selectors.inbox_conversations(user=request.user, filters=selectors.InboxFilters())
    page = Paginator(queryset, selectors.INBOX_PAGE_SIZE).get_page(1)  # the count, then the page
    conversations = list(page.object_list)
    load_calendar()  # the calendar and its closure days
    list(ResponsePolicy.objects.all())
    selectors.staff_choices()
    navigation(request)  # is the reader a manager (the layout's navigation)
    return HttpResponse(f"ok {len(conversations)}", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/inbox-reads/", inbox_reads),
    path("", include("agency_crm.urls")),
]
