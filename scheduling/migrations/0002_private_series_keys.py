"""1-on-1 series name both people (pair:<manager>:<report>) and skip-level series the
person met (skip:<person>), so records never carry over between different people."""

import re

from django.db import migrations

OLD_PAIR = re.compile(r"^pair:(\d+)$")
OLD_SKIP = re.compile(r"^skip:(\d+)$")


def rename(apps, schema_editor):
    Session = apps.get_model("scheduling", "Session")
    Participant = apps.get_model("scheduling", "Participant")
    roles = {}
    for session_id, person_id, role in Participant.objects.filter(
        session__series__regex=r"^(pair|skip):\d+$"
    ).values_list("session_id", "person_id", "role"):
        roles[(session_id, role)] = person_id
    for session in Session.objects.filter(series__regex=r"^(pair|skip):\d+$"):
        if OLD_PAIR.match(session.series):
            host = roles.get((session.pk, "host"))
            report = OLD_PAIR.match(session.series).group(1)
            if host is None:
                continue
            session.series = f"pair:{host}:{report}"
        else:
            attendee = roles.get((session.pk, "attendee"))
            if attendee is None:
                continue
            session.series = f"skip:{attendee}"
        session.save(update_fields=["series"])


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
