"""Ship the SIPAS-style template (feedback/data/sipas-v2.yaml) with the schema, so every database has it.

Idempotent: the loader leaves a stored, unchanged template alone. Later versions come as new files loaded by
``manage.py load_survey_templates`` (or a migration of their own); this one always loads version 1.
"""

from django.db import migrations


def load_sipas(apps, schema_editor):
    from tincay.feedback.services.templates import SIPAS, survey_template_load

    survey_template_load(SIPAS, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(load_sipas, migrations.RunPython.noop)]
