from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from engagement.demo import ALREADY_LOADED, DEMO_USERNAMES, demo_load
from engagement.models import Department, Person, Program
from engagement.practices import PRACTICES
from scheduling.models import Session
from scheduling.planner import session_plan


def _counts():
    return (Person.objects.count(), Department.objects.count(), Program.objects.count())


@pytest.fixture
def demo(db):
    assert demo_load() is True
    return {p.username: p for p in Person.objects.filter(username__in=DEMO_USERNAMES)}


def test_it_builds_an_organisation_of_about_120_people(demo):
    organisation = Person.objects.active()
    assert 110 <= organisation.count() <= 130
    assert Department.objects.count() == 4
    assert organisation.filter(is_senior_leader=True).count() == 3
    assert 13 <= Person.objects.managers().count() <= 17
    top = organisation.get(manager=None)
    assert top.is_senior_leader
    vps = organisation.filter(is_senior_leader=True, manager=top)
    assert vps.count() == 2
    emails = list(Person.objects.values_list("email", flat=True))
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("@northwind.example") for e in emails)
    assert not organisation.filter(title="").exists()
    assert not organisation.filter(started_on=None).exists()


def test_it_runs_one_valid_active_program_of_each_practice(demo):
    programs = list(Program.objects.active())
    assert sorted(p.practice for p in programs) == sorted(p.code for p in PRACTICES)
    for program in programs:
        program.full_clean()
        assert program.description
        assert program.time_zone == "Europe/London"
        assert program.audience_members().exists()


def test_the_demo_accounts_log_in_and_sit_where_the_demo_says(demo, rf):
    for username in DEMO_USERNAMES:
        request = rf.post("/accounts/login/")
        assert authenticate(request, username=username, password="demo") == demo[username]
    others = Person.objects.exclude(username__in=DEMO_USERNAMES)
    assert not any(p.has_usable_password() for p in others)
    assert all(p.username == p.email for p in others)

    admin, leader = demo["admin"], demo["leader"]
    manager, employee = demo["manager"], demo["employee"]
    assert admin.is_hr_admin
    assert admin.is_staff
    assert not admin.is_superuser
    assert admin.has_perm("engagement.change_program")
    assert not admin.has_perm("django_q.change_schedule")
    operator = demo["operator"]
    assert operator.is_superuser
    assert operator.is_operator
    assert operator.manager is None
    assert operator.department is None
    assert not Person.objects.active().filter(pk=operator.pk).exists()
    assert leader.is_senior_leader
    assert leader.manager.manager is None
    assert manager.manager == leader
    assert manager.department.name == "Operations"
    assert manager.direct_reports.count() >= 5
    assert employee.manager == manager
    assert Person.objects.managers().below(leader).count() >= 3


def test_loading_again_changes_nothing(demo):
    before = _counts()
    assert demo_load() is False
    assert _counts() == before


def test_the_command_loads_once_and_always_lists_the_accounts(db, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    second = capsys.readouterr().out
    assert ALREADY_LOADED not in first
    assert ALREADY_LOADED in second
    for output in (first, second):
        for username in DEMO_USERNAMES:
            assert username in output
        assert "demo" in output


def test_the_command_leaves_a_real_organisation_alone(db, capsys):
    Person.objects.create_user("someone", password="pw")
    call_command("load_demo")
    output = capsys.readouterr().out
    assert ALREADY_LOADED in output
    assert "Demo accounts" not in output
    assert Person.objects.count() == 1


def test_it_builds_the_same_organisation_every_time(demo):
    def snapshot():
        return list(
            Person.objects.order_by("username").values_list(
                "username", "first_name", "last_name", "title", "manager__username"
            )
        )

    first = snapshot()
    Program.objects.all().delete()
    Person.objects.all().delete()
    assert demo_load() is True
    assert snapshot() == first


def test_the_pulse_opens_this_months_window_while_it_is_open(demo, client):
    # As `make run` plans once after loading; the survey history added later
    # (load_demo_feedback) brings only the months before this one.
    call_command("plan_sessions", verbosity=0)
    pulse = Program.objects.get(name="Monthly engagement pulse")
    now = timezone.now()
    first_of_month = timezone.localtime(now, pulse.zone).date().replace(day=1)
    opened = datetime.combine(first_of_month, time(9, 0), tzinfo=pulse.zone)
    open_now = opened <= now < opened + timedelta(days=10)
    window = Session.objects.filter(program=pulse, planned_start=opened).first()
    assert (window is not None) is open_now
    assert session_plan(program=pulse).created == 0
    if open_now:
        client.force_login(demo["employee"])
        page = client.get(reverse("feedback:my_surveys")).content.decode()
        assert reverse("feedback:answer", args=[window.pk]) in page
