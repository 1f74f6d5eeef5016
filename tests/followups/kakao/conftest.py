"""The loopback KakaoTalk provider (fake_provider.py) and a channel connected to it."""

import pytest

from followups.kakao.channel import kakao_channel, kakao_channel_save

from . import fake_provider as fp


@pytest.fixture
def fake_provider():
    provider = fp.FakeKakaoProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def kakao_connected(db, fake_provider, manager):
    """The agency's channel pointed at the fake provider: Happytalk for chat, NHN Cloud for AlimTalk."""
    kakao_channel()
    return kakao_channel_save(
        by=manager,
        chat_secret=fp.CLIENT_SECRET,
        alimtalk_secret=fp.SECRET_KEY,
        chat_provider="happytalk",
        chat_base_url=fake_provider.url,
        chat_client_id=fp.CLIENT_ID,
        chat_sender_key=fp.SENDER_KEY,
        alimtalk_provider="nhncloud",
        alimtalk_base_url=fake_provider.url,
        alimtalk_appkey=fp.APPKEY,
        alimtalk_sender_key=fp.ALIMTALK_SENDER_KEY,
        sms_sender_no="02-123-4567",
    )
