import pytest

from .receiver import Receiver


@pytest.fixture
def receiver_factory():
    made: list[Receiver] = []

    def make(*args, **kwargs) -> Receiver:
        receiver = Receiver(*args, **kwargs)
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.stop()


@pytest.fixture
def allow_loopback(settings):
    """Receivers in these tests run on 127.0.0.1, which production refuses."""
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = True
    return settings
