"""Records take the series of the session they were raised in (renamed in scheduling)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def follow(apps, schema_editor):
    Session = apps.get_model("scheduling", "Session")
    for name in ("TalkingPoint", "ActionItem"):
        model = apps.get_model("meetings", name)
        model.objects.update(
            series=Subquery(Session.objects.filter(pk=OuterRef("raised_in")).values("series")[:1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_daily_why"),
        ("scheduling", "0002_private_series_keys"),
    ]

    operations = [migrations.RunPython(follow, migrations.RunPython.noop)]
