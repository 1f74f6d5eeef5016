"""Cursor pagination for every list: a page's `next` link keeps working while rows are added
(an offset would shift by the new rows), and ?page_size= is capped (API_MAX_PAGE_SIZE)."""

from __future__ import annotations

from django.conf import settings
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from agency_crm.params import parse_id


def _position_is_valid(field: str, position: str) -> bool:
    """A cursor is the client's to send: its position must be a value of the ordering field, or
    the database (or the ORM) refuses it with a 500."""
    if field == "id":
        return parse_id(position) is not None
    try:
        moment = parse_datetime(position)
    except ValueError:
        return False
    return moment is not None and moment.tzinfo is not None and 1900 <= moment.year <= 9000


class NewestFirst(CursorPagination):
    """By id, newest first: ids only grow, so the cursor never skips or repeats a row."""

    ordering = "-id"
    page_size_query_param = "page_size"

    def get_page_size(self, request):
        self.page_size = settings.API_PAGE_SIZE
        self.max_page_size = settings.API_MAX_PAGE_SIZE
        return super().get_page_size(request)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            field = self.ordering[0].lstrip("-")  # set by paginate_queryset just before
            if not _position_is_valid(field, cursor.position):
                raise NotFound(self.invalid_cursor_message)
        return cursor


class OldestFirst(NewestFirst):
    """A conversation's messages and a client's timeline read in the order things happened."""

    ordering = ("occurred_at", "id")


class LatestFirst(NewestFirst):
    """A client's timeline, as on its page: the latest event first."""

    ordering = ("-occurred_at", "-id")
