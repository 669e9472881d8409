"""The background schedules: declared once, idempotent, and each runs cleanly."""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.utils.module_loading import import_string
from django_q.models import Schedule

from engagement.models import ProgramStatus
from scheduling.schedules import JOBS
from tests.factories import make_program


def test_setup_schedules_is_idempotent(db):
    call_command("setup_schedules", stdout=StringIO())
    first = list(Schedule.objects.values_list("name", "func", "schedule_type"))
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    assert list(Schedule.objects.values_list("name", "func", "schedule_type")) == first
    assert len(first) == len(JOBS)
    assert "Created" not in out.getvalue()


def test_a_schedule_no_longer_declared_is_removed(db):
    Schedule.objects.create(name="Old job", func="scheduling.tasks.gone", schedule_type="H")
    call_command("setup_schedules", stdout=StringIO())
    assert not Schedule.objects.filter(name="Old job").exists()


def test_every_scheduled_function_runs_against_a_small_organisation(org):
    ended = make_program(
        "EE11", owner=org["hr"], starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)
    )
    for job in JOBS:
        import_string(job.func)()
    ended.refresh_from_db()
    assert ended.status == ProgramStatus.ENDED
