"""The per-address limit of the contact form counts one mailbox once, however it is spelled."""

import uuid

import pytest

from agency_crm.outbox import OutboundEmail
from followups.webform.spam import address_for_limit
from tests.followups.test_webform import post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "counted"),
    [
        ("Vic@Example.com", "vic@example.com"),
        ("vic+1@example.com", "vic@example.com"),
        ("v.i.c@example.com", "v.i.c@example.com"),  # most providers keep dots
        ("V.i.C+news@Gmail.com", "vic@gmail.com"),
        ("v.i.c@googlemail.com", "vic@gmail.com"),
        ("  vic@example.com ", "vic@example.com"),
    ],
)
def test_an_address_is_counted_as_its_mailbox(typed, counted):
    assert address_for_limit(typed) == counted


def test_tags_and_dots_do_not_get_past_the_limit(client, manager, settings):
    settings.CONTACT_FORM_RATE_PER_EMAIL = "1/h"
    user = f"vic{uuid.uuid4().hex[:8]}"
    codes = [
        post(client, {"email": address})[0].status_code
        for address in (
            f"{user}@gmail.com",
            f"{user}+1@gmail.com",
            f"{user[0]}.{user[1:]}@gmail.com",
            f"{user.upper()}@googlemail.com",
        )
    ]
    assert codes == [302, 429, 429, 429]
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.ACKNOWLEDGEMENT).count() == 1
