"""Ship the five-phase template (rollout/data/five-phases-v1.yaml) with the schema, so every database has it.

Idempotent: the loader leaves a stored, unchanged template alone. Later versions come as new files loaded by
``manage.py load_phase_templates`` (or a migration of their own); this one always loads version 1.
"""

from django.db import migrations


def load_five_phases(apps, schema_editor):
    from tincay.rollout.services.templates import FIVE_PHASES, phase_template_load

    phase_template_load(FIVE_PHASES, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("rollout", "0001_initial")]

    operations = [migrations.RunPython(load_five_phases, migrations.RunPython.noop)]
