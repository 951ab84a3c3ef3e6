"""Default reminder rules: 7 days and 1 day before the deadline to the person responsible; 1 day after to the
person responsible and the focal point; 7 days after to the unit leader. In the application and by e-mail.
Administrators and national coordinators change them on the reminder rules page; removing the migration's rules
on the way back leaves rules created by people alone."""

from django.db import migrations

DEFAULTS = [
    ("Nhắc trước hạn 7 ngày", -7, ["responsible"]),
    ("Nhắc trước hạn 1 ngày", -1, ["responsible"]),
    ("Báo quá hạn 1 ngày", 1, ["responsible", "focal_point"]),
    ("Báo quá hạn 7 ngày cho lãnh đạo", 7, ["unit_leader"]),
]
CHANNELS = ["in_app", "email"]


def add_rules(apps, schema_editor):
    rule = apps.get_model("improvement", "ReminderRule")
    for name, offset, recipients in DEFAULTS:
        if not rule.objects.filter(name=name, created_by__isnull=True).exists():
            rule.objects.create(name=name, offset_days=offset, recipients=recipients, channels=CHANNELS)


def remove_rules(apps, schema_editor):
    rule = apps.get_model("improvement", "ReminderRule")
    rule.objects.filter(name__in=[name for name, _offset, _recipients in DEFAULTS], created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
