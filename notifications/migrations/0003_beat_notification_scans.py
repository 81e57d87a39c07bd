"""Beat runs the scans that write reminders into the outbox: the closing records to write and
the unanswered referrals every hour, the digest of overdue tasks on Monday at 08:00 (Paris)."""

from django.db import migrations

HOURLY = {
    "seances: closing record reminders": "seances.tasks.scan_closing_record_reminders",
    "partners: unanswered referrals": "partners.tasks.scan_unanswered_referrals_task",
}
WEEKLY_NAME = "seances: overdue tasks digest"
WEEKLY_TASK = "seances.tasks.scan_overdue_tasks_digest"


def create_periodic_tasks(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    for name, task in HOURLY.items():
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": task,
                "interval": every_hour,
                "crontab": None,
                "enabled": True,
                # A scan that waited an hour is replaced by the next one (scans are idempotent).
                "expire_seconds": 3600,
            },
        )
    monday_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="1",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Paris",
    )
    PeriodicTask.objects.update_or_create(
        name=WEEKLY_NAME,
        defaults={
            "task": WEEKLY_TASK,
            "crontab": monday_morning,
            "interval": None,
            "enabled": True,
            # A digest held up for the whole day would arrive at an odd hour: skip it, the
            # next Monday's lists the same tasks if still overdue.
            "expire_seconds": 12 * 3600,
        },
    )


def delete_periodic_tasks(apps, schema_editor):
    names = [*HOURLY, WEEKLY_NAME]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_beat_dispatch_due"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_periodic_tasks, delete_periodic_tasks)]
