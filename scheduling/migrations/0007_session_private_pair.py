"""Sessions carry their privacy and their two people as columns: ``private``,
``pair_lead`` (the manager of a 1-on-1, the leader of a skip-level) and ``pair_person``
(the report, the person met), filled here from the series that named them until now
("pair:<manager>:<report>", "skip:<leader>:<person>").

The key format is frozen here as it was when this ran; from now on the planner sets
the columns from the practice. A private series that names nobody it can find (a
malformed key, a person since deleted) stays private, to nobody else: as before.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PRIVATE_PREFIXES = ("pair:", "skip:")
BATCH = 500


def _people(series):
    _, _, rest = series.partition(":")
    first, _, second = rest.partition(":")
    if first.isdigit() and second.isdigit():
        return int(first), int(second)
    return None, None


def fill(apps, schema_editor):
    Session = apps.get_model("scheduling", "Session")
    Person = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    private = models.Q()
    for prefix in PRIVATE_PREFIXES:
        private |= models.Q(series__startswith=prefix)
    rows = list(Session.objects.filter(private).values_list("pk", "series"))
    named = {pk for _, series in rows for pk in _people(series) if pk is not None}
    known = set(Person.objects.filter(pk__in=named).values_list("pk", flat=True))
    changed = []
    for pk, series in rows:
        lead, person = _people(series)
        changed.append(
            Session(
                pk=pk,
                private=True,
                pair_lead_id=lead if lead in known else None,
                pair_person_id=person if person in known else None,
            )
        )
    Session.objects.bulk_update(
        changed, ["private", "pair_lead", "pair_person"], batch_size=BATCH
    )


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0005_person_is_operator"),
        ("scheduling", "0006_session_moved_from"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="pair_lead",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The manager of a 1-on-1, the leader of a skip-level.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="pair_person",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                help_text="The report of a 1-on-1, the person met at a skip-level.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="private",
            field=models.BooleanField(
                db_index=True,
                default=False,
                editable=False,
                help_text="A 1-on-1 or skip-level: only its two people take part.",
            ),
        ),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("private", True),
                    models.Q(("pair_lead__isnull", True), ("pair_person__isnull", True)),
                    _connector="OR",
                ),
                name="session_pair_only_if_private",
            ),
        ),
        # Last, after every ALTER TABLE: on PostgreSQL a table with pending foreign-key
        # checks from the rows written here cannot be altered in the same transaction.
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
