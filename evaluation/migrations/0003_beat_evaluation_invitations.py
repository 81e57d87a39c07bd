"""Beat writes the evaluation invitations due at their moments every hour."""

from django.db import migrations

NAME = "evaluation: questionnaire invitations"
TASK = "evaluation.tasks.scan_evaluation_invitations"


def create_periodic_task(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "interval": every_hour,
            "crontab": None,
            "enabled": True,
            # The scan is idempotent: one that waited an hour is replaced by the next one.
            "expire_seconds": 3600,
        },
    )


def delete_periodic_task(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0002_default_questionnaires"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_periodic_task, delete_periodic_task)]
