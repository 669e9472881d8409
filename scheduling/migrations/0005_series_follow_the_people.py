"""Sessions of practices whose successive sessions gather different people (EE6 social
events, EE8 round tables, EE15 lunch & learns) each become a series of their own, and
skip-level series name the leader as well as the person (skip:<leader>:<person>), so
records carry over only between sessions of the same people.

The practices and the key format are frozen here as they were when this ran; the
planner decides them in ``scheduling.participants.session_series``.
"""

import re
from datetime import UTC

from django.db import migrations

SINGLE_SESSION_PRACTICES = ("EE6", "EE8", "EE15")
OLD_SKIP = re.compile(r"^skip:(\d+)$")


def own_series(series, planned_start):
    return f"{series}@{planned_start.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def rename(apps, schema_editor):
    Session = apps.get_model("scheduling", "Session")
    Participant = apps.get_model("scheduling", "Participant")
    changed = []
    for session in Session.objects.filter(program__practice__in=SINGLE_SESSION_PRACTICES):
        if "@" not in session.series:
            session.series = own_series(session.series, session.planned_start)
            changed.append(session)
    hosts = dict(
        Participant.objects.filter(session__series__regex=r"^skip:\d+$", role="host").values_list(
            "session_id", "person_id"
        )
    )
    for session in Session.objects.filter(series__regex=r"^skip:\d+$").select_related("program"):
        leader = hosts.get(session.pk, session.program.owner_id)
        session.series = f"skip:{leader}:{OLD_SKIP.match(session.series).group(1)}"
        changed.append(session)
    Session.objects.bulk_update(changed, ["series"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0004_participant_submitted_on")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
