"""The background schedules: declared once, idempotent, and each runs cleanly."""

from datetime import date, timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.models import Schedule

from engagement.models import AudienceKind, ProgramStatus
from scheduling.models import Reminder, Session
from scheduling.schedules import jobs
from tests.factories import make_program


def test_setup_schedules_is_idempotent(db):
    call_command("setup_schedules", stdout=StringIO())
    first = list(Schedule.objects.values_list("name", "func", "schedule_type"))
    out = StringIO()
    call_command("setup_schedules", stdout=out)
    assert list(Schedule.objects.values_list("name", "func", "schedule_type")) == first
    assert len(first) == len(jobs())
    assert "Created" not in out.getvalue()


def test_scheduling_declares_its_own_jobs_through_the_registry():
    assert {
        "scheduling.tasks.end_finished_programs",
        "scheduling.tasks.plan_sessions",
        "scheduling.tasks.send_reminders",
    } <= {job.func for job in jobs()}


def test_a_schedule_no_longer_declared_is_removed(db):
    Schedule.objects.create(name="Old job", func="scheduling.tasks.gone", schedule_type="H")
    call_command("setup_schedules", stdout=StringIO())
    assert not Schedule.objects.filter(name="Old job").exists()


def test_the_planner_runs_hourly_and_reminders_every_five_minutes(db):
    call_command("setup_schedules", stdout=StringIO())
    schedules = {s.func: s for s in Schedule.objects.all()}
    assert schedules["scheduling.tasks.plan_sessions"].schedule_type == Schedule.HOURLY
    reminders = schedules["scheduling.tasks.send_reminders"]
    assert (reminders.schedule_type, reminders.minutes) == (Schedule.MINUTES, 5)


def test_every_scheduled_function_runs_against_a_small_organisation(org):
    ended = make_program(
        "EE11", owner=org["hr"], starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)
    )
    team_meeting = make_program(
        "EE11",
        owner=org["manager"],
        audience_kind=AudienceKind.TEAM,
        audience_manager=org["manager"],
        rrule="FREQ=WEEKLY",
        starts_on=timezone.localdate() + timedelta(days=1),
        config={"reminder_lead_hours": 72},  # the first meeting is within the lead time
    )
    for job in jobs():
        import_string(job.func)()
    ended.refresh_from_db()
    assert ended.status == ProgramStatus.ENDED
    assert not Session.objects.filter(program=ended).exists()
    assert Session.objects.filter(program=team_meeting).count() > 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "colleague@example.com",
        "employee@example.com",
        "manager@example.com",
    ]

    sessions = Session.objects.count()
    for job in jobs():  # running everything again changes nothing
        import_string(job.func)()
    assert Session.objects.count() == sessions
    assert len(mail.outbox) == Reminder.objects.count() == 3
