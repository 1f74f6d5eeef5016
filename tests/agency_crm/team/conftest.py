import re

import pytest

from agency_crm.outbox import OutboundEmail


def invitation_link(email: OutboundEmail) -> str:
    """The path of the invitation link in the email's text part."""
    return re.search(r"http://testserver(/join/[^/\s]+/)", email.text_body).group(1)


@pytest.fixture
def accept_data():
    def make(**overrides):
        data = {
            "username": "haneul",
            "first_name": "Haneul",
            "last_name": "Kim",
            "language": "ko",
            "password1": "blue-harbor-lantern-42",
            "password2": "blue-harbor-lantern-42",
        }
        data.update(overrides)
        return data

    return make
