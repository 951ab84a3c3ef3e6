from django.db import migrations, models


def mark_all_stale(apps, schema_editor):
    """Scores computed before the rules were checked carry no problems: recompute them on the next read."""
    apps.get_model("assessments", "Assessment").objects.update(scores_stale=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_result_and_document_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentscore",
            name="problems",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(mark_all_stale, migrations.RunPython.noop),
    ]
