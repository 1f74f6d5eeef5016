"""Migration inquiries 0004 backfills when each existing inquiry entered its status."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from clients.timeline import timeline_record
from inquiries.models import Inquiry
from tests.inquiries.factories import InquiryFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("inquiries.migrations.0004_status_changed_at")
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def _event(inquiry, kind, when, inquiry_id=None):
    timeline_record(
        client=inquiry.client,
        kind=kind,
        summary="x",
        occurred_at=when,
        data={"inquiry_id": inquiry_id or inquiry.pk},
    )


def test_the_latest_status_event_of_the_inquiry_else_its_creation():
    moved = InquiryFactory(status="proposal_sent")
    untouched = InquiryFactory()
    neighbour = InquiryFactory(client=moved.client)
    _event(moved, "inquiry.status_changed", dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    _event(moved, "proposal.sent", dt.datetime(2026, 11, 5, tzinfo=dt.UTC))
    _event(moved, "note.added", dt.datetime(2026, 11, 9, tzinfo=dt.UTC))  # not a status event
    # The same client's other inquiry: its events are not this one's.
    _event(neighbour, "inquiry.won", dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    Inquiry.objects.update(status_changed_at=LONG_AGO)

    migration.backfill(apps, None)

    assert Inquiry.objects.get(pk=moved.pk).status_changed_at == dt.datetime(2026, 11, 5, tzinfo=dt.UTC)
    assert Inquiry.objects.get(pk=neighbour.pk).status_changed_at == dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    fresh = Inquiry.objects.get(pk=untouched.pk)
    assert fresh.status_changed_at == fresh.created_at
