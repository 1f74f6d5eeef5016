import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _stages_and_english(db):
    """The seeded stages (migration 0002), which a transactional test elsewhere may have flushed,
    and English messages whatever a test before left active."""
    from inquiries.board.defaults import STAGES
    from inquiries.board.models import PipelineStage

    for position, (status, en, ko, probability, stale) in enumerate(STAGES):
        PipelineStage.objects.get_or_create(
            status=status,
            defaults={
                "name_en": en,
                "name_ko": ko,
                "position": position,
                "win_probability": probability,
                "stale_after_days": stale,
            },
        )
    with translation.override("en"):
        yield
