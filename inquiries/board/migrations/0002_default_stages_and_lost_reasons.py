from django.db import migrations

from inquiries.board.defaults import LOST_REASONS, STAGES


def seed(apps, schema_editor):
    PipelineStage = apps.get_model("board", "PipelineStage")
    LostReason = apps.get_model("board", "LostReason")
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
    if not LostReason.objects.exists():
        for position, (en, ko) in enumerate(LOST_REASONS):
            LostReason.objects.create(name_en=en, name_ko=ko, position=position)


class Migration(migrations.Migration):
    dependencies = [("board", "0001_pipeline_stages_and_lost_reasons")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
