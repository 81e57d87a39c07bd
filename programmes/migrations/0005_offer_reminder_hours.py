from django.db import migrations, models

import programmes.models


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_programme_logo"),
    ]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="reminder_hours",
            field=models.JSONField(
                blank=True,
                default=programmes.models.default_reminder_hours,
                help_text="Hours before each appointment or session when a reminder is sent.",
                verbose_name="reminders (hours before)",
            ),
        ),
    ]
