"""Records take the series of the session they were raised in, after sessions of
different people were given series of their own (scheduling 0005). A talking point
ticked off in another series was ticked off by people who should never have seen it:
it is open again in its own session."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def follow(apps, schema_editor):
    Session = apps.get_model("scheduling", "Session")
    series_of = Session.objects.filter(pk=OuterRef("raised_in")).values("series")[:1]
    for name in ("TalkingPoint", "ActionItem"):
        apps.get_model("meetings", name).objects.update(series=Subquery(series_of))
    Decision = apps.get_model("meetings", "Decision")
    Decision.objects.update(
        series=Subquery(Session.objects.filter(pk=OuterRef("session")).values("series")[:1])
    )
    TalkingPoint = apps.get_model("meetings", "TalkingPoint")
    TalkingPoint.objects.filter(done_in__isnull=False).exclude(done_in__series=F("series")).update(
        done_in=None, done_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_council_decisions_learning_topics"),
        ("scheduling", "0005_series_follow_the_people"),
    ]

    operations = [migrations.RunPython(follow, migrations.RunPython.noop)]
