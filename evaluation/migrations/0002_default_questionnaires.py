"""The shipped French questionnaires (evaluation/defaults.py), read-only, copied by coordinators."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from evaluation.defaults import ensure_default_questionnaires

    ensure_default_questionnaires(
        apps.get_model("evaluation", "Questionnaire"), apps.get_model("evaluation", "Question")
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
