"""Run by ``test_database_files``: answer an anonymous survey one person at a time in
a real SQLite file, with the project's own settings, copying the database files
(main file, ``-wal``, ``-shm``, ``-journal``) right after each answer.

Usage: python answer_and_copy.py <directory>; prints JSON: for each copy, its folder,
who had answered, and whose responses were still held.
"""

import json
import os
import shutil
import sys
from pathlib import Path

directory = Path(sys.argv[1])
os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'rapport.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)

from engagement.models import AudienceKind  # noqa: E402
from feedback import services  # noqa: E402
from feedback.models import Response, Stage  # noqa: E402
from tests.factories import answers_for, make_person, make_program, open_window, pulse_form  # noqa: E402  # noqa: E402

hr = make_person("hr")
manager = make_person("boss")
team = [make_person(f"member{i}", manager=manager) for i in range(7)]
program = make_program(
    "EE3",
    owner=hr,
    name="Pulse",
    audience_kind=AudienceKind.TEAM,
    audience_manager=manager,
    config={"window_days": 10, "anonymous": True, "min_group_size": 5},
)
form = pulse_form(program, hr)
window = open_window(program)
connection.close()

copies = []
for number, person in enumerate(team, start=1):
    services.response_submit(
        window=window,
        person=person,
        answers=answers_for(form, comment=f"secret of {person.username}"),
    )
    held = Response.objects.filter(stage=Stage.HELD).count()
    folder = directory / f"after-{number}"
    folder.mkdir()
    for name in os.listdir(directory):
        if name.startswith("rapport.sqlite3"):
            shutil.copy2(directory / name, folder / name)
    copies.append(
        {
            "folder": str(folder),
            "answered": [p.username for p in team[:number]],
            "held": held,
        }
    )
print(json.dumps(copies))
