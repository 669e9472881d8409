"""A session records where a person moved it from, so that "(moved)" means a person
moved it: 1-on-1s and skip-levels the planner lays back to back start after their
slot's planned start without anyone having moved them."""

from django.db import migrations, models
from django.db.models import F


def remember_moves(apps, schema_editor):
    # Only sessions a person changed can have been moved. Those of the series the
    # planner staggers cannot be told apart from a move, so they are left unmarked:
    # a missing "(moved)" misleads less than one on a session nobody moved.
    Session = apps.get_model("scheduling", "Session")
    (
        Session.objects.filter(touched=True)
        .exclude(starts_at=F("planned_start"))
        .exclude(series__startswith="pair:")
        .exclude(series__startswith="skip:")
        .update(moved_from=F("planned_start"))
    )


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0005_series_follow_the_people")]

    operations = [
        migrations.AddField(
            model_name="session",
            name="moved_from",
            field=models.DateTimeField(
                blank=True, help_text="The start before a person first moved it.", null=True
            ),
        ),
        migrations.RunPython(remember_moves, migrations.RunPython.noop),
    ]
