"""The loopback KakaoTalk provider (fake_provider.py) and a channel connected to it."""

import pytest

from . import fake_provider as fp


@pytest.fixture
def fake_provider():
    provider = fp.FakeKakaoProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def kakao_connected(db, fake_provider, manager):
    """The agency's channel pointed at the fake provider: Happytalk for chat, NHN Cloud for AlimTalk."""
    return fp.connect(fake_provider, by=manager)
