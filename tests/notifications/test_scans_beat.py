"""Beat runs the scans: the periodic tasks exist (data migration) and name real tasks."""

from django_celery_beat.models import PeriodicTask

from accompagnement.celery import app
from evaluation.tasks import scan_evaluation_invitations
from partners.tasks import scan_unanswered_referrals_task
from seances.tasks import scan_closing_record_reminders, scan_overdue_tasks_digest


def test_scans_are_scheduled_hourly_and_on_monday_morning(beat_schedule):
    hourly = PeriodicTask.objects.filter(
        task__in=[
            "seances.tasks.scan_closing_record_reminders",
            "partners.tasks.scan_unanswered_referrals_task",
            "evaluation.tasks.scan_evaluation_invitations",
        ]
    ).select_related("interval")
    assert [(t.interval.every, t.interval.period, t.enabled) for t in hourly] == [
        (1, "hours", True),
        (1, "hours", True),
        (1, "hours", True),
    ]
    weekly = PeriodicTask.objects.select_related("crontab").get(
        task="seances.tasks.scan_overdue_tasks_digest"
    )
    crontab = weekly.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "8", "1")
    assert str(crontab.timezone) == "Europe/Paris"
    # What a worker registers at start-up (autodiscovery of every app's tasks module).
    app.loader.import_default_modules()
    for task in PeriodicTask.objects.exclude(task__startswith="celery."):
        assert task.task in app.tasks, task.task


def test_scan_tasks_run_and_report_how_many(beat_schedule):
    assert scan_closing_record_reminders.delay().get() == 0
    assert scan_overdue_tasks_digest.delay().get() == 0
    assert scan_unanswered_referrals_task.delay().get() == 0
    assert scan_evaluation_invitations.delay().get() == 0
